// DeriveSharedSecret: ECDH between a KEY_AGREEMENT key's private half and a peer's public key,
// returning the raw shared secret (AWS API reference). The private key never leaves keyhold.
import { fail } from '../../core/errors.js';
import { deriveEcdhSecret, ECDH_CURVE, ecdhPeerKey } from '../../crypto/ecdh.js';
import { defineOperation } from '../operation.js';
import { endDryRun } from '../dry-run.js';
import { requireAlgorithm, requireKeyUsage } from './key-usage-checks.js';

export const DeriveSharedSecret = defineOperation({
  name: 'DeriveSharedSecret',
  key: {
    from: (i) => i.KeyId, action: 'kms:DeriveSharedSecret', states: 'crypto', aliases: true,
    extraOf: (i) => ({ 'kms:keyagreementalgorithm': i.KeyAgreementAlgorithm }),
  },
  async run({ input }, key) {
    requireKeyUsage(key.record, 'KEY_AGREEMENT', 'DeriveSharedSecret');
    const algorithm = requireAlgorithm(key.record, 'keyAgreement', input.KeyAgreementAlgorithm);
    /* Precondition: no Recipient: keyhold cannot verify Nitro attestation documents. */
    if (input.Recipient !== undefined) fail('UnsupportedOperationException', 'Recipient (attested enclaves) is not supported by keyhold.');
    const material = key.current();
    const curve = ECDH_CURVE[key.record.keySpec];
    if (material?.kind !== 'key-pair' || curve === undefined) fail('KMSInvalidStateException', `${key.record.arn} has no key agreement material.`);
    /* Precondition: the peer's key is a DER SPKI on the KMS key's curve (AWS: "both key pairs must be on the same elliptic curve"). */
    const peer = await ecdhPeerKey(curve, input.PublicKey);
    if ('refused' in peer) fail('ValidationException', peer.refused);
    endDryRun(input);
    return {
      KeyId: key.record.arn,
      SharedSecret: await deriveEcdhSecret(material.privateKey, peer),
      KeyAgreementAlgorithm: algorithm,
      KeyOrigin: key.record.origin,
    };
  },
});
