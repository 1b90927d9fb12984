// Decodes a JSON request body against the service model: wrong types are SerializationException,
// broken constraints ValidationException (AWS's "N validation errors detected: …" wording).
// Values are never echoed back: many members (Plaintext, policies) may be secret.
import { fail } from '../core/errors.js';
import { shapes, type ShapeName } from './model/kms-model.js';
import type { Shape } from './model/shape.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// A lone UTF-16 surrogate (from a JSON escape such as "\ud800") is not a Unicode string.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const patterns = new Map<string, RegExp>();
const pattern = (p: string): RegExp => {
  let re = patterns.get(p);
  if (!re) patterns.set(p, (re = new RegExp(p, 'u')));
  return re;
};

/** Validates `body` (parsed JSON) as `shapeName`; returns it with blobs as Buffers and
 *  timestamps as Dates. Throws KmsError; never anything else. */
export function decodeInput(shapeName: ShapeName, body: unknown): unknown {
  const problems: string[] = [];
  const value = decode(shapes[shapeName], body, '', problems);
  if (problems.length > 0) {
    const n = problems.length;
    fail('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
  return value;
}

const memberPath = (path: string, member: string): string =>
  (path ? `${path}.` : '') + member.charAt(0).toLowerCase() + member.slice(1);

function decode(shape: Shape, v: unknown, path: string, problems: string[]): unknown {
  const at = path || 'request';
  const bad = (constraint: string): void => void problems.push(`Value at '${at}' failed to satisfy constraint: ${constraint}`);
  switch (shape.t) {
    case 'structure': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('SerializationException', `Expected a JSON object at '${at}'`);
      const members = shape.members ?? {};
      const out = Object.create(null) as Record<string, unknown>; // no prototype: a "__proto__" member stays data
      for (const [k, child] of Object.entries(v)) {
        const ref = Object.hasOwn(members, k) ? members[k] : undefined;
        if (ref === undefined) {
          problems.push(`Unknown field '${k}' at '${at}'`);
          continue;
        }
        if (child === null) continue; // AWS treats an explicit null as absent
        out[k] = decode(shapes[ref as ShapeName], child, memberPath(path, k), problems);
      }
      for (const r of shape.required ?? []) {
        if (out[r] === undefined && !problems.some((p) => p.includes(`'${memberPath(path, r)}'`))) {
          problems.push(`Value null at '${memberPath(path, r)}' failed to satisfy constraint: Member must not be null`);
        }
      }
      return out;
    }
    case 'string': {
      if (typeof v !== 'string') fail('SerializationException', `Expected a string at '${at}'`);
      if (LONE_SURROGATE.test(v)) fail('SerializationException', `Invalid Unicode (a lone surrogate) at '${at}'`);
      lengthCheck([...v].length, shape, bad);
      if (shape.enum && !shape.enum.includes(v)) bad(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      if (shape.pattern && !pattern(shape.pattern).test(v)) bad(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      return v;
    }
    case 'blob': {
      if (typeof v !== 'string' || !BASE64.test(v)) fail('SerializationException', `Expected a base64-encoded blob at '${at}'`);
      const bytes = Buffer.from(v, 'base64');
      lengthCheck(bytes.length, shape, bad);
      return bytes;
    }
    case 'integer':
    case 'long': {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail('SerializationException', `Expected an integer at '${at}'`);
      if (shape.min !== undefined && v < shape.min) bad(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && v > shape.max) bad(`Member must have value less than or equal to ${shape.max}`);
      return v;
    }
    case 'boolean':
      if (typeof v !== 'boolean') fail('SerializationException', `Expected a boolean at '${at}'`);
      return v;
    case 'timestamp':
      if (typeof v !== 'number' || !Number.isFinite(v)) fail('SerializationException', `Expected a timestamp in epoch seconds at '${at}'`);
      return new Date(v * 1000);
    case 'list': {
      if (!Array.isArray(v)) fail('SerializationException', `Expected a JSON array at '${at}'`);
      lengthCheck(v.length, shape, bad);
      const item = shapes[shape.member as ShapeName];
      return v.map((x: unknown, i) => {
        if (x === null) fail('SerializationException', `Unexpected null at '${at}.${i + 1}'`);
        return decode(item, x, `${at}.${i + 1}.member`, problems);
      });
    }
    case 'map': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('SerializationException', `Expected a JSON object at '${at}'`);
      lengthCheck(Object.keys(v).length, shape, bad);
      const keyShape = shapes[shape.key as ShapeName];
      const valueShape = shapes[shape.value as ShapeName];
      const out = Object.create(null) as Record<string, unknown>; // no prototype: a "__proto__" key stays data
      for (const [k, child] of Object.entries(v)) {
        decode(keyShape, k, `${at}.key`, problems);
        if (child === null) fail('SerializationException', `Unexpected null at '${at}'`);
        out[k] = decode(valueShape, child, `${at}.value`, problems);
      }
      return out;
    }
  }
}

function lengthCheck(length: number, shape: Shape, bad: (constraint: string) => void): void {
  if (shape.min !== undefined && length < shape.min) bad(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) bad(`Member must have length less than or equal to ${shape.max}`);
}
