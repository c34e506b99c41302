/**
 * Run-time checks of the values an encoder is given. Types say what a field holds, but a
 * value built from JSON, a config file or `as` casts reaches the encoder unchecked: a status
 * `'+OK\r\n+OK x'` or a code `2500` would be written as it is and change the meaning of the
 * line. Every encoder checks every field with these before it writes anything, and throws
 * `TypeError` (wrong kind of value) or `RangeError` (a number out of range).
 *
 * @packageDocumentation
 */

/** Describes a value for an error message without echoing long or hostile text. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * Asserts a string that holds no CR, LF or NUL (it is written into one protocol line).
 *
 * @param value - the field's value
 * @param what - the field's name for the message, e.g. `"POP3 response text"`
 */
export function assertLineText(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string, not ${show(value)}`);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x0d || c === 0x0a || c === 0) throw new TypeError(`${what} must not contain ${c === 0 ? 'NUL' : c === 0x0d ? 'CR' : 'LF'} (at index ${i})`);
  }
}

/** Asserts `null` or a string without CR, LF or NUL. */
export function assertOptionalLineText(value: unknown, what: string): asserts value is string | null {
  if (value !== null) assertLineText(value, what);
}

/** Asserts a boolean (a truthy string or number is a bug in the caller, not a yes). */
export function assertBoolean(value: unknown, what: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${what} must be a boolean, not ${show(value)}`);
}

/** Asserts an integer `min <= value <= max` (a `number`; NaN, fractions and infinities are refused). */
export function assertInteger(value: unknown, min: number, max: number, what: string): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${what} must be a number, not ${show(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${what} must be an integer from ${min} to ${max}, not ${show(value)}`);
}

/** Asserts one of a fixed set of strings (an enum field: a verb, a status word). */
export function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(`${what} must be one of ${allowed.join(', ')}, not ${show(value)}`);
  }
}

/** Asserts a non-null object (a value, a path, an enhanced status...). */
export function assertObject(value: unknown, what: string): asserts value is object {
  if (value === null || typeof value !== 'object') throw new TypeError(`${what} must be an object, not ${show(value)}`);
}
