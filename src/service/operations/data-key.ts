// The data key both GenerateDataKey operations create: KeySpec or NumberOfBytes, exactly one.
import { fail } from '../../core/errors.js';
import type { Random } from '../../core/clock.js';
import type { CachedKey } from '../key-cache.js';
import { encryptUnder, type Encrypted } from '../envelope.js';
import { endDryRun } from '../dry-run.js';
import { requireSymmetricAlgorithm } from './symmetric-checks.js';

export interface DataKeyRequest {
  readonly KeySpec?: 'AES_256' | 'AES_128';
  readonly NumberOfBytes?: number;
  readonly EncryptionContext?: Readonly<Record<string, string>>;
  readonly Recipient?: unknown;
}

/** Checks the request, honours DryRun, then generates a data key and its ciphertext.
 *  The caller must zero `plaintext` when done. */
export function generateDataKey(key: CachedKey, input: DataKeyRequest & { readonly DryRun?: boolean }, random: Random): Encrypted & { readonly plaintext: Buffer } {
  requireSymmetricAlgorithm(key.record, undefined);
  /* Precondition: exactly one of KeySpec and NumberOfBytes (AWS API reference). */
  if ((input.KeySpec === undefined) === (input.NumberOfBytes === undefined)) {
    fail('ValidationException', 'Please specify either number of bytes or key spec.');
  }
  if (input.Recipient !== undefined) fail('UnsupportedOperationException', 'Recipient (attested enclaves) is not supported by keyhold.');
  endDryRun(input);
  const length = input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32);
  const plaintext = random.bytes(length);
  return { ...encryptUnder(key, plaintext, input.EncryptionContext, random), plaintext };
}
