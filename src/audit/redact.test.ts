import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact } from './redact.js';

test('secret fields and bytes are dropped, names become lowerCamelCase, encryption context keys stay', () => {
  const out = redact({
    KeyId: 'k', Plaintext: 'c2VjcmV0', CiphertextBlob: 'YmxvYg==', GrantTokens: ['t'], EncryptionContext: { Plaintext: 'kept: context is not secret', Tenant: 'a' },
    Nested: { SecretAccessKey: 's', SessionToken: 't', Keep: Buffer.from('bytes'), Name: 'n' },
  });
  assert.deepEqual(out, { keyId: 'k', encryptionContext: { Plaintext: 'kept: context is not secret', Tenant: 'a' }, nested: { name: 'n' } });
});

test('a malformed request nested ten thousand deep is cut short rather than failing its event', () => {
  let deep: unknown = 'bottom';
  for (let i = 0; i < 10_000; i++) deep = [deep];
  const out = redact({ Deep: deep });
  assert.ok(JSON.stringify(out).length < 100);
});

test('nothing to record is null', () => {
  assert.equal(redact(undefined), null);
  assert.equal(redact({ Plaintext: 'x' }), null);
  assert.equal(redact([1, 2]), null);
});
