/**
 * POP3 value types (RFC 1939, RFC 2449, RFC 2595, RFC 5034, RFC 6856): commands discriminated
 * by `verb`, responses by `status`.
 *
 * @packageDocumentation
 */

/** Commands with no argument. */
export interface SimpleCommand {
  readonly verb: 'STAT' | 'NOOP' | 'RSET' | 'QUIT' | 'CAPA' | 'STLS' | 'UTF8' | 'LAST';
}
/** `USER name` / `PASS password` (the password may contain spaces). */
export interface CredentialCommand {
  readonly verb: 'USER' | 'PASS';
  readonly argument: string;
}
/** `APOP name digest` (RFC 1939 7). */
export interface ApopCommand {
  readonly verb: 'APOP';
  readonly name: string;
  /** 32 lower-case hex digits. */
  readonly digest: string;
}
/** Commands with an optional message number: `LIST [n]`, `UIDL [n]`. */
export interface OptionalMessageCommand {
  readonly verb: 'LIST' | 'UIDL';
  readonly message: number | null;
}
/** Commands with a message number: `RETR n`, `DELE n`. */
export interface MessageCommand {
  readonly verb: 'RETR' | 'DELE';
  readonly message: number;
}
/** `TOP n k` (RFC 1939 7). */
export interface TopCommand {
  readonly verb: 'TOP';
  readonly message: number;
  readonly lines: number;
}
/** `AUTH [mechanism [initial-response]]` (RFC 5034); no mechanism lists the mechanisms. */
export interface AuthCommand {
  readonly verb: 'AUTH';
  readonly mechanism: string | null;
  readonly initialResponse: string | null;
}
/** `LANG [range]` (RFC 6856). */
export interface LangCommand {
  readonly verb: 'LANG';
  readonly range: string | null;
}
/** Any other command, kept with its argument text. */
export interface UnknownCommand {
  readonly verb: 'UNKNOWN';
  readonly name: string;
  readonly argument: string | null;
}

/** Every POP3 command. */
export type Command =
  | SimpleCommand
  | CredentialCommand
  | ApopCommand
  | OptionalMessageCommand
  | MessageCommand
  | TopCommand
  | AuthCommand
  | LangCommand
  | UnknownCommand;

/** A status response line: `+OK [CODE] text` or `-ERR [CODE] text` (RFC 2449 8 for codes). */
export interface StatusResponse {
  readonly status: '+OK' | '-ERR';
  /** The response code inside `[...]`, upper-case, hierarchical with `/` (e.g. `SYS/TEMP`); null when absent. */
  readonly code: string | null;
  /** Text after the status (and the code). */
  readonly text: string;
}

/** A SASL continuation `+ base64` (RFC 5034 4). */
export interface ContinuationResponse {
  readonly status: '+';
  /** The base64 challenge text (may be empty). */
  readonly text: string;
}

/** Any single response line. */
export type Response = StatusResponse | ContinuationResponse;

/** `+OK nn mm` to STAT. */
export interface Stat {
  readonly count: number;
  readonly size: number;
}

/** One line of a LIST listing (`n size`) or a UIDL listing (`n uid`). */
export interface ListEntry {
  readonly message: number;
  readonly size: number;
}

/** One line of a UIDL listing. */
export interface UidlEntry {
  readonly message: number;
  readonly uid: string;
}
