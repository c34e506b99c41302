/**
 * SMTP value types: commands (RFC 5321 4.1, ESMTP and LMTP extensions), paths, parameters
 * and replies. Plain readonly objects, discriminated by `verb` (commands) — no classes.
 *
 * @packageDocumentation
 */

/** A domain name or an address literal, as written on the wire (brackets kept for literals). */
export type Domain = string;

/**
 * A mailbox path: `<local@domain>` with an optional obsolete source route.
 * `raw` is the text between the angle brackets, exactly as received.
 */
export interface Path {
  /** The local part, unquoted (escapes removed). */
  readonly localPart: string;
  /** The domain or address literal (`[192.0.2.1]`, `[IPv6:...]`); empty for `<Postmaster>`. */
  readonly domain: string;
  /** Obsolete source route hosts (`@a,@b:`), without the `@`; empty when absent (RFC 5321 4.1.2). */
  readonly route: readonly string[];
  /** `local@domain` as an address (local part re-quoted when needed). */
  readonly address: string;
}

/** One ESMTP parameter `KEYWORD[=value]` of MAIL or RCPT (RFC 5321 4.1.2 esmtp-param). */
export interface Parameter {
  /** Keyword, upper-case. */
  readonly keyword: string;
  /** Value as written (xtext not decoded), or `null` when the parameter has no `=value`. */
  readonly value: string | null;
}

/** `MAIL FROM:<path> [params]`; `from` is null for the null reverse-path `<>`. */
export interface MailCommand {
  readonly verb: 'MAIL';
  readonly from: Path | null;
  readonly params: readonly Parameter[];
}

/** `RCPT TO:<path> [params]`. `<Postmaster>` is a path with an empty domain. */
export interface RcptCommand {
  readonly verb: 'RCPT';
  readonly to: Path;
  readonly params: readonly Parameter[];
}

/** `HELO` / `EHLO` / `LHLO` (RFC 2033) with the client's domain or address literal. */
export interface HelloCommand {
  readonly verb: 'HELO' | 'EHLO' | 'LHLO';
  readonly domain: Domain;
}

/** `BDAT size [LAST]` (RFC 3030). */
export interface BdatCommand {
  readonly verb: 'BDAT';
  readonly size: number;
  readonly last: boolean;
}

/** `BURL uri [LAST]` (RFC 4468). */
export interface BurlCommand {
  readonly verb: 'BURL';
  readonly uri: string;
  readonly last: boolean;
}

/** `AUTH mechanism [initial-response]` (RFC 4954); `initialResponse` is the base64 text or `=`. */
export interface AuthCommand {
  readonly verb: 'AUTH';
  readonly mechanism: string;
  readonly initialResponse: string | null;
}

/** `VRFY` / `EXPN` with their string and optional `SMTPUTF8` (RFC 6531 3.7.4). */
export interface VerifyCommand {
  readonly verb: 'VRFY' | 'EXPN';
  /** The String argument exactly as sent (a Quoted-string keeps its quotes and backslashes). */
  readonly argument: string;
  /**
   * The argument's value: a Quoted-string (RFC 5321 4.1.2, `"Smith, John"`) without its quotes
   * and quoted-pairs, otherwise the argument itself. Always set by `parseCommand`; not needed
   * to encode (the encoder writes `argument`).
   */
  readonly value?: string;
  readonly smtputf8: boolean;
}

/** RFC 821 `SEND` / `SOML` / `SAML FROM:<path>` (deliver to a terminal, or mail, or both); servers answer 502. */
export interface SendCommand {
  readonly verb: 'SEND' | 'SOML' | 'SAML';
  readonly from: Path | null;
  readonly params: readonly Parameter[];
}

/** Commands with an optional free argument: `HELP [arg]`, `NOOP [arg]`, `ETRN node`, `ATRN [domains]`. */
export interface ArgumentCommand {
  readonly verb: 'HELP' | 'NOOP' | 'ETRN' | 'ATRN';
  readonly argument: string | null;
}

/** Commands without arguments. */
export interface SimpleCommand {
  /** `TURN` is RFC 821's role reversal (servers answer 502; RFC 2645 ATRN replaced it). */
  readonly verb: 'DATA' | 'RSET' | 'QUIT' | 'STARTTLS' | 'TURN';
}

/** Any verb mailwire does not model (including X- verbs), kept with its argument text. */
export interface UnknownCommand {
  readonly verb: 'UNKNOWN';
  /** The verb as sent, upper-cased. */
  readonly name: string;
  /** Everything after the first space, or `null`. */
  readonly argument: string | null;
}

/** Every SMTP/LMTP command. */
export type Command =
  | MailCommand
  | RcptCommand
  | HelloCommand
  | BdatCommand
  | BurlCommand
  | AuthCommand
  | VerifyCommand
  | SendCommand
  | ArgumentCommand
  | SimpleCommand
  | UnknownCommand;

/** An RFC 3463 enhanced status code `class.subject.detail`. */
export interface EnhancedStatus {
  /** 2 (success), 4 (persistent transient failure) or 5 (permanent failure). */
  readonly class: number;
  readonly subject: number;
  readonly detail: number;
}

/** A server reply: one code, one or more text lines (RFC 5321 4.2). */
export interface Reply {
  /** Three-digit reply code. */
  readonly code: number;
  /** Enhanced status code read from the first line, or null. */
  readonly enhanced: EnhancedStatus | null;
  /** Text of each line, with the code, separator and enhanced code removed. */
  readonly lines: readonly string[];
}
