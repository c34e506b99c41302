/**
 * BODYSTRUCTURE encoding, the inverse of `readBodyStructure`.
 *
 * @packageDocumentation
 */

import type { ResponseWriter } from './encoder';
import { writeEnvelope } from './encoder';
import type { BodyStructure, Disposition } from './types';

function params(w: ResponseWriter, p: Readonly<Record<string, string>> | undefined): void {
  const keys = Object.keys(p ?? {});
  if (keys.length === 0) {
    w.raw('NIL');
    return;
  }
  w.raw('(');
  keys.forEach((k, i) => {
    if (i > 0) w.raw(' ');
    w.string(k).raw(' ').string(p![k]!);
  });
  w.raw(')');
}

function disposition(w: ResponseWriter, d: Disposition | null | undefined): void {
  if (!d) {
    w.raw('NIL');
    return;
  }
  w.raw('(').string(d.type).raw(' ');
  params(w, d.params);
  w.raw(')');
}

function language(w: ResponseWriter, l: readonly string[] | null | undefined): void {
  if (!l) w.raw('NIL');
  else {
    w.raw('(');
    l.forEach((x, i) => {
      if (i > 0) w.raw(' ');
      w.string(x);
    });
    w.raw(')');
  }
}

/** Writes a `body` value. */
export function formatBody(w: ResponseWriter, b: BodyStructure): void {
  w.raw('(');
  if (b.kind === 'multipart') {
    for (const p of b.parts) formatBody(w, p);
    // A multipart without parts (sent by some servers as `("MIXED")`) has no separating space.
    if (b.parts.length > 0) w.raw(' ');
    w.string(b.subtype);
    const ext: (() => void)[] = [];
    if ('params' in b) ext.push(() => params(w, b.params));
    if ('disposition' in b) ext.push(() => disposition(w, b.disposition));
    if ('language' in b) ext.push(() => language(w, b.language));
    if ('location' in b) ext.push(() => w.nstring(b.location));
    for (const v of b.extensions ?? []) ext.push(() => w.value(v));
    for (const e of ext) (w.raw(' '), e());
    w.raw(')');
    return;
  }
  w.string(b.type).raw(' ').string(b.subtype).raw(' ');
  params(w, b.params);
  w.raw(' ').nstring(b.id).raw(' ').nstring(b.description).raw(' ').nstring(b.encoding).raw(` ${b.size}`);
  if (b.envelope && b.body) {
    w.raw(' ');
    writeEnvelope(w, b.envelope);
    w.raw(' ');
    formatBody(w, b.body);
    w.raw(` ${b.lines ?? 0}`);
  } else if (b.lines !== undefined) w.raw(` ${b.lines}`);
  const ext: (() => void)[] = [];
  if ('md5' in b) ext.push(() => w.nstring(b.md5));
  if ('disposition' in b) ext.push(() => disposition(w, b.disposition));
  if ('language' in b) ext.push(() => language(w, b.language));
  if ('location' in b) ext.push(() => w.nstring(b.location));
  for (const v of b.extensions ?? []) ext.push(() => w.value(v));
  for (const e of ext) (w.raw(' '), e());
  w.raw(')');
}
