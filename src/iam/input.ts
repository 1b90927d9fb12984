// Reading an IAM request's parameters against their constraints, with the ValidationError AWS
// sends: "1 validation error detected: Value null at 'userName' failed to satisfy constraint:
// Member must not be null". Every problem of a request is reported at once, as AWS does.
import { queryFail } from '../server/query/action.js';
import type { QueryParams } from '../server/query/form.js';

/** A string parameter's constraints (the IAM API reference's Length Constraints and Pattern). */
export interface TextRule {
  readonly min: number;
  readonly max: number;
  /** The whole value must match `regex`; `source` is the pattern as AWS quotes it in its message. */
  readonly pattern?: { readonly regex: RegExp; readonly source: string };
  /** False for policy documents: too long to quote back, so the message names only the member. */
  readonly echo?: boolean;
}

/** An integer parameter's Valid Range. */
export interface RangeRule {
  readonly min: number;
  readonly max: number;
}

/** Reads one parameter; adds a sentence to `problems` for each constraint it breaks. */
export interface Field<T> {
  /** The query parameter, when it is not the spec's key (see `fromParam`). */
  readonly param?: string;
  read(value: string | undefined, member: string, problems: string[]): T;
}

type Inputs<S> = { readonly [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/** Reads the parameters `spec` names (by their query names, e.g. `UserName`), or refuses the
 *  request with one ValidationError listing every problem. */
export function readInput<S extends Record<string, Field<unknown>>>(params: QueryParams, spec: S): Inputs<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) {
    const param = field.param ?? key;
    out[key] = field.read(params.get(param), memberName(param), problems);
  }
  if (problems.length > 0) {
    queryFail('ValidationError', `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
  return out as Inputs<S>;
}

/** Refuses parameters keyhold does not implement rather than ignoring them: a dropped
 *  PermissionsBoundary would grant more than the caller meant. */
export function refuseUnsupported(params: QueryParams, action: string, names: readonly string[]): void {
  for (const param of params.names()) {
    const unsupported = names.find((name) => param === name || param.startsWith(`${name}.`));
    if (unsupported !== undefined) queryFail('InvalidInput', `keyhold does not support the ${unsupported} parameter of ${action}.`);
  }
}

/** Reads `field` from the parameter `param` (e.g. `UserName` or `RoleName`, chosen at run time). */
export function fromParam<T>(param: string, field: Field<T>): Field<T> {
  return { param, read: (value, member, problems) => field.read(value, member, problems) };
}

export function required(rule: TextRule): Field<string> {
  return {
    read(value, member, problems) {
      if (value === undefined) {
        problems.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
        return '';
      }
      checkText(value, member, rule, problems);
      return value;
    },
  };
}

export function optional(rule: TextRule): Field<string | undefined> {
  return {
    read(value, member, problems) {
      if (value !== undefined) checkText(value, member, rule, problems);
      return value;
    },
  };
}

export function optionalInteger(rule: RangeRule): Field<number | undefined> {
  return {
    read(value, member, problems) {
      if (value === undefined) return undefined;
      const shown = `Value '${quote(value)}' at '${member}' failed to satisfy constraint: Member must`;
      if (!/^[+-]?\d{1,15}$/.test(value)) {
        problems.push(`${shown} be an integer between ${rule.min} and ${rule.max}`);
        return undefined;
      }
      const n = Number(value);
      if (n < rule.min) problems.push(`${shown} have value greater than or equal to ${rule.min}`);
      if (n > rule.max) problems.push(`${shown} have value less than or equal to ${rule.max}`);
      return n;
    },
  };
}

export function requiredEnum<V extends string>(values: readonly V[]): Field<V> {
  return {
    read(value, member, problems) {
      if (value === undefined) problems.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      else if (!(values as readonly string[]).includes(value)) {
        problems.push(`Value '${quote(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
      }
      return value as V;
    },
  };
}

function checkText(value: string, member: string, rule: TextRule, problems: string[]): void {
  const subject = rule.echo === false ? `Value at '${member}'` : `Value '${quote(value)}' at '${member}'`;
  const fail = (constraint: string): void => void problems.push(`${subject} failed to satisfy constraint: Member must ${constraint}`);
  if (value.length < rule.min) fail(`have length greater than or equal to ${rule.min}`);
  if (value.length > rule.max) fail(`have length less than or equal to ${rule.max}`);
  if (rule.pattern && value.length > 0 && !rule.pattern.regex.test(value)) fail(`satisfy regular expression pattern: ${rule.pattern.source}`);
}

/** AWS names members in camelCase: `UserName` → `userName`. */
const memberName = (param: string): string => param.charAt(0).toLowerCase() + param.slice(1);

/** A bad value as it may appear in the XML error: characters XML 1.0 cannot carry become U+FFFD,
 *  and long values are cut short. */
function quote(value: string): string {
  const printable = value.replace(/[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD]/g, '\uFFFD');
  return printable.length > 128 ? `${printable.slice(0, 125)}...` : printable;
}
