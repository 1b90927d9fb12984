// What Sign and Verify check before any cryptography, in this order and with AWS's errors: the
// key is a signing key (InvalidKeyUsageException), the algorithm is one its spec offers
// (InvalidKeyUsageException), and the message suits the algorithm and MessageType
// (ValidationException; AWS KMS API reference, Sign and Verify, MessageType).
import { fail } from '../../core/errors.js';
import type { KeyRecord } from '../../core/keys.js';
import { messageProblem, type MessageType } from '../../crypto/signing-algorithms.js';
import type { SignatureInput } from '../../crypto/signatures.js';
import type { Input } from '../operation.js';
import { requireAlgorithm, requireKeyUsage } from './key-usage-checks.js';

type SigningRequest = Pick<Input<'Sign'>, 'Message' | 'MessageType' | 'SigningAlgorithm'>;

/** The checked request, ready for signMessage or verifySignature. MessageType defaults to RAW. */
export function checkSigningRequest(key: KeyRecord, operation: 'Sign' | 'Verify', input: SigningRequest): SignatureInput {
  requireKeyUsage(key, 'SIGN_VERIFY', operation);
  const algorithm = requireAlgorithm(key, 'signing', input.SigningAlgorithm);
  const messageType: MessageType = input.MessageType ?? 'RAW';
  const problem = messageProblem(algorithm, messageType, input.Message);
  if (problem !== undefined) fail('ValidationException', problem);
  return { algorithm, messageType, message: input.Message };
}
