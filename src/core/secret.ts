// SecretBytes: key material and plaintext in a type that resists leaking into logs or JSON.
import { timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/** Holds secret bytes. Prints and serialises as `[redacted]`; read with `unsafeBytes()` only
 *  where the bytes must leave (a cipher call, an authorised response); `dispose()` zeroes them. */
export class SecretBytes {
  #bytes: Buffer;
  #disposed = false;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** Takes ownership of `bytes`: the caller must not keep using or mutating the buffer. */
  static adopt(bytes: Buffer): SecretBytes {
    return new SecretBytes(bytes);
  }

  get length(): number {
    return this.#bytes.length;
  }

  unsafeBytes(): Buffer {
    if (this.#disposed) throw new Error('SecretBytes used after dispose');
    return this.#bytes;
  }

  /** Constant-time equality (lengths are not secret). */
  equals(other: SecretBytes): boolean {
    const a = this.unsafeBytes();
    const b = other.unsafeBytes();
    return a.length === b.length && timingSafeEqual(a, b);
  }

  dispose(): void {
    this.#bytes.fill(0);
    this.#disposed = true;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
