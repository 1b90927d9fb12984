// Which PostgreSQL failures become DependencyTimeoutException and which stay internal errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KmsError } from '../../core/errors.js';
import { dependencyTimeout, isUnavailable } from './pg-errors.js';

const withCode = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });
const during = { checkingOut: false, connectionLost: false };

test('the server stopping, starting or timing out a statement is unavailable', () => {
  for (const code of ['57P01', '57P02', '57P03', '57014', '55P03', '53300', '08006', '08001', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']) {
    assert.equal(isUnavailable(withCode(code), during), true, code);
  }
});

test('a real answer from the server is not unavailable, even on a checkout or a lost connection', () => {
  for (const code of ['28P01', '3D000', '23505', '42P01', '22P02']) {
    assert.equal(isUnavailable(withCode(code), { checkingOut: true, connectionLost: true }), false, code);
  }
});

test('an uncoded error is unavailable only when taking a connection failed or the connection was lost', () => {
  const terminated = new Error('Connection terminated unexpectedly');
  assert.equal(isUnavailable(terminated, during), false);
  assert.equal(isUnavailable(terminated, { checkingOut: true, connectionLost: false }), true);
  assert.equal(isUnavailable(terminated, { checkingOut: false, connectionLost: true }), true);
});

test('a KmsError an operation threw is never reclassified', () => {
  assert.equal(isUnavailable(new KmsError('NotFoundException', 'no'), { checkingOut: false, connectionLost: true }), false);
});

test('the client-facing error is a retryable 503 that names nothing about the database', () => {
  const err = dependencyTimeout();
  assert.equal(err.type, 'DependencyTimeoutException');
  assert.equal(err.status, 503);
  assert.doesNotMatch(err.message, /postgres|password|127\.0\.0\.1/i);
});
