// kill -9 of one of three nodes on one PostgreSQL database, under load: the other two keep serving
// without a single error, and everything any node acknowledged — the killed one included, before it
// died — is there: each key exists and each ciphertext decrypts on a surviving node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { startLoad, sleep } from '../harness/kms-load.js';
import { testPostgres } from '../harness/postgres.js';
import { removeDir, startServer, tempDir, type RunningServer } from '../harness/server.js';

const db = await testPostgres();

if (db.kind === 'skip') {
  test('kill -9 of one node under load', { skip: db.reason }, () => {});
} else if (db.kind === 'fail') {
  test('kill -9 of one node under load', () => assert.fail(db.reason));
} else {
  const { url, drop } = db;
  test('kill -9 of one node under load: the others keep serving, nothing acknowledged is lost', { timeout: 60_000 }, async (t) => {
    const nodes: RunningServer[] = [];
    t.after(async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      for (const n of nodes) removeDir(n.dataDir);
      await drop();
    });
    for (let i = 0; i < 3; i++) {
      // --workers 1 serves in the process itself: SIGKILL ends the whole node at once.
      nodes.push(await startServer({ dataDir: tempDir(), workers: 1, env: { KEYHOLD_ROOT_PASSPHRASE: 'kill one, keep the rest' }, args: ['--store', 'postgres', '--postgres-url', url] }));
    }
    const clients: KMSClient[] = nodes.map((n) => n.client({ requestHandler: { requestTimeout: 15_000 } }));
    const seed = (await clients[0]!.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';

    // Six loops, two per node; loops i and i + 3 go to node i.
    const load = startLoad(clients, 6, [seed]);
    await sleep(2500);
    const victim = nodes[2]!;
    const killedAt = performance.now();
    await victim.kill();
    await sleep(2500);
    await load.stop();

    assert.equal(victim.process.signalCode, 'SIGKILL');
    const survivors = load.outcomes.filter((o) => o.target !== 2);
    const survivorErrors = survivors.filter((o) => o.error !== undefined);
    assert.deepEqual(survivorErrors.slice(0, 5), [], `the surviving nodes answered ${survivorErrors.length} errors`);
    const servedAfterKill = survivors.filter((o) => o.startedAt > killedAt + 200).length;
    for (const n of [0, 1]) {
      const served = survivors.filter((o) => o.target === n && o.startedAt > killedAt + 200).length;
      assert.ok(served >= 4, `node ${n + 1} served only ${served} calls after the kill`);
    }
    for (let n = 0; n < 2; n++) assert.equal(nodes[n]!.process.exitCode, null, `node ${n + 1} exited:\n${nodes[n]!.output()}`);

    const acknowledgedByVictim = load.acknowledged.keys.filter((k) => k.target === 2).length;
    assert.ok(acknowledgedByVictim > 0, 'the killed node acknowledged keys before it died');
    // Checked on both survivors, alternately.
    const { keys, ciphertexts } = load.acknowledged;
    for (const [i, { keyId }] of keys.entries()) {
      const { KeyMetadata } = await clients[i % 2]!.send(new DescribeKeyCommand({ KeyId: keyId }));
      assert.equal(KeyMetadata?.KeyId, keyId);
    }
    for (const [i, c] of ciphertexts.entries()) {
      const { Plaintext } = await clients[(i + 1) % 2]!.send(new DecryptCommand({ CiphertextBlob: c.blob }));
      assert.deepEqual(Buffer.from(Plaintext ?? []), c.plaintext);
    }
    const victimCalls = load.outcomes.filter((o) => o.target === 2);
    t.diagnostic(`calls ${load.outcomes.length}: survivors ${survivors.length} (0 errors, ${servedAfterKill} after the kill), ` +
      `killed node ${victimCalls.length} (${victimCalls.filter((o) => o.error !== undefined).length} failed at or after the kill); ` +
      `acknowledged keys ${keys.length} (${acknowledgedByVictim} by the killed node), ciphertexts ${ciphertexts.length}: all present on the survivors`);
  });
}
