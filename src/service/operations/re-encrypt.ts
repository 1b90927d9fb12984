// ReEncrypt: decrypts under the source key and encrypts under the destination key, without the
// plaintext ever leaving the service. Either side may be symmetric or asymmetric (AWS API
// reference, ReEncrypt): an asymmetric source needs SourceKeyId and SourceEncryptionAlgorithm
// (asymmetric-source.ts); an asymmetric destination needs DestinationEncryptionAlgorithm, takes
// no DestinationEncryptionContext and yields a raw RSAES-OAEP or SM2PKE ciphertext.
import { encryptUnder } from '../envelope.js';
import type { CachedKey } from '../key-cache.js';
import type { ReEncryptRequest } from '../model/kms-model.js';
import { defineOperation } from '../operation.js';
import { endDryRun } from '../dry-run.js';
import { encryptAsymmetric, requireAsymmetricUse, requirePlaintextFits, type AsymmetricAlgorithm } from './asymmetric-encryption.js';
import { SOURCE_KEY_USE, checkNamedKey, openSource, sourceKeyId, sourceKeyUse, type OpenRequest } from './asymmetric-source.js';
import { requireSymmetricAlgorithm } from './symmetric-checks.js';

export const ReEncrypt = defineOperation({
  name: 'ReEncrypt',
  key: {
    ...SOURCE_KEY_USE,
    from: (i) => sourceKeyId({ blob: i.CiphertextBlob, keyId: i.SourceKeyId, algorithm: i.SourceEncryptionAlgorithm }),
    useOf: (i) => sourceKeyUse({ keyId: i.SourceKeyId, algorithm: i.SourceEncryptionAlgorithm }),
    contextOf: (i) => i.SourceEncryptionContext,
    action: 'kms:ReEncryptFrom',
    extraOf: (i) => ({ 'kms:encryptionalgorithm': i.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' }),
  },
  async run({ input, deps, useKey, request }, source) {
    const sourceRequest: OpenRequest = {
      blob: input.CiphertextBlob, keyId: input.SourceKeyId, algorithm: input.SourceEncryptionAlgorithm, context: input.SourceEncryptionContext,
      operation: 'ReEncrypt', action: 'kms:ReEncryptFrom', principal: request.principal,
    };
    if (sourceRequest.keyId !== undefined) await checkNamedKey(source, sourceRequest, useKey);
    const destination = await useKey(input.DestinationKeyId, {
      action: 'kms:ReEncryptTo', states: 'crypto', aliases: true, context: input.DestinationEncryptionContext,
      extra: { 'kms:encryptionalgorithm': input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' },
    });
    // The destination is checked before anything is decrypted: no plaintext for a request that cannot finish.
    const asymmetric = destinationAlgorithm(destination, input);
    const opened = openSource(source, sourceRequest);
    try {
      if (asymmetric !== undefined) requirePlaintextFits(destination.record, asymmetric, opened.plaintext);
      endDryRun(input);
      const encrypted = asymmetric === undefined
        ? encryptUnder(destination, opened.plaintext, input.DestinationEncryptionContext, deps.random)
        : { blob: encryptAsymmetric(destination, asymmetric, opened.plaintext, deps.random), materialId: undefined };
      return {
        CiphertextBlob: encrypted.blob,
        SourceKeyId: source.record.arn,
        KeyId: destination.record.arn,
        SourceEncryptionAlgorithm: opened.algorithm,
        DestinationEncryptionAlgorithm: asymmetric ?? 'SYMMETRIC_DEFAULT',
        ...(opened.materialId === undefined ? {} : { SourceKeyMaterialId: opened.materialId }),
        ...(encrypted.materialId === undefined ? {} : { DestinationKeyMaterialId: encrypted.materialId }),
      };
    } finally {
      opened.plaintext.fill(0);
    }
  },
});

/** The destination's asymmetric algorithm, checked; undefined for a symmetric destination. */
function destinationAlgorithm(destination: CachedKey, input: ReEncryptRequest): AsymmetricAlgorithm | undefined {
  if (destination.record.keySpec === 'SYMMETRIC_DEFAULT') {
    requireSymmetricAlgorithm(destination.record, input.DestinationEncryptionAlgorithm);
    return undefined;
  }
  return requireAsymmetricUse(destination.record, input.DestinationEncryptionAlgorithm, input.DestinationEncryptionContext, 'ReEncrypt');
}
