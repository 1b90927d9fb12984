// A service-held AES-256 key that exists only wrapped under the root key, in the store's meta
// table, created by the first caller that needs to seal and shared by every process and node.
// Grant tokens and import tokens are sealed under keys of this kind.
import type { KeyBackend, SymmetricMaterial } from '../backends/key-backend.js';
import type { Store } from '../store/store.js';

export class SealingKey {
  readonly #store: Store;
  readonly #backend: KeyBackend;
  readonly #metaName: string;
  /** The name the key is wrapped under: one no KMS key ARN can take. */
  readonly #wrapName: string;
  #key: SymmetricMaterial | undefined;

  constructor(store: Store, backend: KeyBackend, metaName: string, wrapName: string) {
    this.#store = store;
    this.#backend = backend;
    this.#metaName = metaName;
    this.#wrapName = wrapName;
  }

  /** The opened key, cached for the life of the process once it exists. Only a sealer (`create`)
   *  writes it: opening never writes, and no key means nothing was ever sealed. */
  async get(create: boolean): Promise<SymmetricMaterial | undefined> {
    if (this.#key) return this.#key;
    let stored = await this.#store.read((tx) => tx.getMeta(this.#metaName));
    if (stored === undefined && create) {
      // Re-read inside the write transaction: another process may have created it meanwhile.
      stored = await this.#store.transaction(async (tx) => {
        const existing = await tx.getMeta(this.#metaName);
        if (existing !== undefined) return existing;
        const created = await this.#backend.createMaterial({ arn: this.#wrapName });
        const text = `${created.materialId}.${created.wrapped.toString('base64')}`;
        await tx.setMeta(this.#metaName, text);
        return text;
      });
    }
    if (stored === undefined) return undefined;
    const [materialId = '', wrapped = ''] = stored.split('.');
    const opened = this.#backend.openMaterial(
      { arn: this.#wrapName },
      { keyId: this.#wrapName, materialId, wrapped: Buffer.from(wrapped, 'base64'), createdAt: new Date(0), rotationType: null },
    );
    if (opened.kind !== 'symmetric') throw new Error(`the sealing key ${this.#wrapName} is not symmetric`);
    this.#key = opened;
    return this.#key;
  }
}
