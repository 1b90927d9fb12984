// What a grant may be, as the AWS KMS API reference (CreateGrant, GrantConstraints) and Developer
// Guide ("Grant constraints") define it: principal ARNs, operations the key supports, encryption
// context constraints, and grant ids. Pure: every check throws the client's error or returns.
import { fail } from '../../core/errors.js';
import type { KeyRecord, KeyUsage } from '../../core/keys.js';
import type { GrantConstraints, GrantOperation } from '../../policy/grants.js';
import type { GrantConstraints as ApiGrantConstraints } from '../model/kms-model.js';

type Context = Readonly<Record<string, string>>;

// IAM names and path segments: letters, digits and +=,.@_- (IAM quotas: name requirements).
const NAME = '[\\w+=,.@-]+';
const PRINCIPAL_ARN = new RegExp(`^arn:aws:(?:iam::\\d{12}:(?:root|(?:user|role)/(?:${NAME}/)*${NAME})|sts::\\d{12}:assumed-role/${NAME}/${NAME})$`);

/** A grantee or retiring principal: an account root, IAM user, IAM role or assumed-role session
 *  ARN. AWS answers any other value with InvalidArnException "ARN does not refer to a valid principal". */
export function checkPrincipalArn(value: string): void {
  if (!PRINCIPAL_ARN.test(value)) fail('InvalidArnException', `ARN does not refer to a valid principal: ${value}`);
}

const ALWAYS: readonly GrantOperation[] = ['CreateGrant', 'RetireGrant', 'DescribeKey'];

/** "The operation must be supported on the KMS key" (API reference, CreateGrant: Operations).
 *  keyhold's ENCRYPT_DECRYPT keys are all symmetric, so they take the data-key operations. */
const OPERATIONS_BY_USAGE: Readonly<Record<KeyUsage, ReadonlySet<GrantOperation>>> = {
  ENCRYPT_DECRYPT: new Set<GrantOperation>([
    'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
    'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', ...ALWAYS,
  ]),
  SIGN_VERIFY: new Set<GrantOperation>(['Sign', 'Verify', 'GetPublicKey', ...ALWAYS]),
  GENERATE_VERIFY_MAC: new Set<GrantOperation>(['GenerateMac', 'VerifyMac', ...ALWAYS]),
  KEY_AGREEMENT: new Set<GrantOperation>(['DeriveSharedSecret', 'GetPublicKey', ...ALWAYS]),
};

/** The grant's operations, each once, in the order given. Preconditions: at least one, not
 *  CreateGrant alone (AWS answers "Grants must not contain only the CreateGrant operation."), and
 *  each one the key supports ("you cannot create a grant for a symmetric encryption KMS key that
 *  allows the Sign operation", API reference, CreateGrant). */
export function grantOperationsFor(key: KeyRecord, operations: readonly GrantOperation[]): GrantOperation[] {
  const unique = [...new Set(operations)];
  if (unique.length === 0) fail('ValidationException', 'A grant must allow at least one operation: Operations is empty.');
  if (unique.length === 1 && unique[0] === 'CreateGrant') fail('ValidationException', 'Grants must not contain only the CreateGrant operation.');
  const supported = OPERATIONS_BY_USAGE[key.keyUsage];
  for (const op of unique) {
    if (!supported.has(op)) fail('ValidationException', `Grant operation ${op} is not valid for ${key.arn}: its key usage is ${key.keyUsage}.`);
  }
  return unique;
}

/** Operations an encryption context constraint may accompany: those that take a context, and
 *  "DescribeKey and RetireGrant operations, but the constraint doesn't apply to these", and
 *  CreateGrant, whose child grants must be as strict (API reference, CreateGrant: Constraints). */
const CONSTRAINABLE: ReadonlySet<GrantOperation> = new Set<GrantOperation>([
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
  'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', ...ALWAYS,
]);

/** "Each constraint value can include up to 8 encryption context pairs. The encryption context
 *  value in each constraint cannot exceed 384 characters" (Developer Guide, Grant constraints):
 *  keyhold counts the characters of every key and value of one constraint together. */
export const MAX_CONSTRAINT_PAIRS = 8;
export const MAX_CONSTRAINT_CHARS = 384;

/** The request's Constraints as the policy engine keeps them; undefined when there are none.
 *  SourceArn is refused: it names the AWS resource a service acts for, and keyhold has no AWS
 *  services, so a grant that carried it could never be honoured as written. */
export function grantConstraints(api: ApiGrantConstraints | undefined, operations: readonly GrantOperation[]): GrantConstraints | undefined {
  if (api === undefined) return undefined;
  if (api.SourceArn !== undefined) fail('UnsupportedOperationException', 'The SourceArn grant constraint is not supported by keyhold: it has no AWS services to act on behalf of a resource.');
  const { EncryptionContextSubset: subset, EncryptionContextEquals: equals } = api;
  if (subset === undefined && equals === undefined) return undefined;
  const other = operations.find((op) => !CONSTRAINABLE.has(op));
  if (other !== undefined) fail('ValidationException', `Encryption context grant constraints are supported only on grant operations that take an encryption context, not ${other}.`);
  if (subset !== undefined) checkConstraintContext('EncryptionContextSubset', subset);
  if (equals !== undefined) checkConstraintContext('EncryptionContextEquals', equals);
  return { ...(subset !== undefined ? { encryptionContextSubset: { ...subset } } : {}), ...(equals !== undefined ? { encryptionContextEquals: { ...equals } } : {}) };
}

function checkConstraintContext(member: string, context: Context): void {
  const keys = Object.keys(context);
  if (keys.length > MAX_CONSTRAINT_PAIRS) fail('ValidationException', `${member} can hold at most ${MAX_CONSTRAINT_PAIRS} encryption context pairs.`);
  const chars = keys.reduce((n, k) => n + [...k].length + [...(context[k] ?? '')].length, 0);
  if (chars > MAX_CONSTRAINT_CHARS) fail('ValidationException', `The encryption context in ${member} can be at most ${MAX_CONSTRAINT_CHARS} characters long.`);
  // Constraint keys match without case (GrantConstraints), so two keys that differ only by case
  // would make one of them silently meaningless: refused rather than guessed at.
  const lower = new Set(keys.map((k) => k.toLowerCase()));
  if (lower.size !== keys.length) fail('ValidationException', `${member} has encryption context keys that differ only by case; constraint keys are not case sensitive.`);
}

/** The encryption context a CreateGrant request carries for the kms:EncryptionContext: and
 *  kms:EncryptionContextKeys condition keys: the pairs of its constraints. */
export function constraintContext(api: ApiGrantConstraints | undefined): Context | undefined {
  if (api?.EncryptionContextEquals === undefined && api?.EncryptionContextSubset === undefined) return undefined;
  return { ...api.EncryptionContextSubset, ...api.EncryptionContextEquals };
}

/** Constraints as stored: JSON with sorted keys, so equal constraints have equal text. */
export function constraintsText(constraints: GrantConstraints | undefined): string | null {
  if (constraints === undefined) return null;
  const sorted = (c: Context | undefined): Context | undefined =>
    c === undefined ? undefined : Object.fromEntries(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify({ encryptionContextSubset: sorted(constraints.encryptionContextSubset), encryptionContextEquals: sorted(constraints.encryptionContextEquals) });
}

/** Stored constraints in the API's shape, for ListGrants; undefined when there are none or the
 *  text does not parse (it is always written by constraintsText). */
export function apiConstraints(text: string | null): ApiGrantConstraints | undefined {
  if (text === null) return undefined;
  try {
    const parsed = JSON.parse(text) as GrantConstraints;
    return {
      ...(parsed.encryptionContextSubset !== undefined ? { EncryptionContextSubset: parsed.encryptionContextSubset } : {}),
      ...(parsed.encryptionContextEquals !== undefined ? { EncryptionContextEquals: parsed.encryptionContextEquals } : {}),
    };
  } catch {
    return undefined;
  }
}

const GRANT_ID = /^[0-9a-f]{64}$/;

/** keyhold's grant ids are 64 lower-case hex characters, like AWS's; anything else names no grant. */
export function checkGrantId(grantId: string): void {
  if (!GRANT_ID.test(grantId)) fail('InvalidGrantIdException', 'The grant ID is not valid: a grant ID is 64 hexadecimal characters, as CreateGrant returns it.');
}
