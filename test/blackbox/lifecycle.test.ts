// Operating the server: a worker per core sharing one store, metrics across workers, request-id
// logs that hold no secrets, and SIGTERM that lets requests in flight finish.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { CreateKeyCommand, DisableKeyCommand, EncryptCommand, GenerateDataKeyCommand, DecryptCommand } from '@aws-sdk/client-kms';
import { signHeaders } from '../harness/raw-http.js';
import { removeDir, serverForFile, startServer, testCredentials, type RunningServer } from '../harness/server.js';

let server: RunningServer;
serverForFile((s) => void (server = s), { workers: 2, env: { KEYHOLD_LOG_LEVEL: 'info' } });

test('with two workers, a key disabled through one connection is refused on every next request', async () => {
  const kms = server.client();
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  // Many connections, so both workers serve requests and cache the key.
  await Promise.all(Array.from({ length: 20 }, () => server.client().send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from('x') }))));
  await kms.send(new DisableKeyCommand({ KeyId: KeyMetadata?.KeyId }));
  const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => server.client().send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from('x') }))));
  assert.deepEqual(new Set(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).name : 'succeeded'))), new Set(['DisabledException']));
});

test('GET /metrics aggregates requests per operation and code, and keys by state, across workers', async () => {
  const kms = server.client();
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  for (let i = 0; i < 10; i++) await server.client().send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from('m') }));
  await assert.rejects(kms.send(new EncryptCommand({ KeyId: 'alias/none', Plaintext: Buffer.from('m') })));
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  const count = (labels: string): number => Number(new RegExp(`^keyhold_requests_total\\{${labels}\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  assert.ok(count('operation="Encrypt",code="OK"') >= 10, text);
  assert.ok(count('operation="Encrypt",code="NotFoundException"') >= 1, text);
  assert.match(text, /^keyhold_request_duration_seconds_bucket\{.*operation="Encrypt".*\} \d+/m);
  // Keys by state come from the store: counted once, not once per worker.
  const enabled = Number(/^keyhold_keys\{state="Enabled"\} (\d+)/m.exec(text)?.[1]);
  const disabled = Number(/^keyhold_keys\{state="Disabled"\} (\d+)/m.exec(text)?.[1]);
  assert.equal(enabled + disabled, 2);
});

test('every request is logged as JSON with a request id, and no plaintext, data key or secret reaches the log', async () => {
  const kms = server.client();
  const marker = Buffer.from('PLAINTEXT-MARKER-7f3a9c');
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const encrypted = await kms.send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: marker, EncryptionContext: { who: 'lifecycle' } }));
  const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata?.KeyId, KeySpec: 'AES_256' }));
  await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { who: 'lifecycle' } }));
  const requestId = encrypted.$metadata.requestId ?? '';
  await new Promise((r) => setTimeout(r, 300)); // the logger writes asynchronously
  const output = server.output();
  const lines = output.split('\n').filter((l) => l.startsWith('{'));
  const logged = lines.map((l) => JSON.parse(l) as { reqId?: string; operation?: string; code?: string });
  assert.ok(logged.some((l) => l.reqId === requestId && l.operation === 'Encrypt' && l.code === 'OK'), `no log line for request ${requestId}`);
  const secrets = [
    marker.toString(), marker.toString('base64'),
    Buffer.from(dataKey.Plaintext ?? []).toString('base64'), Buffer.from(dataKey.Plaintext ?? []).toString('hex'),
    testCredentials.secretAccessKey,
  ];
  for (const secret of secrets) assert.equal(output.includes(secret), false, 'a secret reached the log');
});

test('SIGTERM lets a request in flight finish, then the server exits 0', async () => {
  const draining = await startServer({ workers: 2 });
  try {
    const { KeyMetadata } = await draining.client().send(new CreateKeyCommand({}));
    // A request whose body is only half sent is in flight: the server has it, but cannot answer yet.
    const body = JSON.stringify({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from('in flight').toString('base64') });
    const headers = await signHeaders(draining.port, {
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt', 'content-length': String(body.length) },
      body,
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: draining.port, method: 'POST', path: '/', headers }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        const exited = draining.stop();
        setTimeout(() => req.end(body.slice(10)), 300);
        void exited;
      }, 300);
    });
    const { status, text } = await response;
    assert.equal(status, 200, text);
    assert.match(text, /CiphertextBlob/);
    assert.equal(await draining.stop(), 0);
  } finally {
    await draining.kill();
    removeDir(draining.dataDir);
  }
});
