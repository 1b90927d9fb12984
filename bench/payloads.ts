// The request bodies measured: the three hot KMS operations with realistic small payloads.
import { randomBytes } from 'node:crypto';

export type Operation = 'Encrypt' | 'Decrypt' | 'GenerateDataKey';
export const OPERATIONS: readonly Operation[] = ['Encrypt', 'Decrypt', 'GenerateDataKey'];

export const PLAINTEXT_BYTES = 512;
export const ENCRYPTION_CONTEXT = { tenant: 'bench', purpose: 'throughput' } as const;

export interface Fixture {
  readonly keyId: string;
  /** A CiphertextBlob (base64) made by Encrypt under keyId with ENCRYPTION_CONTEXT. */
  readonly blob: string;
}

/** Body of the i-th request of `op`. Encrypt plaintexts differ per request so the server
 *  cannot benefit from identical inputs; Decrypt replays one blob, as a hot data key would. */
export function bodyFor(op: Operation, fixture: Fixture): (i: number) => string {
  switch (op) {
    case 'Encrypt':
      return () =>
        JSON.stringify({
          KeyId: fixture.keyId,
          Plaintext: randomBytes(PLAINTEXT_BYTES).toString('base64'),
          EncryptionContext: ENCRYPTION_CONTEXT,
        });
    case 'Decrypt':
      return () => JSON.stringify({ CiphertextBlob: fixture.blob, EncryptionContext: ENCRYPTION_CONTEXT });
    case 'GenerateDataKey':
      return () =>
        JSON.stringify({ KeyId: fixture.keyId, KeySpec: 'AES_256', EncryptionContext: ENCRYPTION_CONTEXT });
  }
}
