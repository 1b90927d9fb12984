// SecretBytes never shows its bytes by accident.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { SecretBytes } from './secret.js';

test('SecretBytes prints, serialises and inspects as [redacted]', () => {
  const secret = SecretBytes.adopt(Buffer.from('hunter2-hunter2'));
  assert.equal(String(secret), '[redacted]');
  assert.equal(JSON.stringify({ secret }), '{"secret":"[redacted]"}');
  assert.equal(inspect(secret).includes('hunter2'), false);
  assert.equal([secret].join('').includes('hunter2'), false);
});

test('SecretBytes compares by content and zeroes on dispose', () => {
  const bytes = Buffer.from('abc');
  const a = SecretBytes.adopt(bytes);
  assert.equal(a.equals(SecretBytes.adopt(Buffer.from('abc'))), true);
  assert.equal(a.equals(SecretBytes.adopt(Buffer.from('abd'))), false);
  a.dispose();
  assert.deepEqual(bytes, Buffer.alloc(3));
  assert.throws(() => a.unsafeBytes());
});
