// Strict DER (X.690 §10) for the few ASN.1 shapes SM2 needs: SEQUENCE, INTEGER and OCTET STRING
// with definite, minimal lengths under 64 KiB. Reading never throws: malformed input is null.

export const TAG_INTEGER = 0x02;
export const TAG_OCTET_STRING = 0x04;
export const TAG_SEQUENCE = 0x30;

/** Reads TLVs one after another from `der`, with bounds checks at every step. */
export class DerReader {
  readonly #der: Buffer;
  #offset = 0;

  constructor(der: Buffer) {
    this.#der = der;
  }

  /** True once every byte has been read (callers reject trailing bytes with it). */
  get done(): boolean {
    return this.#offset === this.#der.length;
  }

  /** The contents of the next TLV when its tag is `tag`; null when the tag differs, the length is
   *  not minimal DER, or the value runs past the end. */
  read(tag: number): Buffer | null {
    const der = this.#der;
    let at = this.#offset;
    if (der[at++] !== tag) return null;
    const first = der[at++];
    if (first === undefined) return null;
    let length = first;
    if (first === 0x81) {
      length = der[at++] ?? -1;
      if (length < 0x80) return null; // would fit the short form
    } else if (first === 0x82) {
      const high = der[at++];
      const low = der[at++];
      if (high === undefined || low === undefined || high === 0) return null; // would fit 0x81
      length = (high << 8) | low;
    } else if (first >= 0x80) {
      return null; // indefinite, or longer than keyhold ever reads
    }
    if (at + length > der.length) return null;
    this.#offset = at + length;
    return der.subarray(at, at + length);
  }
}

/** The contents of a DER INTEGER as an unsigned big-endian number of exactly `size` bytes; null
 *  when it is negative, not minimally encoded, or does not fit. */
export function unsignedInteger(contents: Buffer, size: number): Buffer | null {
  if (contents.length === 0 || (contents[0] ?? 0) >= 0x80) return null;
  if (contents.length > 1 && contents[0] === 0 && (contents[1] ?? 0) < 0x80) return null;
  const digits = contents[0] === 0 ? contents.subarray(1) : contents;
  if (digits.length > size) return null;
  const out = Buffer.alloc(size);
  digits.copy(out, size - digits.length);
  return out;
}

/** One DER TLV. */
export function tlv(tag: number, contents: Buffer): Buffer {
  const n = contents.length;
  if (n > 0xffff) throw new RangeError('DER value too long');
  const length = n < 0x80 ? [n] : n <= 0xff ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), contents]);
}

/** A DER INTEGER holding the unsigned big-endian number `value`, minimally encoded. */
export function integer(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const digits = value.subarray(start);
  const contents = (digits[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), digits]) : Buffer.from(digits);
  return tlv(TAG_INTEGER, contents.length === 0 ? Buffer.from([0]) : contents);
}
