#!/bin/sh
# Installs the Debian packages the interop run needs, when they are missing.
# Dovecot (IMAP, POP3, LMTP) and Postfix. Postfix's debconf question is answered
# "No configuration": the interop run writes its own private configuration.
# Do not add cyrus-imapd: it conflicts with dovecot-imapd.
set -eu

need=""
[ -x /usr/sbin/dovecot ] || need="$need dovecot-core"
[ -x /usr/lib/dovecot/imap ] || need="$need dovecot-imapd"
[ -x /usr/lib/dovecot/pop3 ] || need="$need dovecot-pop3d"
[ -x /usr/lib/dovecot/lmtp ] || need="$need dovecot-lmtpd"
[ -x /usr/sbin/postfix ] || need="$need postfix"
command -v python3 >/dev/null 2>&1 || need="$need python3"
command -v script >/dev/null 2>&1 || need="$need bsdutils"
command -v curl >/dev/null 2>&1 || need="$need curl"
# The TLS run makes a throw-away CA and certificates at test time.
command -v openssl >/dev/null 2>&1 || need="$need openssl"

if [ -z "$need" ]; then
  echo "interop: packages already installed"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "interop: missing packages:$need (run this script as root)" >&2
  exit 1
fi

start=$(date +%s)
# Wait for another apt/dpkg run (unattended upgrades, a parallel job) instead of failing at once,
# and show progress: the install takes about a minute.
APT="apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3"
echo "interop: installing$need (apt-get; progress follows)"
$APT update
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $APT install -y --no-install-recommends -o Dpkg::Progress-Fancy=0 $need
echo "interop: installed$need in $(( $(date +%s) - start ))s"
