// The peer's public key as DeriveSharedSecret receives it: a DER SubjectPublicKeyInfo (RFC 5280)
// for id-ecPublicKey on a named curve (RFC 5480 §2.1.1). Checked here byte for byte, because
// OpenSSL alone ignores bytes after the structure and takes explicit curve parameters that merely
// resemble a named curve (a missing or wrong cofactor: Wycheproof's "UnnamedCurve" cases).

export type EcdhCurve = 'P-256' | 'P-384' | 'P-521' | 'SM2';

/** DER of AlgorithmIdentifier { id-ecPublicKey 1.2.840.10045.2.1, namedCurve }, per curve. */
const ALGORITHM_IDENTIFIER: Readonly<Record<EcdhCurve, Buffer>> = {
  'P-256': Buffer.from('301306072a8648ce3d020106082a8648ce3d030107', 'hex'), // secp256r1 1.2.840.10045.3.1.7
  'P-384': Buffer.from('301006072a8648ce3d020106052b81040022', 'hex'), // secp384r1 1.3.132.0.34
  'P-521': Buffer.from('301006072a8648ce3d020106052b81040023', 'hex'), // secp521r1 1.3.132.0.35
  SM2: Buffer.from('301306072a8648ce3d020106082a811ccf5501822d', 'hex'), // sm2p256v1 1.2.156.10197.1.301
};

const TAG_SEQUENCE = 0x30;
const TAG_BIT_STRING = 0x03;

/** The encoded point (SEC 1 §2.3.3: 04‖x‖y, or 02/03‖x) inside `der`, when `der` is exactly
 *  SEQUENCE { AlgorithmIdentifier naming `curve`, BIT STRING with no unused bits } and nothing
 *  more; undefined otherwise. Whether the point is on the curve is for the caller to check. */
export function spkiPoint(der: Buffer, curve: EcdhCurve): Buffer | undefined {
  const outer = readTlv(der, 0, TAG_SEQUENCE);
  if (outer === undefined || outer.end !== der.length) return undefined;
  const algorithm = ALGORITHM_IDENTIFIER[curve];
  if (!der.subarray(outer.start, outer.start + algorithm.length).equals(algorithm)) return undefined;
  const key = readTlv(der, outer.start + algorithm.length, TAG_BIT_STRING);
  if (key === undefined || key.end !== outer.end || key.end - key.start < 2 || der[key.start] !== 0) return undefined;
  return der.subarray(key.start + 1, key.end);
}

/** The TLV at `at` when its tag is `tag` and its definite length (short form, or one or two
 *  length bytes: PublicKey is at most 8192 bytes) fits in `der`: where its contents start and end. */
function readTlv(der: Buffer, at: number, tag: number): { start: number; end: number } | undefined {
  if (der[at] !== tag) return undefined;
  const first = der[at + 1];
  if (first === undefined) return undefined;
  let start = at + 2;
  let length = first;
  if (first >= 0x80) {
    const lengthBytes = first & 0x7f;
    if (lengthBytes === 0 || lengthBytes > 2) return undefined;
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + (der[start + i] ?? NaN);
    start += lengthBytes;
  }
  const end = start + length;
  return Number.isFinite(end) && end <= der.length ? { start, end } : undefined;
}
