// Import tokens (GetParametersForImport → ImportKeyMaterial). A token carries what the import needs
// — the wrapping algorithm, the wrapping private key and the expiry — sealed with AES-256-GCM under
// a service-held key, with the KMS key's ARN as AAD. So a token is bound to its key (a token for
// another key does not open), cannot be forged or extended, and needs no table: any process or node
// of the deployment opens it. The wrapping private key exists only inside tokens.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { KeyBackend } from '../backends/key-backend.js';
import type { Random } from '../core/clock.js';
import { fail } from '../core/errors.js';
import type { WrappingAlgorithm, WrappingKeySpec } from '../crypto/import-wrapping.js';
import type { Store } from '../store/store.js';
import { SealingKey } from './sealing-key.js';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** How long a token and its public key may be used (AWS: 24 hours). */
export const IMPORT_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface ImportParameters {
  readonly algorithm: WrappingAlgorithm;
  readonly wrappingKeySpec: WrappingKeySpec;
  readonly privateKey: KeyObject;
  readonly expiresAt: Date;
}

interface Payload {
  readonly algorithm: WrappingAlgorithm;
  readonly wrappingKeySpec: WrappingKeySpec;
  /** PKCS#8 DER, base64. */
  readonly privateKey: string;
  readonly expiresAt: number;
}

const INVALID = 'The import token is not valid for this KMS key: pass the ImportToken from the GetParametersForImport response for this key.';

export class ImportTokens {
  readonly #key: SealingKey;
  readonly #random: Random;

  constructor(store: Store, backend: KeyBackend, random: Random) {
    this.#key = new SealingKey(store, backend, 'import_tokens.key', 'keyhold:import-tokens');
    this.#random = random;
  }

  async issue(keyArn: string, parameters: ImportParameters): Promise<Buffer> {
    const key = await this.#key.get(true);
    if (!key) throw new Error('the import token key could not be created');
    const payload: Payload = {
      algorithm: parameters.algorithm,
      wrappingKeySpec: parameters.wrappingKeySpec,
      privateKey: parameters.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
      expiresAt: parameters.expiresAt.getTime(),
    };
    const iv = this.#random.bytes(IV_BYTES);
    const { ciphertext, tag } = key.seal(iv, Buffer.from(JSON.stringify(payload), 'utf8'), aad(keyArn));
    return Buffer.concat([Buffer.from([VERSION]), iv, ciphertext, tag]);
  }

  /** The parameters a token for `keyArn` carries. InvalidImportTokenException for anything keyhold
   *  did not issue for this key; ExpiredImportTokenException once its 24 hours have passed. */
  async open(keyArn: string, token: Buffer, now: Date): Promise<ImportParameters> {
    const key = token.length > 1 + IV_BYTES + TAG_BYTES && token[0] === VERSION ? await this.#key.get(false) : undefined;
    if (!key) fail('InvalidImportTokenException', INVALID);
    const iv = token.subarray(1, 1 + IV_BYTES);
    const sealed = token.subarray(1 + IV_BYTES, token.length - TAG_BYTES);
    const opened = key.open(iv, sealed, token.subarray(token.length - TAG_BYTES), aad(keyArn));
    if (!opened) fail('InvalidImportTokenException', INVALID);
    const payload = JSON.parse(opened.toString('utf8')) as Payload; // sealed by issue(): its own shape
    if (now.getTime() >= payload.expiresAt) {
      fail('ExpiredImportTokenException', 'The import token has expired: call GetParametersForImport for a new public key and token.');
    }
    return {
      algorithm: payload.algorithm,
      wrappingKeySpec: payload.wrappingKeySpec,
      privateKey: createPrivateKey({ key: Buffer.from(payload.privateKey, 'base64'), format: 'der', type: 'pkcs8' }),
      expiresAt: new Date(payload.expiresAt),
    };
  }
}

const aad = (keyArn: string): Buffer => Buffer.from(`keyhold import token v${VERSION}\0${keyArn}`, 'utf8');
