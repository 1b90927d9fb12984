// What survives a crash and what a restart refuses: kill -9 during a stream of writes, a wrong
// root key or passphrase, and the administrator credentials generated on first start.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { cleanEnv, runToExit, spawnKeyhold, waitHealthy } from '../harness/keyhold-process.js';
import { freePort, removeDir, startServer, tempDir, testCredentials } from '../harness/server.js';

const adminEnv = {
  KEYHOLD_ADMIN_ACCESS_KEY_ID: testCredentials.accessKeyId,
  KEYHOLD_ADMIN_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
  KEYHOLD_LOG_LEVEL: 'warn',
};
const serveArgs = (port: number, dataDir: string): string[] => ['serve', '--port', String(port), '--data-dir', dataDir, '--workers', '1'];

/** SHA-256 over the database file and its WAL (if any): the store's bytes on disk. */
function storeHash(dataDir: string): string {
  const h = createHash('sha256');
  for (const name of ['keyhold.db', 'keyhold.db-wal']) {
    const path = join(dataDir, name);
    h.update(`${name}:`);
    if (existsSync(path)) h.update(readFileSync(path));
  }
  return h.digest('hex');
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

test('every acknowledged CreateKey and CreateAlias survives kill -9 in the middle of a stream of writes', async () => {
  const dataDir = tempDir();
  try {
    const first = await startServer({ dataDir });
    const kms = first.client();
    const { KeyMetadata: before } = await kms.send(new CreateKeyCommand({ Description: 'created before the crash' }));
    const { CiphertextBlob: beforeBlob } = await kms.send(
      new EncryptCommand({ KeyId: before?.KeyId, Plaintext: Buffer.from('encrypted before kill -9'), EncryptionContext: { phase: 'before' } }),
    );

    // Four writers, each CreateKey then CreateAlias; only answers received count as acknowledged.
    const KILL_AFTER = 300;
    const keys: string[] = [];
    const aliases = new Map<string, string>();
    let acknowledged = 0;
    let inFlight = 0;
    let inFlightAtKill = -1;
    let killed = false;
    let counter = 0;
    const acknowledge = (): void => {
      acknowledged++;
      if (acknowledged === KILL_AFTER) {
        killed = true;
        inFlightAtKill = inFlight;
        first.process.kill('SIGKILL');
      }
    };
    const call = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
      inFlight++;
      try {
        return await fn();
      } catch (err) {
        if (killed) return undefined; // the connection died with the server
        throw err;
      } finally {
        inFlight--;
      }
    };
    const writer = async (): Promise<void> => {
      while (!killed) {
        const n = counter++;
        const created = await call(() => kms.send(new CreateKeyCommand({ Description: `stream ${n}` })));
        const keyId = created?.KeyMetadata?.KeyId;
        if (keyId === undefined) return;
        keys.push(keyId);
        acknowledge();
        if (killed) return;
        const aliased = await call(() => kms.send(new CreateAliasCommand({ AliasName: `alias/k-${n}`, TargetKeyId: keyId })));
        if (aliased === undefined) return;
        aliases.set(`alias/k-${n}`, keyId);
        acknowledge();
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    await first.kill();
    assert.equal(first.process.signalCode, 'SIGKILL');
    assert.ok(acknowledged >= KILL_AFTER, `only ${acknowledged} operations were acknowledged`);
    assert.ok(inFlightAtKill >= 1, 'no request was in flight when the server was killed');

    const second = await startServer({ dataDir });
    try {
      const kms2 = second.client();
      const missing: string[] = [];
      await pool(keys, 8, async (keyId) => {
        try {
          const { KeyMetadata } = await kms2.send(new DescribeKeyCommand({ KeyId: keyId }));
          if (KeyMetadata?.KeyId !== keyId || KeyMetadata.KeyState !== 'Enabled') missing.push(`${keyId}: ${KeyMetadata?.KeyState}`);
        } catch (err) {
          missing.push(`${keyId}: ${(err as Error).name}`);
        }
      });
      await pool([...aliases], 8, async ([alias, keyId]) => {
        try {
          const { KeyMetadata } = await kms2.send(new DescribeKeyCommand({ KeyId: alias }));
          if (KeyMetadata?.KeyId !== keyId) missing.push(`${alias} resolves to ${KeyMetadata?.KeyId}, not ${keyId}`);
        } catch (err) {
          missing.push(`${alias}: ${(err as Error).name}`);
        }
      });
      assert.deepEqual(missing, [], `${missing.length} of ${keys.length} keys and ${aliases.size} aliases were lost`);

      // ListAliases agrees with DescribeKey: every acknowledged alias is listed with its key.
      const listed = new Map<string, string | undefined>();
      let marker: string | undefined;
      do {
        const page = await kms2.send(new ListAliasesCommand({ Limit: 100, ...(marker !== undefined ? { Marker: marker } : {}) }));
        for (const a of page.Aliases ?? []) listed.set(a.AliasName ?? '', a.TargetKeyId);
        marker = page.Truncated === true ? page.NextMarker : undefined;
      } while (marker !== undefined);
      for (const [alias, keyId] of aliases) assert.equal(listed.get(alias), keyId, `${alias} in ListAliases`);

      const decrypted = await kms2.send(new DecryptCommand({ CiphertextBlob: beforeBlob, EncryptionContext: { phase: 'before' } }));
      assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'encrypted before kill -9');
      assert.equal(decrypted.KeyId, before?.Arn);
    } finally {
      await second.stop();
    }
  } finally {
    removeDir(dataDir);
  }
});

test('a wrong root key file is refused at start and leaves the store byte-for-byte unchanged', async () => {
  const dataDir = tempDir();
  try {
    const first = await startServer({ dataDir });
    const kms = first.client();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from('root key check') }));
    assert.equal(await first.stop(), 0, 'the clean stop exits 0');

    const rootKeyPath = join(dataDir, 'root.key');
    const rightKey = readFileSync(rootKeyPath);
    const hashBefore = storeHash(dataDir);
    const wrongKey = `${randomBytes(32).toString('base64')}\n`;
    writeFileSync(rootKeyPath, wrongKey, { mode: 0o600 });

    const refused = await runToExit(serveArgs(await freePort(), dataDir), cleanEnv(adminEnv));
    assert.notEqual(refused.code, 0, `keyhold started with the wrong root key:\n${refused.stdout}${refused.stderr}`);
    assert.match(refused.stderr, /root key/i);
    assert.doesNotMatch(refused.stderr, /at .*\.js:\d+/, 'a refusal prints a message, not a stack trace');
    assert.equal(storeHash(dataDir), hashBefore, 'the database changed');
    assert.equal(readFileSync(rootKeyPath, 'utf8'), wrongKey, 'the root key file was rewritten');

    // A root key file that is not a 32-byte key is refused too, and names the file.
    writeFileSync(rootKeyPath, 'not a key\n', { mode: 0o600 });
    const malformed = await runToExit(serveArgs(await freePort(), dataDir), cleanEnv(adminEnv));
    assert.notEqual(malformed.code, 0);
    assert.match(malformed.stderr, /root key/i);
    assert.equal(storeHash(dataDir), hashBefore, 'the database changed');

    // With the right key back, everything is there.
    writeFileSync(rootKeyPath, rightKey, { mode: 0o600 });
    const again = await startServer({ dataDir });
    try {
      const decrypted = await again.client().send(new DecryptCommand({ CiphertextBlob }));
      assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'root key check');
    } finally {
      await again.stop();
    }
  } finally {
    removeDir(dataDir);
  }
});

test('a store initialised with KEYHOLD_ROOT_PASSPHRASE refuses another passphrase and opens with the right one', async () => {
  const dataDir = tempDir();
  const passphrase = 'correct horse battery staple';
  try {
    const first = await startServer({ dataDir, env: { KEYHOLD_ROOT_PASSPHRASE: passphrase } });
    const kms = first.client();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from('under a passphrase'), EncryptionContext: { source: 'passphrase' } }),
    );
    assert.equal(await first.stop(), 0);
    assert.equal(existsSync(join(dataDir, 'root.key')), false, 'a passphrase store has no root key file');
    const hashBefore = storeHash(dataDir);

    const wrong = await runToExit(serveArgs(await freePort(), dataDir), cleanEnv({ ...adminEnv, KEYHOLD_ROOT_PASSPHRASE: 'incorrect horse battery staple' }));
    assert.notEqual(wrong.code, 0, `keyhold started with the wrong passphrase:\n${wrong.stdout}${wrong.stderr}`);
    assert.match(wrong.stderr, /passphrase/i);
    assert.match(wrong.stderr, /root/i);

    const none = await runToExit(serveArgs(await freePort(), dataDir), cleanEnv(adminEnv));
    assert.notEqual(none.code, 0, 'keyhold started without the passphrase');
    assert.match(none.stderr, /KEYHOLD_ROOT_PASSPHRASE/);
    assert.equal(existsSync(join(dataDir, 'root.key')), false, 'a refused start created a root key file');
    assert.equal(storeHash(dataDir), hashBefore, 'a refused start changed the database');

    const right = await startServer({ dataDir, env: { KEYHOLD_ROOT_PASSPHRASE: passphrase } });
    try {
      const decrypted = await right.client().send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { source: 'passphrase' } }));
      assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'under a passphrase');
    } finally {
      await right.stop();
    }
  } finally {
    removeDir(dataDir);
  }
});

test('without KEYHOLD_ADMIN_* the first start prints generated credentials once and writes them 0600 for profile keyhold', async () => {
  const dataDir = tempDir();
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = spawnKeyhold(serveArgs(port, dataDir), cleanEnv({ KEYHOLD_LOG_LEVEL: 'warn' }));
    let accessKeyId: string;
    let secretAccessKey: string;
    try {
      await waitHealthy(first, url);
      const deadline = Date.now() + 5000;
      while (!/aws_secret_access_key/.test(first.stdout()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const printed = first.stdout();
      accessKeyId = /aws_access_key_id\s*=\s*(\S+)/.exec(printed)?.[1] ?? '';
      secretAccessKey = /aws_secret_access_key\s*=\s*(\S+)/.exec(printed)?.[1] ?? '';
      assert.match(accessKeyId, /^AKIA[A-Z0-9]{16}$/, printed);
      assert.ok(secretAccessKey.length >= 40, 'the printed secret is at least 40 characters');
      assert.equal(first.output().split(secretAccessKey).length - 1, 1, 'the secret is printed exactly once');

      const credentialsPath = join(dataDir, 'credentials');
      assert.equal(statSync(credentialsPath).mode & 0o777, 0o600);
      assert.equal(readFileSync(credentialsPath, 'utf8'), `[keyhold]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`);

      // The file works as an AWS shared-credentials file, and its credentials work with the SDK.
      const fromFile = await fromIni({ profile: 'keyhold', filepath: credentialsPath, configFilepath: join(dataDir, 'no-such-config') })();
      assert.equal(fromFile.accessKeyId, accessKeyId);
      assert.equal(fromFile.secretAccessKey, secretAccessKey);
      const kms = new KMSClient({ endpoint: url, region: 'us-east-1', maxAttempts: 1, credentials: fromIni({ profile: 'keyhold', filepath: credentialsPath, configFilepath: join(dataDir, 'no-such-config') }) });
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'with generated credentials' }));
      assert.ok(KeyMetadata?.KeyId);
      kms.destroy();
    } finally {
      assert.equal(await first.stop(), 0);
    }

    const fileBefore = readFileSync(join(dataDir, 'credentials'), 'utf8');
    const second = spawnKeyhold(serveArgs(port, dataDir), cleanEnv({ KEYHOLD_LOG_LEVEL: 'info' }));
    try {
      await waitHealthy(second, url);
      const kms = new KMSClient({ endpoint: url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId, secretAccessKey } });
      const { Keys } = await kms.send(new ListKeysCommand({}));
      assert.equal(Keys?.length, 1, 'the key created on the first start is there');
      kms.destroy();
    } finally {
      assert.equal(await second.stop(), 0);
    }
    assert.doesNotMatch(second.output(), /generated administrator credentials|aws_secret_access_key/);
    assert.equal(second.output().includes(secretAccessKey), false, 'the second start printed the secret');
    assert.equal(readFileSync(join(dataDir, 'credentials'), 'utf8'), fileBefore, 'the second start rewrote the credentials file');
  } finally {
    removeDir(dataDir);
  }
});
