/**
 * NAMESPACE response (RFC 2342, RFC 9051 7.3.10) with Namespace-Response-Extensions
 * (`"X-PARAM" ("FLAG1" "FLAG2")`) and RFC 5255 TRANSLATION: reader and writer.
 *
 * @packageDocumentation
 */

import { decodeText, type Reader, type WireWriter } from './syntax';
import type { NamespaceEntry } from './types';

/**
 * Namespace = nil / "(" 1*Namespace-Descr ")"
 * Namespace-Descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) [Namespace-Response-Extensions] ")"
 * Namespace-Response-Extensions = *(Namespace-Response-Extension)
 * Namespace-Response-Extension = SP string SP "(" string *(SP string) ")"
 */
export function readNamespace(r: Reader): NamespaceEntry[] | null {
  if (r.nil()) return null;
  return r.list((x) => {
    x.expect(0x28);
    x.enter();
    x.spaces();
    const prefix = decodeText(x.astringBytes());
    x.spaces();
    const delimiter = x.nil() ? null : decodeText(x.astringBytes());
    let extensions: Record<string, string[]> | null = null;
    x.spaces();
    while (!x.accept(0x29)) {
      if (x.atLineEnd() && !x.atLiteral()) throw x.error('unterminated namespace');
      const name = decodeText(x.astringBytes()).toUpperCase();
      x.spaces();
      const values = x.peek() === 0x28 ? x.list((y) => decodeText(y.astringBytes())) : [decodeText(x.astringBytes())];
      (extensions ??= {})[name] = values;
      x.spaces();
    }
    x.leave();
    return extensions === null ? { prefix, delimiter } : { prefix, delimiter, extensions };
  });
}

/** Writes one Namespace (`NIL` or its list). */
export function writeNamespace(w: WireWriter, ns: readonly NamespaceEntry[] | null): void {
  if (ns === null) {
    w.raw('NIL');
    return;
  }
  w.raw('(');
  for (const e of ns) {
    w.raw('(').string(e.prefix).raw(' ').nstring(e.delimiter);
    for (const [name, values] of Object.entries(e.extensions ?? {})) {
      w.raw(' ').string(name).raw(' (');
      values.forEach((v, i) => (i > 0 && w.raw(' '), w.string(v)));
      w.raw(')');
    }
    w.raw(')');
  }
  w.raw(')');
}
