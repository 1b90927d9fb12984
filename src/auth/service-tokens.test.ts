// Service tokens and the service-name rule: what an integrated service proves itself with.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { systemRandom, type Random } from '../core/clock.js';
import { SERVICE_NAME, hashServiceToken, newServiceToken, serviceTokenMatches } from './service-tokens.js';

test('a new token is khst_ and 32 random bytes in base64url, and two are never the same', () => {
  const token = newServiceToken(systemRandom);
  assert.match(token, /^khst_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(newServiceToken(systemRandom), token);
  const fixed: Random = { bytes: (n) => Buffer.alloc(n, 0xff), uuid: () => '' };
  assert.equal(newServiceToken(fixed), `khst_${'_'.repeat(42)}8`);
});

test('the stored form is the SHA-256 of the token, and only the token itself matches it', () => {
  const token = newServiceToken(systemRandom);
  const hash = hashServiceToken(token);
  assert.equal(hash, createHash('sha256').update(token).digest('hex'));
  assert.equal(hash.includes(token.slice(5)), false);
  assert.equal(serviceTokenMatches(token, hash), true);
  for (const wrong of ['', token.slice(0, -1), `${token}x`, token.toUpperCase(), ` ${token}`, hash]) {
    assert.equal(serviceTokenMatches(wrong, hash), false, wrong);
  }
});

test('a stored hash that is empty or malformed matches no token', () => {
  const token = newServiceToken(systemRandom);
  for (const stored of ['', 'not hex', hashServiceToken(token).slice(0, 62)]) assert.equal(serviceTokenMatches(token, stored), false, stored);
  assert.equal(serviceTokenMatches('', ''), false);
});

test('service names: a lower-case letter, then 1–62 lower-case letters, digits or hyphens', () => {
  for (const ok of ['media', 'ab', 's3', 'object-store', `a${'b'.repeat(62)}`]) assert.ok(SERVICE_NAME.test(ok), ok);
  for (const bad of ['', 'a', 'Media', '3d', '-media', 'me_dia', 'me.dia', 'me/dia', 'media ', `a${'b'.repeat(63)}`, 'médias']) {
    assert.equal(SERVICE_NAME.test(bad), false, bad);
  }
});
