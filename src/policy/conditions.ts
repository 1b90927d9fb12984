// The Condition element: which operators exist, which values they can take, and whether a request's
// condition keys satisfy a statement's clauses. Pure: no I/O, no clock (aws:CurrentTime is a value).
// Semantics follow "IAM JSON policy elements: Condition operators" and "Single-valued vs.
// multivalued context keys" in the IAM User Guide; the sentences relied on are quoted where used.
import { fail } from '../core/errors.js';
import { cidrContains, parseCidr, parseIp, type Cidr } from './condition-ip.js';
import { arnMatch, BoundedCache, parseDate, parseNumber, wildcardMatch } from './condition-match.js';
import type { ConditionClause, ConditionValue, ConditionValues } from './types.js';

type Family = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'Ip' | 'Arn' | 'Null';

/** A base operator: its value family, whether it is a negated matching operator, and the test of
 *  one request value against one policy value (for a negated operator, the test it negates). */
interface Base {
  readonly family: Family;
  readonly negated: boolean;
  readonly test: (context: string, policy: string) => boolean;
}

interface Operator {
  readonly base: Base;
  readonly set: 'any' | 'all' | undefined;
  readonly ifExists: boolean;
}

const cidrs = new BoundedCache<Cidr | undefined>(4096);
const ipTest = (context: string, policy: string): boolean => {
  const block = cidrs.get(policy, parseCidr);
  const ip = parseIp(context);
  return block !== undefined && ip !== undefined && cidrContains(block, ip);
};
const numeric = (cmp: (a: number, b: number) => boolean) => (context: string, policy: string): boolean => {
  const a = parseNumber(context);
  const b = parseNumber(policy);
  return a !== undefined && b !== undefined && cmp(a, b);
};
// Policy-side dates repeat on every request: parse each once.
const policyDates = new BoundedCache<number | undefined>(4096);
const date = (cmp: (a: number, b: number) => boolean) => (context: string, policy: string): boolean => {
  const a = parseDate(context);
  const b = policyDates.get(policy, parseDate);
  return a !== undefined && b !== undefined && cmp(a, b);
};
const eq = (a: string, b: string): boolean => a === b;
const eqIgnoreCase = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const binaryEq = (a: string, b: string): boolean => Buffer.from(a, 'base64').equals(Buffer.from(b, 'base64'));

const pos = (family: Family, test: Base['test']): Base => ({ family, negated: false, test });
const neg = (family: Family, test: Base['test']): Base => ({ family, negated: true, test });

const bases: Readonly<Record<string, Base>> = {
  StringEquals: pos('String', eq),
  StringNotEquals: neg('String', eq),
  StringEqualsIgnoreCase: pos('String', eqIgnoreCase),
  StringNotEqualsIgnoreCase: neg('String', eqIgnoreCase),
  StringLike: pos('String', (c, p) => wildcardMatch(p, c)),
  StringNotLike: neg('String', (c, p) => wildcardMatch(p, c)),
  NumericEquals: pos('Numeric', numeric((a, b) => a === b)),
  NumericNotEquals: neg('Numeric', numeric((a, b) => a === b)),
  NumericLessThan: pos('Numeric', numeric((a, b) => a < b)),
  NumericLessThanEquals: pos('Numeric', numeric((a, b) => a <= b)),
  NumericGreaterThan: pos('Numeric', numeric((a, b) => a > b)),
  NumericGreaterThanEquals: pos('Numeric', numeric((a, b) => a >= b)),
  DateEquals: pos('Date', date((a, b) => a === b)),
  DateNotEquals: neg('Date', date((a, b) => a === b)),
  DateLessThan: pos('Date', date((a, b) => a < b)),
  DateLessThanEquals: pos('Date', date((a, b) => a <= b)),
  DateGreaterThan: pos('Date', date((a, b) => a > b)),
  DateGreaterThanEquals: pos('Date', date((a, b) => a >= b)),
  Bool: pos('Bool', eqIgnoreCase),
  BinaryEquals: pos('Binary', binaryEq),
  IpAddress: pos('Ip', ipTest),
  NotIpAddress: neg('Ip', ipTest),
  // AWS documents ArnEquals and ArnLike alike: both match per component with wildcards.
  ArnEquals: pos('Arn', (c, p) => arnMatch(p, c)),
  ArnLike: pos('Arn', (c, p) => arnMatch(p, c)),
  ArnNotEquals: neg('Arn', (c, p) => arnMatch(p, c)),
  ArnNotLike: neg('Arn', (c, p) => arnMatch(p, c)),
  Null: pos('Null', eq),
};

// Every spelling a policy may use, built once: names are case-sensitive as in AWS, which refuses
// e.g. `stringEquals` with "MalformedPolicyDocument: Invalid Condition type".
const operators = new Map<string, Operator>();
for (const [name, base] of Object.entries(bases)) {
  // AWS allows IfExists on every operator except Null (Condition operators, "...IfExists").
  const suffixes = base.family === 'Null' ? [''] : ['', 'IfExists'];
  for (const [prefix, set] of [['', undefined], ['ForAnyValue:', 'any'], ['ForAllValues:', 'all']] as const) {
    for (const suffix of suffixes) operators.set(`${prefix}${name}${suffix}`, { base, set, ifExists: suffix !== '' });
  }
}

/** True for an operator name keyhold evaluates, spelled exactly as AWS spells it. */
export function isKnownOperator(operator: string): boolean {
  return operators.has(operator);
}

const BOOL = /^(?:true|false)$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const valueCheck: Partial<Record<Family, readonly [(v: string) => boolean, string]>> = {
  Numeric: [(v) => parseNumber(v) !== undefined, 'is not a number'],
  Date: [(v) => parseDate(v) !== undefined, 'is not an ISO 8601 date or epoch seconds'],
  Bool: [(v) => BOOL.test(v), 'is not true or false'],
  Null: [(v) => BOOL.test(v), 'is not true or false'],
  Ip: [(v) => parseCidr(v) !== undefined, 'is not an IPv4 or IPv6 address or CIDR block'],
  Binary: [(v) => BASE64.test(v), 'is not base64'],
};

/** Put-time validation of one clause. Throws MalformedPolicyDocumentException for an unknown
 *  operator or a value the operator can never match; the message quotes only the offending
 *  operator or value (shortened), never the rest of the document. */
export function checkClauseValues(clause: ConditionClause): void {
  const op = operators.get(clause.operator);
  if (op === undefined) fail('MalformedPolicyDocumentException', `Invalid Condition type: ${quote(clause.operator)}`);
  const check = valueCheck[op.base.family];
  if (check === undefined) return;
  for (const value of clause.values) {
    if (!check[0](value)) fail('MalformedPolicyDocumentException', `Condition ${clause.operator}: value ${quote(value)} ${check[1]}`);
  }
}

function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

/** True when every clause holds for the request's condition keys (AND across clauses, OR across a
 *  clause's values, NOR for negated operators). Keys are looked up as written in the clause, which
 *  types.ts has already lower-cased like the map. An operator that was never validated throws a
 *  plain Error (so the request fails as an internal error) rather than silently matching or not. */
export function evaluateConditions(clauses: readonly ConditionClause[], values: ConditionValues): boolean {
  for (const clause of clauses) {
    const op = operators.get(clause.operator);
    if (op === undefined) throw new Error(`condition operator was not validated: ${clause.operator}`);
    if (!clauseHolds(op, clause.values, values.get(clause.key))) return false;
  }
  return true;
}

function clauseHolds(op: Operator, policy: readonly string[], value: ConditionValue | undefined): boolean {
  // An empty set is treated as an absent key: AWS's Null check asks whether a key is present and
  // not null/empty, and ForAllValues/ForAnyValue give an empty set the same answer as no key.
  const context: readonly string[] = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  const present = context.length > 0;
  if (op.base.family === 'Null') {
    // AWS (Condition operators, "Null check"): policy value true means the key is absent from the
    // request context, false means it is present and not null.
    return policy.some((p) => (p.toLowerCase() === 'true') === !present);
  }
  if (!present) {
    // AWS ("...IfExists"): a key that is absent from the request makes the condition true; this
    // holds with a set prefix too (the IfExists rule is stated without exception).
    if (op.ifExists) return true;
    // AWS ("Single-valued vs. multivalued context keys"): ForAllValues also returns true when the
    // request has no such key; ForAnyValue returns false.
    if (op.set !== undefined) return op.set === 'all';
    // AWS: "If the key that you specify in a policy condition is not present in the request context,
    // the values do not match and the condition is false. If the policy condition requires that the
    // key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the
    // condition is true."
    return op.base.negated;
  }
  // One request value against the policy values: OR for a plain operator; for a negated one AWS:
  // "If a single negated matching condition operator includes multiple values for a context key,
  // those values are evaluated using a logical NOR."
  const holds = (c: string): boolean => policy.some((p) => op.base.test(c, p)) !== op.base.negated;
  if (op.set === 'all') return context.every(holds);
  if (op.set === 'any') return context.some(holds);
  // A list without a set operator (AWS says multivalued context keys require ForAllValues or
  // ForAnyValue, so this is a policy mistake AWS leaves undefined): a plain operator holds if any request value matches,
  // a negated one only if no request value matches, so a Deny written this way still applies.
  return op.base.negated ? context.every(holds) : context.some(holds);
}
