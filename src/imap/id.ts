/**
 * ID response (RFC 2971): reader and writer.
 *
 * @packageDocumentation
 */

import { decodeText, type Reader, type WireWriter } from './syntax';

/**
 * id-response = "ID" SP id-params-list
 * id-params-list = "(" *(string SP nstring) ")" / nil
 */
export function readId(r: Reader): Record<string, string | null> | null {
  if (r.peek() !== 0x28) {
    if (!r.atLineEnd()) r.skipValue();
    return null;
  }
  const params: Record<string, string | null> = {};
  r.expect(0x28);
  r.enter();
  r.spaces();
  while (!r.accept(0x29)) {
    if (r.atLineEnd() && !r.atLiteral()) throw r.error('unterminated ID list');
    const key = decodeText(r.astringBytes());
    r.spaces();
    if (r.peek() === 0x29) {
      params[key] = null;
      break;
    }
    params[key] = r.nil() ? null : decodeText(r.astringBytes());
    r.spaces();
  }
  r.leave();
  return params;
}

/** Writes `NIL` or `("k" "v" ...)`. */
export function writeId(w: WireWriter, params: Readonly<Record<string, string | null>> | null): void {
  if (params === null) {
    w.raw('NIL');
    return;
  }
  w.raw('(');
  Object.entries(params).forEach(([k, v], i) => {
    if (i > 0) w.raw(' ');
    w.string(k).raw(' ').nstring(v);
  });
  w.raw(')');
}
