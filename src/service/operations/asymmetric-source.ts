// Which key opens a ciphertext, for Decrypt and ReEncrypt. A keyhold blob names its key in its
// header, so KeyId is optional and, when given, must name that key. A raw RSA or SM2 ciphertext
// names nothing: the request's KeyId and asymmetric EncryptionAlgorithm say which key and how (AWS
// API reference, Decrypt: both "required only when the ciphertext was encrypted under an
// asymmetric KMS key"). The request decides the branch, never the ciphertext's bytes, so a raw
// ciphertext that happens to start like a blob header is still read as what the caller said.
import type { Principal } from '../../auth/principal.js';
import { fail } from '../../core/errors.js';
import type { EncryptionAlgorithm } from '../../core/key-specs.js';
import { parseKmsArn } from '../../core/keys.js';
import { decodeBlob } from '../../wire/ciphertext.js';
import { decryptUnder, requireBlob } from '../envelope.js';
import type { CachedKey } from '../key-cache.js';
import type { KeyUse } from '../operation.js';
import { decryptAsymmetric, isAsymmetricAlgorithm, requireAsymmetricUse } from './asymmetric-encryption.js';
import { requireSymmetricAlgorithm } from './symmetric-checks.js';

type Context = Readonly<Record<string, string>> | undefined;

export interface SourceRequest {
  readonly blob: Buffer | undefined;
  /** KeyId (Decrypt) or SourceKeyId (ReEncrypt). */
  readonly keyId: string | undefined;
  readonly algorithm: EncryptionAlgorithm | undefined;
  readonly context: Context;
}

export interface OpenedSource {
  readonly plaintext: Buffer;
  readonly algorithm: EncryptionAlgorithm;
  /** The material that decrypted; AWS reports it only for symmetric keys. */
  readonly materialId: string | undefined;
}

/** How Decrypt and ReEncrypt declare the key the pipeline resolves: the key the blob names (whose
 *  account the blob, not the caller, decides: `fromCiphertext`), or for a raw asymmetric
 *  ciphertext the named key, resolved as any KeyId (`sourceKeyUse`). */
export const SOURCE_KEY_USE = { states: 'crypto', aliases: true, fromCiphertext: true } as const;

/** For a raw asymmetric ciphertext the caller's KeyId names the key: it is resolved like any KeyId
 *  (in the caller's account unless an ARN says otherwise; NotFoundException when absent). */
export function sourceKeyUse(request: Pick<SourceRequest, 'keyId' | 'algorithm'>): Partial<KeyUse> | undefined {
  return request.keyId !== undefined && isAsymmetricAlgorithm(request.algorithm) ? { fromCiphertext: false } : undefined;
}

/** The key id the pipeline resolves for `request` (see SOURCE_KEY_USE). A ciphertext that is no
 *  blob resolves the KeyId when there is one, so that `openSource` can say what is missing. */
export function sourceKeyId(request: Omit<SourceRequest, 'context'>): string {
  const blob = requireBlob(request.blob);
  if (request.keyId !== undefined && isAsymmetricAlgorithm(request.algorithm)) return request.keyId;
  const parts = decodeBlob(blob);
  if (parts) return parts.keyId;
  if (request.keyId !== undefined) return request.keyId;
  return notABlob();
}

/** A request as `run` sees it: the source fields, the operation (for messages) and the caller. */
export interface OpenRequest extends SourceRequest {
  readonly operation: 'Decrypt' | 'ReEncrypt';
  readonly action: 'kms:Decrypt' | 'kms:ReEncryptFrom';
  readonly principal: Principal;
}

/** A KeyId given beside a keyhold blob must name the key the blob names (AWS: IncorrectKeyException),
 *  checked before anything is decrypted; it is resolved and authorised like the key itself. Does
 *  nothing for other requests (`openSource` handles them), so callers call it whenever KeyId is set. */
export async function checkNamedKey(key: CachedKey, request: OpenRequest, useKey: (keyId: string, use: KeyUse) => Promise<CachedKey>): Promise<void> {
  const { keyId } = request;
  if (keyId === undefined || isAsymmetricAlgorithm(request.algorithm) || !decodeBlob(requireBlob(request.blob))) return;
  const named = await useKey(keyId, { action: request.action, states: 'any', aliases: true, context: request.context });
  /* Precondition: a KeyId, when given, names the key that encrypted (AWS: IncorrectKeyException). */
  if (named.record.id !== key.record.id) fail('IncorrectKeyException', 'The key ID in the request does not identify the KMS key that encrypted the ciphertext.');
}

/** Checks the algorithm and context against `key` (resolved from `sourceKeyId`, and checked by
 *  `checkNamedKey` when a KeyId came with a blob) and decrypts; the caller zeroes the plaintext.
 *  Synchronous, so the symmetric path costs what it did before asymmetric keys. */
export function openSource(key: CachedKey, request: OpenRequest): OpenedSource {
  const { keyId, algorithm, context } = request;
  const blob = requireBlob(request.blob);
  if (keyId !== undefined && isAsymmetricAlgorithm(algorithm)) {
    requireCallersAccount(key, keyId, request.principal);
    const checked = requireAsymmetricUse(key.record, algorithm, context, request.operation);
    return { plaintext: decryptAsymmetric(key, checked, blob), algorithm: checked, materialId: undefined };
  }
  const parts = decodeBlob(blob);
  if (!parts) {
    // `key` is the one KeyId named: if it is asymmetric, the missing EncryptionAlgorithm is the
    // fault (InvalidKeyUsageException: SYMMETRIC_DEFAULT is not one of its algorithms).
    if (keyId !== undefined) requireCallersAccount(key, keyId, request.principal);
    if (key.record.keySpec !== 'SYMMETRIC_DEFAULT') requireAsymmetricUse(key.record, algorithm, context, request.operation);
    return notABlob();
  }
  requireSymmetricAlgorithm(key.record, algorithm);
  return { plaintext: decryptUnder(key, parts, context), algorithm: 'SYMMETRIC_DEFAULT', materialId: parts.materialId };
}

/** A KeyId names a key of the caller's account unless it is an ARN (AWS: "to specify a KMS key in a
 *  different account, you must use the key ARN or alias ARN"). The pipeline resolved it with
 *  `fromCiphertext`, which skips that rule for keys named by blobs, so it is applied here. */
function requireCallersAccount(key: CachedKey, keyId: string, principal: Principal): void {
  const account = parseKmsArn(keyId)?.account ?? principal.accountId;
  if (key.record.accountId !== account) fail('NotFoundException', `Key '${keyId}' does not exist`);
}

function notABlob(): never {
  fail('InvalidCiphertextException', 'The ciphertext is invalid or was not produced by keyhold (a ciphertext of an asymmetric key needs KeyId and EncryptionAlgorithm).');
}
