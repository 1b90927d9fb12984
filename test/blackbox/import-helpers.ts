// Wrapping key material for ImportKeyMaterial the way customers do: with the openssl command (as the
// AWS Developer Guide shows) or with Node's crypto, for each of AWS's wrapping algorithms.
import { execFileSync } from 'node:child_process';
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetParametersForImportCommand, ImportKeyMaterialCommand, type ImportKeyMaterialCommandInput, type KMSClient } from '@aws-sdk/client-kms';

export type WrappingAlgorithm = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256';
export type Wrapper = (publicKeyDer: Uint8Array, algorithm: WrappingAlgorithm, material: Buffer) => Buffer;

const hashOf = (algorithm: WrappingAlgorithm): 'sha1' | 'sha256' => (algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256');

/** Node's crypto: RSA-OAEP, and for RSA_AES_KEY_WRAP an AES-256 key wrapped with OAEP followed by
 *  the material under AES Key Wrap with Padding (RFC 5649). */
export const wrapWithNode: Wrapper = (publicKeyDer, algorithm, material) => {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  const oaep = (data: Buffer): Buffer => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hashOf(algorithm) }, data);
  if (algorithm.startsWith('RSAES_OAEP')) return oaep(material);
  const aesKey = randomBytes(32);
  const cipher = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('a65959a6', 'hex'));
  return Buffer.concat([oaep(aesKey), cipher.update(material), cipher.final()]);
};

/** The openssl command line: pkeyutl with OAEP (MGF1 with the same hash), and for RSA_AES_KEY_WRAP
 *  `openssl enc -id-aes256-wrap-pad` for the material, as the AWS Developer Guide builds it. */
export const wrapWithOpenssl: Wrapper = (publicKeyDer, algorithm, material) => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-wrap-'));
  try {
    const file = (name: string): string => join(dir, name);
    writeFileSync(file('public.der'), publicKeyDer);
    writeFileSync(file('material.bin'), material);
    const md = hashOf(algorithm);
    const oaep = (input: string, output: string): void => {
      execFileSync('openssl', ['pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', file('public.der'), '-in', file(input), '-out', file(output),
        '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${md}`, '-pkeyopt', `rsa_mgf1_md:${md}`]);
    };
    if (algorithm.startsWith('RSAES_OAEP')) {
      oaep('material.bin', 'wrapped.bin');
      return readFileSync(file('wrapped.bin'));
    }
    execFileSync('openssl', ['rand', '-out', file('aes.bin'), '32']);
    const aesHex = readFileSync(file('aes.bin')).toString('hex');
    execFileSync('openssl', ['enc', '-id-aes256-wrap-pad', '-K', aesHex, '-iv', 'A65959A6', '-in', file('material.bin'), '-out', file('material.wrapped')]);
    oaep('aes.bin', 'aes.wrapped');
    return Buffer.concat([readFileSync(file('aes.wrapped')), readFileSync(file('material.wrapped'))]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export interface ImportOptions extends Partial<Omit<ImportKeyMaterialCommandInput, 'KeyId' | 'ImportToken' | 'EncryptedKeyMaterial'>> {
  readonly algorithm?: WrappingAlgorithm;
  readonly wrappingKeySpec?: 'RSA_2048' | 'RSA_3072' | 'RSA_4096';
  readonly wrap?: Wrapper;
}

/** GetParametersForImport, wrap, ImportKeyMaterial; material that does not expire unless told. */
export async function importMaterial(kms: KMSClient, KeyId: string, material: Buffer, options: ImportOptions = {}): Promise<string> {
  const { algorithm = 'RSAES_OAEP_SHA_256', wrappingKeySpec = 'RSA_2048', wrap = wrapWithNode, ...rest } = options;
  const params = await kms.send(new GetParametersForImportCommand({ KeyId, WrappingAlgorithm: algorithm, WrappingKeySpec: wrappingKeySpec }));
  const imported = await kms.send(new ImportKeyMaterialCommand({
    KeyId,
    ImportToken: params.ImportToken,
    EncryptedKeyMaterial: wrap(params.PublicKey ?? new Uint8Array(), algorithm, material),
    ...(rest.ValidTo === undefined && rest.ExpirationModel === undefined ? { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } : {}),
    ...rest,
  }));
  return imported.KeyMaterialId ?? '';
}
