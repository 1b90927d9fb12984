// Decodes an administrator request's body in the manner of service/validate.ts: a wrong JSON type
// is SerializationException; a broken constraint, a missing or unknown member ValidationException,
// all problems in one "N validation errors detected: …" message. Values are never echoed back.
import { fail } from '../core/errors.js';

/** How one member is decoded; `required` decides whether the decoded type admits undefined. */
export interface Field<T, R extends boolean> {
  readonly required: R;
  decode(value: unknown, at: string, bad: (constraint: string) => void): T;
}

type Decoded<S> = { readonly [K in keyof S]: S[K] extends Field<infer T, true> ? T : S[K] extends Field<infer T, boolean> ? T | undefined : never };

// A lone UTF-16 surrogate (from a JSON escape such as "\ud800") is not a Unicode string.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Decodes `body` (parsed JSON) against `spec`; returns only when every member is valid. */
export function decodeAdminInput<S extends Record<string, Field<unknown, boolean>>>(body: unknown, spec: S): Decoded<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('SerializationException', "Expected a JSON object at 'request'");
  const problems: string[] = [];
  const out = Object.create(null) as Record<string, unknown>; // no prototype: a "__proto__" member stays data
  for (const [name, value] of Object.entries(body)) {
    const field = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (field === undefined) problems.push(`Unknown field '${name}' at 'request'`);
    // AWS treats an explicit null as absent.
    else if (value !== null) out[name] = field.decode(value, memberPath(name), (c) => void problems.push(`Value at '${memberPath(name)}' failed to satisfy constraint: ${c}`));
  }
  for (const [name, field] of Object.entries(spec)) {
    if (field.required && out[name] === undefined && !problems.some((p) => p.includes(`'${memberPath(name)}'`))) {
      problems.push(`Value null at '${memberPath(name)}' failed to satisfy constraint: Member must not be null`);
    }
  }
  if (problems.length > 0) fail('ValidationException', `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  return out as Decoded<S>;
}

const memberPath = (member: string): string => member.charAt(0).toLowerCase() + member.slice(1);

export interface StringRules {
  /** Lengths count Unicode code points, as AWS's do. */
  readonly min: number;
  readonly max: number;
  readonly pattern?: { readonly regex: RegExp; readonly says: string };
}

export function stringField<R extends boolean>(required: R, rules: StringRules): Field<string, R> {
  return {
    required,
    decode(value, at, bad) {
      if (typeof value !== 'string') fail('SerializationException', `Expected a string at '${at}'`);
      if (LONE_SURROGATE.test(value)) fail('SerializationException', `Invalid Unicode (a lone surrogate) at '${at}'`);
      const length = [...value].length;
      if (length < rules.min) bad(`Member must have length greater than or equal to ${rules.min}`);
      else if (length > rules.max) bad(`Member must have length less than or equal to ${rules.max}`);
      else if (rules.pattern && !rules.pattern.regex.test(value)) bad(rules.pattern.says);
      return value;
    },
  };
}

export function integerField<R extends boolean>(required: R, rules: { readonly min: number; readonly max: number }): Field<number, R> {
  return {
    required,
    decode(value, at, bad) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail('SerializationException', `Expected an integer at '${at}'`);
      if (value < rules.min) bad(`Member must have value greater than or equal to ${rules.min}`);
      if (value > rules.max) bad(`Member must have value less than or equal to ${rules.max}`);
      return value;
    },
  };
}
