// Client loops for the failure tests: each loop creates a key, then encrypts under one, until
// stopped, and every call's outcome is kept with its times, so a test can say what failed when,
// and check afterwards that everything acknowledged is still there.
import { randomBytes } from 'node:crypto';
import { CreateKeyCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';

export interface Outcome {
  readonly op: 'CreateKey' | 'Encrypt';
  /** Which client (e.g. which node) the call went to. */
  readonly target: number;
  /** performance.now() when the call was sent and when it settled. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** The AWS error name (e.g. DependencyTimeoutException) or the network error's; undefined on success. */
  readonly error?: string;
  readonly status?: number;
  readonly message?: string;
}

export interface Acknowledged {
  readonly keys: { readonly keyId: string; readonly target: number }[];
  readonly ciphertexts: { readonly keyId: string; readonly blob: Uint8Array; readonly plaintext: Buffer; readonly target: number }[];
}

export interface Load {
  readonly outcomes: Outcome[];
  readonly acknowledged: Acknowledged;
  /** Ends the loops after their current call. */
  stop(): Promise<void>;
}

/** Starts `loops` loops, loop i calling clients[i % clients.length]; `seedKeys` are encrypted under
 *  until the loop's own keys exist. A call is never retried (the clients have maxAttempts 1). */
export function startLoad(clients: readonly KMSClient[], loops: number, seedKeys: readonly string[]): Load {
  const outcomes: Outcome[] = [];
  const acknowledged: Acknowledged = { keys: [], ciphertexts: [] };
  let running = true;
  const call = async <T>(op: Outcome['op'], target: number, send: () => Promise<T>): Promise<T | undefined> => {
    const startedAt = performance.now();
    try {
      const result = await send();
      outcomes.push({ op, target, startedAt, endedAt: performance.now() });
      return result;
    } catch (err) {
      const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      outcomes.push({ op, target, startedAt, endedAt: performance.now(), error: e.name ?? 'Error', ...(status === undefined ? {} : { status }), message: String(e.message) });
      return undefined;
    }
  };
  const loop = async (i: number): Promise<void> => {
    const target = i % clients.length;
    const client = clients[target] as KMSClient;
    const mine: string[] = [];
    while (running) {
      const created = await call('CreateKey', target, () => client.send(new CreateKeyCommand({ Description: `load ${i}` })));
      const keyId = created?.KeyMetadata?.KeyId;
      if (keyId !== undefined) {
        mine.push(keyId);
        acknowledged.keys.push({ keyId, target });
      }
      const pool = mine.length > 0 ? mine : seedKeys;
      const encryptUnder = pool[Math.floor(Math.random() * pool.length)] as string;
      const plaintext = randomBytes(32);
      const encrypted = await call('Encrypt', target, () => client.send(new EncryptCommand({ KeyId: encryptUnder, Plaintext: plaintext })));
      if (encrypted?.CiphertextBlob !== undefined) acknowledged.ciphertexts.push({ keyId: encryptUnder, blob: encrypted.CiphertextBlob, plaintext, target });
      // A failing call returns at once; pause so a loop does not spin while the database is down.
      if (created === undefined || encrypted === undefined) await new Promise((r) => setTimeout(r, 20));
    }
  };
  const done = Promise.all(Array.from({ length: loops }, (_, i) => loop(i)));
  return {
    outcomes,
    acknowledged,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `condition` every 50 ms; false if it is still false after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
