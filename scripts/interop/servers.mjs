// Starts private Dovecot (IMAP, POP3 with APOP, LMTP) and Postfix (SMTP + submission with
// SASL through Dovecot, delivering to Dovecot over LMTP) instances on 127.0.0.1 high ports,
// with every file in one temporary directory, and stops them again by pid.
//
//   node scripts/interop/servers.mjs start      # prints the JSON description, leaves them running
//   node scripts/interop/servers.mjs stop FILE  # FILE = the servers.json written by start
//
// The vitest globalSetup of test/interop imports startServers/stopServers from here.

import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOST = '127.0.0.1';

/** Mail files belong to Debian's "mail" user (uid 8): Dovecot refuses to deliver as root. */
const MAIL_UID = 8;
const MAIL_GID = 8;

function idOf(flag, name) {
  return Number.parseInt(execFileSync('id', [flag, name]).toString().trim(), 10);
}
let POSTFIX_UID = 0;
let POSTFIX_GID = 0;

/** Test users: name -> password (kept in plain text so APOP works), optional quota rule, and LITERAL+ instead of LITERAL- for IMAP. */
export const USERS = {
  imapuser: { password: 'imap-secret' },
  popuser: { password: 'pop-secret' },
  smtpuser: { password: 'smtp-secret' },
  lmtpuser: { password: 'lmtp-secret' },
  tiny: { password: 'tiny-secret', quota: '*:storage=1K' },
  bounces: { password: 'bounces-secret' },
  // Dovecot announces LITERAL- (imap_literal_minus = yes); this user's IMAP sessions get LITERAL+.
  plususer: { password: 'plus-secret', literalPlus: true },
};
export const DOMAIN = 'interop.test';

function log(msg) {
  if (process.env.INTEROP_VERBOSE) process.stderr.write(`interop: ${msg}\n`);
}

/** Free TCP ports on 127.0.0.1, picked by the kernel. */
async function freePorts(n) {
  const servers = [];
  const ports = [];
  for (let i = 0; i < n; i++) {
    const s = net.createServer();
    await new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(0, HOST, resolve);
    });
    servers.push(s);
    ports.push(s.address().port);
  }
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Waits until a TCP port greets with a line starting with `expect`. */
async function waitForGreeting(port, expect, deadlineMs) {
  const until = Date.now() + deadlineMs;
  let last = '';
  while (Date.now() < until) {
    const got = await new Promise((resolve) => {
      const sock = net.connect({ host: HOST, port });
      let buf = '';
      const done = (v) => {
        clearTimeout(t);
        sock.destroy();
        resolve(v);
      };
      const t = setTimeout(() => done(''), 2000);
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf.includes('\n')) done(buf);
      });
      sock.on('error', (e) => done(`error: ${e.message}`));
      sock.on('close', () => done(buf));
    });
    last = got;
    if (got.startsWith(expect)) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not greet with ${expect} (last: ${JSON.stringify(last)})`);
}

function run(cmd, args, opts = {}) {
  log(`${cmd} ${args.join(' ')}`);
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, ...opts }).toString();
}

/** `dovecot -c FILE` and `postfix -c DIR start` want a terminal: give them one with script(1). */
function withTerminal(command) {
  return run('script', ['-qec', command, '/dev/null']);
}

function shellQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The Dovecot configuration. With `tls` (the certificate files), a second, TLS-only instance:
 * `ssl = required`, IMAP and POP3 with STARTTLS/STLS plus IMAPS and POP3S, on ports of its own.
 */
function dovecotConfig(dir, ports, tls = null) {
  const users = path.join(dir, 'dovecot-users');
  const name = tls ? 'dovecot-tls' : 'dovecot';
  return `# private Dovecot for mailwire's interop tests${tls ? ' (TLS required)' : ''}
base_dir = ${dir}/${name}-run
state_dir = ${dir}/${name}-state
instance_name = mailwire-interop${tls ? '-tls' : ''}
log_path = ${dir}/${name}.log
info_log_path = ${dir}/${name}.log
listen = ${HOST}
protocols = imap pop3${tls ? '' : ' lmtp'}
${tls ? `ssl = required\nssl_cert = <${tls.certFile}\nssl_key = <${tls.keyFile}\nssl_min_protocol = TLSv1.2\ndisable_plaintext_auth = yes` : 'ssl = no\ndisable_plaintext_auth = no'}
auth_mechanisms = plain login apop
# Wrong passwords are part of the tests: answer them at once.
auth_failure_delay = 0
auth_username_format = %Ln
first_valid_uid = ${MAIL_UID}
first_valid_gid = ${MAIL_GID}
default_login_user = dovenull
default_internal_user = dovecot
mail_location = maildir:~/Maildir
mail_plugins = quota
imap_metadata = yes
mail_attribute_dict = file:%h/dovecot-attributes
imap_literal_minus = yes
pop3_uidl_format = %08Xu%08Xv
lmtp_save_to_detail_mailbox = no
postmaster_address = postmaster@${DOMAIN}
hostname = imap.${DOMAIN}

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n ${users}
}
userdb {
  driver = passwd-file
  args = username_format=%n ${users}
}

namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = create
  }
  mailbox Archive {
    special_use = \\Archive
    auto = create
  }
}

protocol imap {
  mail_plugins = $mail_plugins imap_quota
}

plugin {
  quota = maildir:User quota
  quota_rule = *:storage=1G
}

service imap-login {
  inet_listener imap {
    address = ${HOST}
    port = ${tls ? ports.imapTls : ports.imap}
  }
  inet_listener imaps {
    address = ${HOST}
    port = ${tls ? ports.imaps : 0}
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = ${HOST}
    port = ${tls ? ports.pop3Tls : ports.pop3}
  }
  inet_listener pop3s {
    address = ${HOST}
    port = ${tls ? ports.pop3s : 0}
    ssl = yes
  }
}
${tls ? '' : `service lmtp {
  inet_listener lmtp {
    address = ${HOST}
    port = ${ports.lmtp}
  }
}
service auth {
  inet_listener auth-postfix {
    address = ${HOST}
    port = ${ports.auth}
  }
}`}
# No growing delays after the wrong passwords the tests send on purpose (auth penalty).
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`;
}

function postfixMain(dir, ports, tls) {
  return `# private Postfix for mailwire's interop tests
compatibility_level = 3.6
queue_directory = ${dir}/postfix-queue
data_directory = ${dir}/postfix-data
mail_owner = postfix
myhostname = mx.${DOMAIN}
mydomain = ${DOMAIN}
myorigin = ${DOMAIN}
mydestination =
mynetworks = 127.0.0.1/32
inet_interfaces = ${HOST}
inet_protocols = ipv4
smtpd_banner = $myhostname ESMTP mailwire-interop
maillog_file = ${dir}/postfix.log
maillog_file_prefixes = ${dir}
alias_maps =
alias_database =
smtpd_peername_lookup = no
# Never rewrite message headers: what a client sends must arrive byte for byte (trace fields aside).
local_header_rewrite_clients =
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
default_transport = error:no delivery outside the interop domain
relay_transport = error:no delivery outside the interop domain
virtual_mailbox_domains = ${DOMAIN}
virtual_mailbox_maps = texthash:${dir}/postfix-vmailbox
virtual_transport = lmtp:inet:${HOST}:${ports.lmtp}
smtputf8_enable = yes
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions =
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:${HOST}:${ports.auth}
smtpd_sasl_security_options = noanonymous
# TLS is off on the plain ports; the TLS ports of master.cf turn it on (encrypt / wrapper mode).
smtpd_tls_security_level = none
smtpd_tls_cert_file = ${tls.certFile}
smtpd_tls_key_file = ${tls.keyFile}
smtpd_tls_loglevel = 1
message_size_limit = 20000000
biff = no
delay_warning_time = 0
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
`;
}

function postfixMaster(ports) {
  return `# service type private unpriv chroot wakeup maxproc command
${HOST}:${ports.smtp} inet n - n - - smtpd
${HOST}:${ports.submission} inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
${HOST}:${ports.submissionTls} inet n - n - - smtpd
  -o syslog_name=postfix/submission-tls
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
${HOST}:${ports.smtps} inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;
}

/**
 * A throw-away CA and a certificate for 127.0.0.1 / localhost it signed (openssl, valid one
 * day, made per run, never committed). The clients trust `ca`; the servers use cert + key.
 */
function makeCerts(dir) {
  const d = path.join(dir, 'tls');
  mkdirSync(d, { mode: 0o755 });
  const ssl = (...args) => run('openssl', args, { cwd: d });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=mailwire interop throw-away CA');
  ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(path.join(d, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf');
  // Postfix's smtpd and Dovecot's login processes read these; a throw-away key may be world-readable.
  for (const f of ['ca.pem', 'server.pem', 'server.key']) chmodSync(path.join(d, f), 0o644);
  return { caFile: path.join(d, 'ca.pem'), certFile: path.join(d, 'server.pem'), keyFile: path.join(d, 'server.key'), ca: readFileSync(path.join(d, 'ca.pem'), 'utf8') };
}

function readPid(file) {
  try {
    return Number.parseInt(readFileSync(file, 'utf8').trim(), 10) || null;
  } catch {
    return null;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killPid(pid, name) {
  if (!pid || !alive(pid)) return;
  log(`stopping ${name} (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  const until = Date.now() + 10_000;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Installs what is missing, writes the configs, starts both servers and waits for their
 * greetings. Returns a description (ports, users, pids, dir) that {@link stopServers} takes.
 */
export async function startServers() {
  execFileSync('sh', [path.join(HERE, 'install.sh')], { stdio: ['ignore', process.stderr, 'inherit'], timeout: 600_000 });
  POSTFIX_UID = idOf('-u', 'postfix');
  POSTFIX_GID = idOf('-g', 'postfix');
  const dir = mkdtempSync(path.join(tmpdir(), 'mailwire-interop-'));
  chmodSync(dir, 0o755);
  const [imap, pop3, lmtp, auth, smtp, submission, imapTls, pop3Tls, imaps, pop3s, submissionTls, smtps] = await freePorts(12);
  const ports = { imap, pop3, lmtp, auth, smtp, submission, imapTls, pop3Tls, imaps, pop3s, submissionTls, smtps };
  const tls = makeCerts(dir);
  const info = { dir, host: HOST, domain: DOMAIN, ports, users: USERS, tls, pids: { dovecot: null, dovecotTls: null, postfix: null } };
  writeFileSync(path.join(dir, 'servers.json'), JSON.stringify(info, null, 2));
  try {
    // Dovecot
    const home = path.join(dir, 'home');
    mkdirSync(home);
    chownSync(home, MAIL_UID, MAIL_GID);
    const lines = Object.entries(USERS).map(([name, u]) => {
      const h = path.join(home, name);
      mkdirSync(h);
      chownSync(h, MAIL_UID, MAIL_GID);
      const extra = [u.quota ? `userdb_quota_rule=${u.quota}` : '', u.literalPlus ? 'userdb_imap_literal_minus=no' : ''].filter(Boolean).join(' ');
      return `${name}:{PLAIN}${u.password}:${MAIL_UID}:${MAIL_GID}::${h}::${extra}`;
    });
    const usersFile = path.join(dir, 'dovecot-users');
    writeFileSync(usersFile, `${lines.join('\n')}\n`, { mode: 0o640 });
    chownSync(usersFile, 0, idOf('-g', 'dovecot')); // read by Dovecot's auth process
    const conf = path.join(dir, 'dovecot.conf');
    writeFileSync(conf, dovecotConfig(dir, ports));
    // In the foreground (-F) and in a session of its own: when daemonising under script(1),
    // Dovecot sometimes dies with the pseudo-terminal. We keep its pid directly.
    const out = openSync(path.join(dir, 'dovecot.out'), 'a');
    const child = spawn('/usr/sbin/dovecot', ['-F', '-c', conf], { detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    child.unref();
    info.pids.dovecot = child.pid ?? null;
    // The TLS-only instance: same users and mail, ssl = required.
    const tlsConf = path.join(dir, 'dovecot-tls.conf');
    writeFileSync(tlsConf, dovecotConfig(dir, ports, tls));
    const tlsOut = openSync(path.join(dir, 'dovecot-tls.out'), 'a');
    const tlsChild = spawn('/usr/sbin/dovecot', ['-F', '-c', tlsConf], { detached: true, stdio: ['ignore', tlsOut, tlsOut] });
    closeSync(tlsOut);
    tlsChild.unref();
    info.pids.dovecotTls = tlsChild.pid ?? null;

    // Postfix
    const pf = path.join(dir, 'postfix');
    mkdirSync(pf);
    mkdirSync(path.join(dir, 'postfix-queue'), { mode: 0o755 });
    mkdirSync(path.join(dir, 'postfix-data'), { mode: 0o700 });
    chownSync(path.join(dir, 'postfix-data'), POSTFIX_UID, POSTFIX_GID);
    writeFileSync(path.join(pf, 'main.cf'), postfixMain(dir, ports, tls));
    writeFileSync(path.join(pf, 'master.cf'), postfixMaster(ports));
    writeFileSync(path.join(dir, 'postfix-vmailbox'), Object.keys(USERS).map((u) => `${u}@${DOMAIN} ok`).join('\n') + '\n');
    withTerminal(`/usr/sbin/postfix -c ${shellQuote(pf)} start`);

    await waitForGreeting(imap, '* OK', 20_000);
    await waitForGreeting(smtp, '220', 20_000);
    info.pids.postfix = readPid(path.join(dir, 'postfix-queue', 'pid', 'master.pid'));
    await Promise.all([
      waitForGreeting(pop3, '+OK', 10_000),
      waitForGreeting(lmtp, '220', 10_000),
      waitForGreeting(submission, '220', 10_000),
      waitForGreeting(imapTls, '* OK', 20_000),
      waitForGreeting(pop3Tls, '+OK', 20_000),
      waitForGreeting(submissionTls, '220', 10_000),
    ]);
    writeFileSync(path.join(dir, 'servers.json'), JSON.stringify(info, null, 2));
    return info;
  } catch (e) {
    info.pids.postfix ??= readPid(path.join(dir, 'postfix-queue', 'pid', 'master.pid'));
    const logs = ['dovecot.out', 'dovecot.log', 'dovecot-tls.out', 'dovecot-tls.log', 'postfix.log'].map((f) => {
      const p = path.join(dir, f);
      return existsSync(p) ? `--- ${f}\n${readFileSync(p, 'utf8').slice(-4000)}` : '';
    });
    await stopServers(info, { keep: true });
    throw new Error(`${e instanceof Error ? e.message : e}\n${e?.stdout?.toString() ?? ''}${e?.stderr?.toString() ?? ''}${logs.join('\n')}\n(files kept in ${dir})`);
  }
}

/** Stops both servers by pid and removes the directory (kept with keep: true or INTEROP_KEEP=1). */
export async function stopServers(info, { keep = false } = {}) {
  await killPid(info.pids.postfix, 'postfix');
  await killPid(info.pids.dovecot, 'dovecot');
  await killPid(info.pids.dovecotTls, 'dovecot (TLS)');
  if (!keep && !process.env.INTEROP_KEEP) rmSync(info.dir, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, file] = process.argv.slice(2);
  if (cmd === 'start') {
    const info = await startServers();
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
  } else if (cmd === 'stop' && file) {
    await stopServers(JSON.parse(readFileSync(file, 'utf8')));
  } else {
    process.stderr.write('usage: servers.mjs start | stop DIR/servers.json\n');
    process.exit(2);
  }
}
