// The audit trail of a cluster on PostgreSQL: one chain for every node. Requests served by two
// nodes (one of them two workers) are found by a lookup on either; a digest signed on one covers
// the other's events; `keyhold audit verify` on the database finds the trail intact; nothing is
// written to the nodes' data dirs' audit files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { callAdmin } from '../../src/cli/admin-client.js';
import { lookupAll } from '../harness/audit-api.js';
import { testPostgres } from '../harness/postgres.js';
import { keyholdBin, removeDir, startServer, tempDir, testCredentials, type RunningServer } from '../harness/server.js';
import { createKey } from './api-helpers.js';

const db = await testPostgres();

if (db.kind !== 'ready') {
  test('the audit trail on PostgreSQL', { skip: db.kind === 'skip' ? db.reason : false }, () => assert.fail(db.kind === 'fail' ? db.reason : ''));
} else {
  test('two nodes on PostgreSQL write one audit chain: each sees the other\'s events, one digest covers both, verify finds it intact', { timeout: 60_000 }, async () => {
    const dirs = [tempDir(), tempDir()];
    const servers: RunningServer[] = [];
    const env = { KEYHOLD_ROOT_PASSPHRASE: 'one chain for the whole cluster', KEYHOLD_LOG_LEVEL: 'error' };
    try {
      for (const [i, dataDir] of dirs.entries()) servers.push(await startServer({ dataDir, workers: i + 1, env, args: ['--store', 'postgres', '--postgres-url', db.url] }));
      const [one, two] = servers as [RunningServer, RunningServer];
      const key = await createKey(one.client());
      const { CiphertextBlob } = await two.client().send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('audited on node two') }));
      const decrypted = await one.client().send(new DecryptCommand({ CiphertextBlob }));

      // Each node's lookup sees what the other answered, at once (lookups catch the chain up first).
      for (const node of servers) {
        const events = await lookupAll(node, { KeyId: key.KeyId });
        assert.deepEqual(events.map((e) => e.eventName).reverse(), ['CreateKey', 'Encrypt', 'Decrypt'], `lookup on port ${node.port}`);
      }
      assert.deepEqual((await lookupAll(one, { RequestId: decrypted.$metadata.requestId })).map((e) => e.eventName), ['Decrypt']);

      const connection = { endpoint: new URL(two.url), region: 'us-east-1', credentials: testCredentials };
      const digest = await callAdmin(connection, 'CreateAuditDigest', {});
      assert.equal(digest.NewEvents, true);
      const verified = await promisify(execFile)(process.execPath, [keyholdBin, 'audit', 'verify', '--store', 'postgres', '--postgres-url', db.url]);
      assert.match(verified.stdout, /^audit trail intact: \d+ events \(seq 1–\d+\), 1 digests, signed through seq \d+/);
      const signedThrough = Number(/signed through seq (\d+)/.exec(verified.stdout)?.[1]);
      assert.equal(signedThrough, digest.HeadSeq);

      for (const dataDir of dirs) {
        assert.equal(existsSync(join(dataDir, 'audit.db')), false, 'no audit.db beside a PostgreSQL node');
        assert.equal(existsSync(join(dataDir, 'audit-journal')), false, 'no journal either: events are committed to PostgreSQL');
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      dirs.forEach(removeDir);
      await db.drop();
    }
  });
}
