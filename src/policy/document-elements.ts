// Parsing of the statement elements that carry values (Principal, Action, Resource, Condition),
// following the IAM JSON policy element reference. Every failure is a MalformedPolicyDocumentException
// whose message names the statement (`where`) and the element, never the whole document.
import { fail, KmsError } from '../core/errors.js';
import { checkClauseValues, isKnownOperator } from './conditions.js';
import type { ConditionClause, PrincipalSpec } from './types.js';

export function malformed(where: string, problem: string): never {
  fail('MalformedPolicyDocumentException', `${where}: ${problem}`);
}

/** A short, printable rendering of a bad value for an error message. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : typeof value;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string or a non-empty array of strings, as an array ("string vs array" normalisation). */
export function stringList(value: unknown, where: string, element: string): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0) malformed(where, `${element} must not be an empty list`);
  return list.map((item) => {
    if (typeof item !== 'string' || item.length === 0) malformed(where, `${element} entries must be non-empty strings`);
    return item;
  });
}

/** "Action": `*`, or `service:action` where either part may use `*` and `?` (IAM JSON policy
 *  elements: Action, "The service prefix and action name are case insensitive"). */
const ACTION = /^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$/;

export function actionList(value: unknown, where: string, element: 'Action' | 'NotAction'): string[] {
  const list = stringList(value, where, element);
  for (const action of list) {
    if (action !== '*' && !ACTION.test(action)) malformed(where, `${element} ${show(action)} is not a service:action pattern`);
  }
  return list;
}

const ACCOUNT_ID = /^\d{12}$/;
/** IAM names: "alphanumeric characters, plus (+), equal (=), comma (,), period (.), at (@),
 *  underscore (_), and hyphen (-)"; user and role ARNs may carry a path of such names. */
const IAM_ARN = /^arn:aws:iam::\d{12}:(root|(user|role)\/([\w+=,.@-]+\/)*[\w+=,.@-]+)$/;
const SESSION_ARN = /^arn:aws:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

/** A Principal or NotPrincipal element: `"*"`, or an object of AWS/Service/Federated/CanonicalUser
 *  entries. AWS entries must be `*`, a 12-digit account id, or an account-root, user, role or
 *  assumed-role session ARN; wildcards inside ARNs are not principals (IAM JSON policy elements:
 *  Principal, "You cannot use a wildcard to match part of a principal name or ARN"). */
export function principalSpec(value: unknown, where: string, element: 'Principal' | 'NotPrincipal'): PrincipalSpec {
  if (value === '*') return Object.freeze({ any: true, aws: Object.freeze([]), service: Object.freeze([]) });
  if (!isPlainObject(value)) malformed(where, `${element} must be "*" or an object`);
  const keys = Object.keys(value);
  if (keys.length === 0) malformed(where, `${element} must name at least one principal`);
  let aws: string[] = [];
  let service: string[] = [];
  for (const key of keys) {
    if (!PRINCIPAL_KEYS.has(key)) malformed(where, `${element} has an unknown principal type ${show(key)}`);
    const entries = stringList(value[key], where, `${element}.${key}`);
    if (key === 'AWS') {
      for (const e of entries) {
        if (e !== '*' && !ACCOUNT_ID.test(e) && !IAM_ARN.test(e) && !SESSION_ARN.test(e)) {
          malformed(where, `${element}.AWS entry ${show(e)} is not "*", an account id, or an IAM or assumed-role ARN`);
        }
      }
      aws = entries;
    } else if (key === 'Service') {
      for (const e of entries) if (!SERVICE.test(e)) malformed(where, `${element}.Service entry ${show(e)} is not a service principal`);
      service = entries;
    }
    // Federated and CanonicalUser are accepted as syntax; keyhold has no such callers, so they match nobody.
  }
  return Object.freeze({ any: aws.includes('*'), aws: Object.freeze(aws), service: Object.freeze(service) });
}

/** A condition value: "string, number or Boolean", or an array of them; numbers and Booleans
 *  are compared as their string forms. */
function conditionValues(value: unknown, where: string, label: string): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  // An empty list would make a plain operator never hold and a negated one always hold.
  if (list.length === 0) malformed(where, `Condition ${label} values must not be an empty list`);
  return list.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' && Number.isFinite(item)) return String(item);
    if (typeof item === 'boolean') return item ? 'true' : 'false';
    return malformed(where, `Condition ${label} values must be strings, numbers or Booleans`);
  });
}

/** `"Condition": { "<Operator>": { "<key>": values } }` → clauses; keys lower-cased
 *  ("Condition key names are not case-sensitive", IAM JSON policy elements: Condition). */
export function conditionClauses(value: unknown, where: string): ConditionClause[] {
  if (!isPlainObject(value)) malformed(where, 'Condition must be an object');
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!isKnownOperator(operator)) malformed(where, `Condition operator ${show(operator)} is not supported`);
    if (!isPlainObject(block)) malformed(where, `Condition ${operator} must be an object of condition keys`);
    const seen = new Set<string>();
    for (const [rawKey, raw] of Object.entries(block)) {
      const key = rawKey.toLowerCase();
      if (key.length === 0) malformed(where, `Condition ${operator} has an empty condition key`);
      // Two spellings of one key under one operator would be one key given twice: ambiguous.
      if (seen.has(key)) malformed(where, `Condition ${operator} names the key ${show(rawKey)} twice`);
      seen.add(key);
      const clause: ConditionClause = Object.freeze({ operator, key, values: Object.freeze(conditionValues(raw, where, `${operator} ${rawKey}`)) });
      try {
        checkClauseValues(clause);
      } catch (error) {
        // conditions.ts names the operator and key; add which statement.
        if (error instanceof KmsError && error.type === 'MalformedPolicyDocumentException') malformed(where, error.message);
        throw error;
      }
      clauses.push(clause);
    }
  }
  return clauses;
}
