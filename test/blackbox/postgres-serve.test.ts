// `keyhold serve --store postgres`: two servers (one of them a two-worker cluster), each with its
// own data dir and the same root passphrase, share one PostgreSQL database — a key created through
// one encrypts there and decrypts through the other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, DisableKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { testPostgres } from '../harness/postgres.js';
import { removeDir, startServer, tempDir, type RunningServer } from '../harness/server.js';

const db = await testPostgres();

if (db.kind === 'skip') {
  test('serve --store postgres', { skip: db.reason }, () => {});
} else if (db.kind === 'fail') {
  test('serve --store postgres', () => assert.fail(db.reason));
} else {
  const { url, drop } = db;
  test('serve --store postgres: create a key, encrypt on one server, decrypt on another; a disable is seen by both', async () => {
    const dirs = [tempDir(), tempDir()];
    const servers: RunningServer[] = [];
    const env = { KEYHOLD_ROOT_PASSPHRASE: 'correct horse battery staple, postgres edition' };
    try {
      const start = async (dataDir: string, workers: number): Promise<RunningServer> => {
        const s = await startServer({ dataDir, workers, env, args: ['--store', 'postgres', '--postgres-url', url] });
        servers.push(s);
        return s;
      };
      const one = (await start(dirs[0]!, 1)).client();
      const two = (await start(dirs[1]!, 2)).client();

      const { KeyMetadata } = await one.send(new CreateKeyCommand({ Description: 'on postgres' }));
      const keyId = KeyMetadata?.KeyId;
      assert.ok(keyId);
      const plaintext = Buffer.from('shared by every node');
      const { CiphertextBlob } = await one.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
      const decrypted = await two.send(new DecryptCommand({ CiphertextBlob }));
      assert.deepEqual(Buffer.from(decrypted.Plaintext ?? []), plaintext);
      assert.equal(decrypted.KeyId, KeyMetadata?.Arn);

      await two.send(new DisableKeyCommand({ KeyId: keyId }));
      // Another node sees the commit through its generation poll: within about a second.
      const deadline = Date.now() + 5000;
      let refused: unknown;
      while (refused === undefined && Date.now() < deadline) {
        refused = await one.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })).then(() => undefined, (err: unknown) => err);
        if (refused === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal((refused as Error | undefined)?.name, 'DisabledException');
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      dirs.forEach(removeDir);
      await drop();
    }
  });
}
