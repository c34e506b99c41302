/**
 * A test for {@link ProtocolError} that also holds across module formats.
 *
 * The package ships an ES module build and a CommonJS build; an application (or two of its
 * dependencies) that loads both gets two `ProtocolError` classes, and `instanceof` is false
 * for an error made by the other one. This check looks at what every `ProtocolError` carries
 * instead of at its prototype.
 *
 * @packageDocumentation
 */

import { ProtocolError } from './errors';

/**
 * Whether `value` is a {@link ProtocolError}, from this copy of mailwire or from the other
 * module format's (ESM and CommonJS each have their own class, so `instanceof` can be false).
 * It checks the name, a `code` (any upper-case code, so codes added later still match), the
 * numeric `offset` and the message.
 *
 * @example
 * ```ts
 * import { isProtocolError, smtp } from 'mailwire';
 * const [item] = new smtp.ReplyParser().push(new TextEncoder().encode('garbage\r\n'));
 * if (item.type === 'error' && isProtocolError(item.error)) console.log(item.error.code); // SYNTAX
 * ```
 */
export function isProtocolError(value: unknown): value is ProtocolError {
  if (value instanceof ProtocolError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { name?: unknown; code?: unknown; offset?: unknown; message?: unknown };
  return (
    v.name === 'ProtocolError' &&
    typeof v.code === 'string' &&
    /^[A-Z][A-Z0-9_]*$/.test(v.code) &&
    typeof v.offset === 'number' &&
    typeof v.message === 'string'
  );
}
