// What of a request and its response goes into an audit event: everything but secrets. Values that
// are bytes (plaintext, ciphertext, signatures, key material, tokens as blobs) are dropped, and so
// is every field whose name says it is secret. Names become lowerCamelCase as in CloudTrail;
// the keys of encryption contexts are the caller's data and stay as they are.

/** Fields never recorded, by lower-cased name: secrets and caller data that may be secret — every
 *  blob member of the KMS model (which arrives as base64 text, not bytes), every token and credential. */
const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'plaintext', 'ciphertextblob', 'ciphertextforrecipient', 'privatekeyplaintext', 'privatekeyciphertextblob',
  'sharedsecret', 'message', 'signature', 'mac', 'importtoken', 'encryptedkeymaterial', 'granttoken', 'granttokens',
  'secretaccesskey', 'sessiontoken', 'password', 'externalid', 'tokencode', 'servicetoken', 'credentials',
  'xksproxyauthenticationcredential', 'keystorepassword', 'pin', 'attestationdocument', 'publickey',
]);
/** Maps whose keys are the caller's own (kept verbatim). */
const VERBATIM_MAPS: ReadonlySet<string> = new Set(['encryptioncontext', 'encryptioncontextsubset', 'encryptioncontextequals']);
const MAX_STRING = 4096;
/** Valid KMS, IAM and STS requests nest a few levels and list a few hundred items at most; a
 *  malformed one may nest ten thousand deep, and its event still has to be written. */
const MAX_DEPTH = 12;
const MAX_ITEMS = 1000;

export function redact(value: unknown): Readonly<Record<string, unknown>> | null {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) return null;
  const out = copy(value, false, 0);
  return typeof out === 'object' && out !== null && Object.keys(out).length > 0 ? (out as Record<string, unknown>) : null;
}

function copy(value: unknown, verbatimKeys: boolean, depth: number): unknown {
  if (value === null || value === undefined || depth > MAX_DEPTH) return undefined;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => copy(v, false, depth + 1)).filter((v) => v !== undefined);
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>).slice(0, MAX_ITEMS)) {
    const lower = name.toLowerCase();
    if (!verbatimKeys && SECRET_FIELDS.has(lower)) continue;
    const kept = copy(v, !verbatimKeys && VERBATIM_MAPS.has(lower), depth + 1);
    if (kept !== undefined) out[verbatimKeys ? name : lowerCamel(name)] = kept;
  }
  return out;
}

const lowerCamel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
