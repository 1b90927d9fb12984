// keyhold under test: started from bin/keyhold.js on a fresh data dir, then given one key and one blob.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { benchCredentials, config } from './config.js';
import { createGuardedKey } from './guarded-key.js';
import { ENCRYPTION_CONTEXT, PLAINTEXT_BYTES, type Fixture } from './payloads.js';
import { freePort, startServer, type Server } from './processes.js';
import { makeTempDir } from './tempdir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url)); // dist/bench/ -> repo root
const CLI = join(ROOT, 'bin', 'keyhold.js');
const COMPILED_MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface Keyhold extends Server {
  readonly fixture: Fixture;
  /** A key with a realistic 10-statement policy and 50 grants (guarded-key.ts), when asked for. */
  readonly guardedKeyId?: string;
}

export interface KeyholdOptions {
  /** Worker processes (`--workers`); config.workers when absent. */
  readonly workers?: number;
  /** Whether to create the guarded key (50 grants take a few seconds). */
  readonly guarded?: boolean;
  /** false: a null audit sink (KEYHOLD_AUDIT=off), for the audit-cost comparison. */
  readonly audit?: boolean;
  /** A PostgreSQL database to share (`--store postgres`) instead of SQLite in the data dir. */
  readonly postgresUrl?: string;
  /** Use this key and blob (made through another node on the same database) instead of making new ones. */
  readonly fixture?: Fixture;
}

/** Every node on one database must derive the same root key (bench-only value). */
const BENCH_ROOT_PASSPHRASE = 'keyhold bench root passphrase, not a secret';

/** Why keyhold cannot be benchmarked yet, or undefined when it looks runnable. */
export function keyholdMissing(): string | undefined {
  return existsSync(COMPILED_MAIN) ? undefined : `${COMPILED_MAIN} does not exist (src/cli/main.ts not written yet?)`;
}

export async function startKeyhold(options: KeyholdOptions = {}): Promise<Keyhold> {
  const dataDir = makeTempDir('data');
  const port = await freePort();
  let server: Server;
  try {
    server = await startServer(
      'keyhold',
      [CLI, 'serve', '--port', String(port), '--data-dir', dataDir.path, '--workers', String(options.workers ?? config.workers),
        ...(options.postgresUrl === undefined ? [] : ['--store', 'postgres', '--postgres-url', options.postgresUrl])],
      port,
      {
        ...process.env,
        ...(options.postgresUrl !== undefined && { KEYHOLD_ROOT_PASSPHRASE: BENCH_ROOT_PASSPHRASE }),
        KEYHOLD_ADMIN_ACCESS_KEY_ID: benchCredentials.accessKeyId,
        KEYHOLD_ADMIN_SECRET_ACCESS_KEY: benchCredentials.secretAccessKey,
        ...(options.audit === false && { KEYHOLD_AUDIT: 'off' }),
      },
    );
  } catch (err) {
    dataDir.remove();
    throw err;
  }
  const stop = async (): Promise<void> => {
    await server.stop();
    dataDir.remove();
  };
  try {
    const made = options.fixture === undefined ? await makeFixture(port, options.guarded ?? true) : { fixture: options.fixture };
    return { port, pid: server.pid, stop, ...made };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** An SDK client for the keyhold on `port`, with the bench credentials and no retries. */
export function benchKms(port: number): KMSClient {
  return new KMSClient({ endpoint: `http://127.0.0.1:${port}`, region: config.region, credentials: benchCredentials, maxAttempts: 1 });
}

/** Through the real SDK, so a keyhold that the SDK cannot talk to fails here, loudly. */
async function makeFixture(port: number, guarded: boolean): Promise<{ fixture: Fixture; guardedKeyId?: string }> {
  const kms = benchKms(port);
  try {
    const created = await kms.send(new CreateKeyCommand({ Description: 'keyhold bench' }));
    const keyId = created.KeyMetadata?.KeyId;
    if (keyId === undefined) throw new Error('CreateKey returned no KeyMetadata.KeyId');
    const encrypted = await kms.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array(PLAINTEXT_BYTES).fill(7), EncryptionContext: { ...ENCRYPTION_CONTEXT } }),
    );
    if (encrypted.CiphertextBlob === undefined) throw new Error('Encrypt returned no CiphertextBlob');
    const fixture = { keyId, blob: Buffer.from(encrypted.CiphertextBlob).toString('base64') };
    return guarded ? { fixture, guardedKeyId: await createGuardedKey(kms) } : { fixture };
  } finally {
    kms.destroy();
  }
}
