// Policy JSON text → a validated, normalised, frozen PolicyDocument, or MalformedPolicyDocumentException.
// Rules follow the IAM JSON policy element reference and, for key policies, the AWS KMS Developer Guide.
import { actionList, conditionClauses, isPlainObject, malformed, principalSpec, show, stringList } from './document-elements.js';
import type { PolicyDocument, PolicyKind, PrincipalSpec, Statement } from './types.js';

/** "Up to 32 kilobytes (32,768 bytes)" (AWS KMS Developer Guide, Key policy format). */
export const MAX_POLICY_BYTES = 32768;

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

/** Parses and validates a policy for the place it will be used. Security contract: a document
 *  that returns is one the evaluator understands completely — no unknown element, operator or
 *  principal form is silently ignored. Error messages name the statement (index and Sid) and the
 *  problem, never the document. */
export function parsePolicy(text: string, kind: PolicyKind): PolicyDocument {
  /* Precondition: the document is within the size quota. */
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    malformed('Policy', `the document exceeds ${MAX_POLICY_BYTES} bytes`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // The parser's message can quote the document, so it is not passed on.
    malformed('Policy', 'the document is not valid JSON');
  }
  if (!isPlainObject(raw)) malformed('Policy', 'the document must be a JSON object');
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL.has(key)) malformed('Policy', `unknown top-level element ${show(key)}`);
  }

  /* "If you do not include a Version element, the value defaults to 2008-10-17"
   * (IAM JSON policy elements: Version). */
  const version = 'Version' in raw ? raw['Version'] : '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') {
    malformed('Policy', 'Version must be "2012-10-17" or "2008-10-17"');
  }
  const id = raw['Id'];
  if (id !== undefined && typeof id !== 'string') malformed('Policy', 'Id must be a string');

  const body = raw['Statement'];
  if (body === undefined) malformed('Policy', 'the Statement element is missing');
  if (!Array.isArray(body) && !isPlainObject(body)) malformed('Policy', 'Statement must be an object or an array of objects');
  const list: unknown[] = Array.isArray(body) ? (body as unknown[]) : [body];
  /* "A key policy document must have at least one statement" (KMS Developer Guide, Elements in a key policy). */
  if (list.length === 0) malformed('Policy', 'Statement must contain at least one statement');

  const sids = new Set<string>();
  const statements = list.map((item, index) => {
    const statement = parseStatement(item, index, kind);
    if (statement.sid !== undefined) {
      /* "In IAM, the Sid value must be unique within a JSON policy" (IAM JSON policy elements: Sid). */
      if (sids.has(statement.sid)) malformed(`Statement ${index} (Sid ${show(statement.sid)})`, 'duplicate Sid');
      sids.add(statement.sid);
    }
    return statement;
  });
  return Object.freeze({ version, id, statements: Object.freeze(statements) });
}

function parseStatement(item: unknown, index: number, kind: PolicyKind): Statement {
  if (!isPlainObject(item)) malformed(`Statement ${index}`, 'each statement must be an object');
  const rawSid = item['Sid'];
  if (rawSid !== undefined && typeof rawSid !== 'string') malformed(`Statement ${index}`, 'Sid must be a string');
  const sid = rawSid;
  const where = sid === undefined ? `Statement ${index}` : `Statement ${index} (Sid ${show(sid)})`;
  for (const key of Object.keys(item)) {
    if (!STATEMENT_ELEMENTS.has(key)) malformed(where, `unknown statement element ${show(key)}`);
  }

  const effect = item['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') malformed(where, 'Effect must be "Allow" or "Deny"');

  const has = (element: string): boolean => item[element] !== undefined;
  const { principal, notPrincipal } = principals(item, where, kind, effect);

  if (has('Action') && has('NotAction')) malformed(where, 'a statement cannot have both Action and NotAction');
  if (!has('Action') && !has('NotAction')) malformed(where, 'a statement must have Action or NotAction');

  if (has('Resource') && has('NotResource')) malformed(where, 'a statement cannot have both Resource and NotResource');
  /* Key policy statements: "Resource (Required)" (KMS Developer Guide, Elements in a key policy);
   * identity (and session) policies: "Statements must include either a Resource or a NotResource
   * element" (IAM JSON policy elements: Resource). A trust policy's resource is the role itself. */
  if (kind !== 'trust' && !has('Resource') && !has('NotResource')) malformed(where, 'a statement must have Resource or NotResource');

  const action = has('Action') ? Object.freeze(actionList(item['Action'], where, 'Action')) : undefined;
  const notAction = has('NotAction') ? Object.freeze(actionList(item['NotAction'], where, 'NotAction')) : undefined;
  const resource = has('Resource') ? Object.freeze(stringList(item['Resource'], where, 'Resource')) : undefined;
  const notResource = has('NotResource') ? Object.freeze(stringList(item['NotResource'], where, 'NotResource')) : undefined;
  const conditions = has('Condition') ? conditionClauses(item['Condition'], where) : [];

  return Object.freeze({ sid, effect, principal, notPrincipal, action, notAction, resource, notResource, conditions: Object.freeze(conditions) });
}

/** Principal rules by where the document is used (IAM JSON policy elements: Principal and NotPrincipal):
 *  - identity and session policies: "You cannot use the Principal element in an identity-based policy";
 *  - key and trust policies are resource-based and must name who they apply to;
 *  - "NotPrincipal must be used with "Effect":"Deny"" and "You cannot use the NotPrincipal element
 *    in an IAM identity-based policy nor in an IAM role trust policy". */
function principals(
  item: Record<string, unknown>,
  where: string,
  kind: PolicyKind,
  effect: 'Allow' | 'Deny',
): { principal: PrincipalSpec | undefined; notPrincipal: PrincipalSpec | undefined } {
  const hasPrincipal = item['Principal'] !== undefined;
  const hasNot = item['NotPrincipal'] !== undefined;
  if (hasPrincipal && hasNot) malformed(where, 'a statement cannot have both Principal and NotPrincipal');
  if (kind === 'identity' || kind === 'session') {
    if (hasPrincipal || hasNot) malformed(where, `a ${kind} policy cannot have Principal or NotPrincipal`);
    return { principal: undefined, notPrincipal: undefined };
  }
  if (hasNot && kind === 'trust') malformed(where, 'a trust policy cannot use NotPrincipal');
  if (hasNot && effect !== 'Deny') malformed(where, 'NotPrincipal can only be used with "Effect": "Deny"');
  /* "Each statement in the key policy must contain one or more principals" (CreateKey, Policy). */
  if (!hasPrincipal && !hasNot) malformed(where, `a ${kind} policy statement must have a Principal`);
  return {
    principal: hasPrincipal ? principalSpec(item['Principal'], where, 'Principal') : undefined,
    notPrincipal: hasNot ? principalSpec(item['NotPrincipal'], where, 'NotPrincipal') : undefined,
  };
}
