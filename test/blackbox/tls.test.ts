// HTTPS: the official SDK against keyhold's TLS listener with a test CA, clients that must fail
// (untrusted CA, TLS 1.1), and the refusal to serve plain HTTP on a non-loopback address.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { connect, type ConnectionOptions } from 'node:tls';
import { after, before, test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { cleanEnv, runToExit } from '../harness/keyhold-process.js';
import { freePort, removeDir, startServer, tempDir, testCredentials, type RunningServer } from '../harness/server.js';
import { makeTestPki, type TestPki } from '../harness/test-pki.js';

let pkiDir: string;
let pki: TestPki;
let otherPki: TestPki;
let server: RunningServer;

before(async () => {
  pkiDir = tempDir('keyhold-tls-');
  pki = makeTestPki(pkiDir);
  otherPki = makeTestPki(pkiDir, 'unrelated');
  server = await startServer({ args: ['--tls-cert', pki.serverCertFile, '--tls-key', pki.serverKeyFile], env: { KEYHOLD_LOG_LEVEL: 'info' } });
});
after(async () => {
  await server.stop();
  removeDir(server.dataDir);
  removeDir(pkiDir);
});

const trusting = (caPem: string): NodeHttpHandler => new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: caPem, keepAlive: false }) });

/** A bare TLS handshake with 127.0.0.1:`port`: the negotiated protocol, or the error. */
function handshake(port: number, options: ConnectionOptions): Promise<{ protocol: string | null } | { error: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ...options });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ error: Object.assign(new Error('handshake timed out'), { code: 'TIMEOUT' }) });
    }, 5000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const protocol = socket.getProtocol();
      socket.end();
      resolve({ protocol });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ error });
    });
  });
}

test('the AWS SDK over HTTPS, trusting only the test CA, creates a key, encrypts and decrypts', async () => {
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const kms = server.client({ requestHandler: trusting(pki.caPem) });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'over TLS' }));
  const encrypted = await kms.send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from('sent over TLS'), EncryptionContext: { via: 'https' } }));
  const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { via: 'https' } }));
  assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'sent over TLS');
  assert.equal(decrypted.KeyId, KeyMetadata?.Arn);
  kms.destroy();
  assert.match(server.output(), /"url":"https:\/\/127\.0\.0\.1:\d+".*"msg":"keyhold listening"/);
});

test('a client that does not trust the test CA cannot talk to keyhold', async () => {
  const certificateError = (err: NodeJS.ErrnoException): boolean => {
    assert.match(`${err.code ?? ''} ${err.message}`, /certificate|self[- ]signed|UNABLE_TO_VERIFY|unable to verify/i);
    return true;
  };
  // The system trust store (the default), and a client that trusts an unrelated CA.
  for (const kms of [server.client(), server.client({ requestHandler: trusting(otherPki.caPem) })]) {
    await assert.rejects(kms.send(new ListKeysCommand({})), certificateError);
    kms.destroy();
  }
  // The right CA but the wrong name: the certificate is for 127.0.0.1 only.
  const wrongName = await handshake(server.port, { ca: pki.caPem, servername: 'keyhold.example' });
  assert.ok('error' in wrongName, 'a certificate for 127.0.0.1 was accepted for keyhold.example');
  assert.equal(wrongName.error.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
});

test('TLS 1.1 and older clients are refused by the server; TLS 1.2 and 1.3 are accepted', async () => {
  // SECLEVEL=0 lets this client actually offer TLS 1.0/1.1, so the refusal comes from the server.
  for (const maxVersion of ['TLSv1.1', 'TLSv1'] as const) {
    const result = await handshake(server.port, { ca: pki.caPem, minVersion: 'TLSv1', maxVersion, ciphers: 'DEFAULT:@SECLEVEL=0' });
    assert.ok('error' in result, `a ${maxVersion} handshake succeeded with ${'protocol' in result ? result.protocol : ''}`);
    assert.notEqual(result.error.code, 'ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'the client could not offer the old protocol, so nothing was tested');
    assert.match(`${result.error.code ?? ''} ${result.error.message}`, /ALERT_PROTOCOL_VERSION|alert protocol version/i, 'the server should answer with a protocol_version alert');
  }
  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    const result = await handshake(server.port, { ca: pki.caPem, minVersion: version, maxVersion: version });
    assert.deepEqual(result, { protocol: version });
  }
  assert.equal(server.process.exitCode, null, 'the server exited');
});

test('serve --host 0.0.0.0 without TLS refuses, naming --insecure-http; with --insecure-http it starts', async () => {
  const adminEnv = cleanEnv({
    KEYHOLD_ADMIN_ACCESS_KEY_ID: testCredentials.accessKeyId,
    KEYHOLD_ADMIN_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
    KEYHOLD_LOG_LEVEL: 'warn',
  });
  const parent = tempDir('keyhold-host-');
  try {
    const dataDir = join(parent, 'data');
    const refused = await runToExit(['serve', '--host', '0.0.0.0', '--port', String(await freePort()), '--data-dir', dataDir, '--workers', '1'], adminEnv);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /--insecure-http/);
    assert.match(refused.stderr, /0\.0\.0\.0/);
    assert.equal(existsSync(dataDir), false, 'the refused start created its data dir');

    const halfTls = await runToExit(['serve', '--port', String(await freePort()), '--data-dir', dataDir, '--workers', '1', '--tls-cert', pki.serverCertFile], adminEnv);
    assert.notEqual(halfTls.code, 0);
    assert.match(halfTls.stderr, /--tls-key/);

    // Allowed with the explicit flag: bound to all interfaces only long enough to answer /health
    // on 127.0.0.1 (the harness's readiness check), then stopped.
    const open = await startServer({ dataDir, args: ['--host', '0.0.0.0', '--insecure-http'] });
    assert.equal(await open.stop(), 0);
  } finally {
    removeDir(parent);
  }
});
