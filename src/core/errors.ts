/**
 * The one error type a parser reports for bad peer input.
 *
 * Parsers never throw it out of `push`: they hand it back inside an {@link ErrorItem}
 * and resynchronise at the next line. Encoders throw `TypeError` / `RangeError` instead,
 * because a value the caller built is a programming error, not hostile input.
 *
 * @packageDocumentation
 */

/**
 * Stable machine-readable reasons for a {@link ProtocolError}.
 *
 * - `SYNTAX`: the unit does not match the protocol grammar.
 * - `LINE_TOO_LONG`: a line exceeded the configured maximum; the rest of it was discarded.
 * - `LITERAL_TOO_LARGE`: an IMAP literal (or BDAT chunk) announced more octets than allowed.
 * - `TOO_DEEP`: nesting (IMAP lists, BODYSTRUCTURE) exceeded the configured depth.
 * - `TOO_MANY`: a list, a multiline reply or a queue exceeded its configured length.
 * - `BARE_LF` / `BARE_CR`: a line ending that is not CRLF where the policy is `reject`.
 * - `TRUNCATED`: the stream ended in the middle of a unit.
 * - `BAD_SEQUENCE`: a unit arrived that the session state does not allow.
 * - `UNEXPECTED`: a well-formed unit nobody asked for (e.g. a reply with no command pending).
 * - `INVALID_ENCODING`: base64, modified UTF-7, xtext or similar did not decode.
 * - `AUTH_FAILED`: a SASL exchange failed its checks (wrong proof, server signature mismatch).
 */
export type ProtocolErrorCode =
  | 'SYNTAX'
  | 'LINE_TOO_LONG'
  | 'LITERAL_TOO_LARGE'
  | 'TOO_DEEP'
  | 'TOO_MANY'
  | 'BARE_LF'
  | 'BARE_CR'
  | 'TRUNCATED'
  | 'BAD_SEQUENCE'
  | 'UNEXPECTED'
  | 'INVALID_ENCODING'
  | 'AUTH_FAILED';

/** Extra facts a parser can attach to a {@link ProtocolError}. */
export interface ProtocolErrorDetails {
  /** Byte offset in the stream (or in the unit, for codec functions) where the problem was found. */
  readonly offset?: number;
  /** IMAP: the command tag, when it could be read, so a server can answer `tag BAD`. */
  readonly tag?: string;
  /** The offending line (possibly shortened), for logs. */
  readonly line?: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * Bad input from a peer: carries a stable {@link ProtocolErrorCode}, the byte offset where
 * the problem was found, and a message a person can act on.
 *
 * The message and the line are always safe to write into a log or a reply line: every char
 * that could end a line or hide text (see {@link escapeUnsafeText}) is replaced by a visible
 * escape when the error is built, so an error that quotes peer bytes cannot inject a line.
 *
 * @example
 * ```ts
 * import { ProtocolError } from 'mailwire';
 * const err = new ProtocolError('SYNTAX', 'expected SP after reply code', { offset: 3 });
 * err.code;   // 'SYNTAX'
 * err.offset; // 3
 * ```
 */
export class ProtocolError extends Error {
  /** Stable reason; safe to switch on. */
  readonly code: ProtocolErrorCode;
  /** Byte offset of the problem, `-1` when unknown. */
  readonly offset: number;
  /** IMAP command tag, when known. */
  readonly tag: string | undefined;
  /** The offending line (possibly shortened), when known. */
  readonly line: string | undefined;

  /**
   * @param code - stable reason
   * @param message - what went wrong, for a person
   * @param details - offset, tag, line and cause, all optional
   */
  constructor(code: ProtocolErrorCode, message: string, details: ProtocolErrorDetails = {}) {
    super(escapeUnsafeText(message), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ProtocolError';
    this.code = code;
    this.offset = details.offset ?? -1;
    this.tag = details.tag;
    this.line = details.line === undefined ? undefined : escapeUnsafeText(details.line);
  }
}

/**
 * Whether a UTF-16 code unit at `i` must be escaped: C0 controls (NUL, CR, LF, TAB...), DEL,
 * C1 controls (U+0085 NEL is a line break to some log readers), U+2028/U+2029 (line and
 * paragraph separators) and lone surrogates (not encodable as UTF-8: an encoder would refuse
 * or replace them).
 */
function unsafeAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true;
  if (c >= 0xd800 && c <= 0xdbff) {
    const n = text.charCodeAt(i + 1);
    return !(n >= 0xdc00 && n <= 0xdfff);
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const p = text.charCodeAt(i - 1);
    return !(p >= 0xd800 && p <= 0xdbff);
  }
  return false;
}

/**
 * Replaces every char that could end or hide a line by a visible escape: CR as `\r`, LF as
 * `\n`, other C0 controls and DEL as `\xNN` (NUL is `\x00`), C1 controls, U+2028/U+2029
 * and lone surrogates as `\uNNNN`. Printable ASCII and well-formed non-ASCII text are kept.
 * The result is one line of printable text that every reply encoder of mailwire accepts.
 *
 * {@link ProtocolError} applies it to its message and line; use it for any other text that
 * quotes peer bytes.
 *
 * @example
 * ```ts
 * import { escapeUnsafeText } from 'mailwire';
 * escapeUnsafeText('a\0b\r\n'); // 'a\\x00b\\r\\n'
 * ```
 */
export function escapeUnsafeText(text: string): string {
  let i = 0;
  while (i < text.length && !unsafeAt(text, i)) i++;
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    if (!unsafeAt(text, i)) {
      out += text[i];
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === 0x0d) out += '\\r';
    else if (c === 0x0a) out += '\\n';
    else if (c <= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** The item a streaming parser yields for bad input, in all three protocols alike. */
export interface ErrorItem {
  readonly type: 'error';
  readonly error: ProtocolError;
}

/** Wraps a {@link ProtocolError} in an {@link ErrorItem}. */
export function errorItem(error: ProtocolError): ErrorItem {
  return { type: 'error', error };
}
