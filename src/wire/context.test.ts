// Unit tests of canonicalContext: one unambiguous byte string per encryption context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalContext } from './context.js';

/** Reads the encoding back into [key, value] pairs, so tests can check order and framing. */
function decode(b: Buffer): [string, string][] {
  const count = b.readUInt16BE(0);
  let at = 2;
  const read = (): string => {
    const len = b.readUInt16BE(at);
    const s = b.subarray(at + 2, at + 2 + len).toString('utf8');
    at += 2 + len;
    return s;
  };
  const pairs: [string, string][] = [];
  for (let i = 0; i < count; i++) pairs.push([read(), read()]);
  assert.equal(at, b.length, 'no trailing bytes');
  return pairs;
}

test('encodes count, then length-prefixed key and value bytes', () => {
  assert.equal(canonicalContext({ a: 'bc' }).toString('hex'), '0001' + '0001' + '61' + '0002' + '6263');
});

test('absent and empty contexts encode the same: a zero count', () => {
  assert.deepEqual(canonicalContext(undefined), Buffer.from([0, 0]));
  assert.deepEqual(canonicalContext({}), Buffer.from([0, 0]));
});

test('insertion order of pairs does not change the encoding', () => {
  const a = canonicalContext({ purpose: 'backup', tenant: 't1', app: 'x' });
  const b = canonicalContext({ app: 'x', tenant: 't1', purpose: 'backup' });
  assert.deepEqual(a, b);
});

test('distinct contexts, including ones that concatenate alike, encode differently', () => {
  const contexts: (Record<string, string> | undefined)[] = [
    undefined,
    { a: 'bc' },
    { ab: 'c' },
    { abc: '' },
    { '': 'abc' },
    { a: '' }, // empty value is not an absent key
    { '': '' },
    { a: 'b', c: 'd' },
    { a: 'bcd' },
    { a: 'b\u0000c' },
    { a: 'B' },
    { A: 'b' },
    { '\u00e9': 'x' }, // precomposed é
    { 'e\u0301': 'x' }, // e + combining accent: same glyph, different bytes, different context
  ];
  const seen = new Map<string, string>();
  for (const c of contexts) {
    const hex = canonicalContext(c).toString('hex');
    const label = JSON.stringify(c) ?? 'undefined';
    assert.equal(seen.get(hex), undefined, `${label} collides with ${seen.get(hex) ?? ''}`);
    seen.set(hex, label);
  }
  assert.equal(seen.size, contexts.length);
});

test('an empty value is kept as a pair, unlike an absent key', () => {
  assert.deepEqual(decode(canonicalContext({ a: '' })), [['a', '']]);
  assert.deepEqual(decode(canonicalContext({})), []);
});

test('keys sort by UTF-8 bytes, not by UTF-16 code units or locale', () => {
  // U+FF61 is EF BD A1 in UTF-8 but 0xFF61 in UTF-16; U+1F600 is F0 9F 98 80 but 0xD83D...
  // so UTF-8 puts U+FF61 first while a plain JS string sort would put the emoji first.
  const halfwidth = '\uFF61';
  const emoji = '\u{1F600}';
  assert.ok(emoji < halfwidth, 'premise: JS string order disagrees with UTF-8 order here');
  const keys = decode(canonicalContext({ [emoji]: '1', [halfwidth]: '2', b: '3', B: '4', ab: '5', a: '6' })).map(
    ([k]) => k,
  );
  assert.deepEqual(keys, ['B', 'a', 'ab', 'b', halfwidth, emoji]);
});

test('lengths count UTF-8 bytes, not string characters', () => {
  // 'é' is one UTF-16 unit but two UTF-8 bytes; the emoji value is two units but four bytes.
  assert.equal(canonicalContext({ '\u00e9': '\u{1F600}' }).toString('hex'), '0001' + '0002c3a9' + '0004f09f9880');
});

test('an entry longer than 65535 bytes is refused rather than truncated', () => {
  assert.throws(() => canonicalContext({ k: 'x'.repeat(0x10000) }), RangeError);
  assert.doesNotThrow(() => canonicalContext({ k: 'x'.repeat(0xffff) }));
});
