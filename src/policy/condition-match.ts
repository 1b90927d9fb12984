// Value parsers and matchers behind the condition operators: wildcards, numbers, dates, ARNs.
// Each takes strings as AWS carries them and answers undefined/false, never throws, on bad input.

/** A map that forgets its oldest entry when full, so hostile policies cannot grow it forever. */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(key: string, make: (key: string) => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined || this.map.has(key)) return hit as V;
    const value = make(key);
    if (this.map.size >= this.limit) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
    return value;
  }
}

/** A `*`/`?` pattern split into code points; `literal` when it holds no wildcard at all. */
interface Glob {
  readonly literal: boolean;
  readonly chars: readonly string[];
}
const globs = new BoundedCache<Glob>(4096);

/** `*` matches any run of characters (empty included), `?` exactly one; everything else is itself.
 *  No regex is built, so nothing in a pattern can be read as regex syntax, and the two-pointer walk
 *  is O(pattern × text) at worst, never exponential. `${…}` policy variables are not expanded:
 *  they match themselves literally. */
export function wildcardMatch(pattern: string, text: string): boolean {
  const glob = globs.get(pattern, (p) => ({ literal: !/[*?]/.test(p), chars: Array.from(p) }));
  if (glob.literal) return pattern === text;
  const p = glob.chars;
  const t = Array.from(text);
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    const c = p[pi];
    if (c === '*') {
      star = pi++;
      resume = ti;
    } else if (c !== undefined && (c === '?' || c === t[ti])) {
      pi++;
      ti++;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Integers and decimals, as AWS's Numeric operators take them; no exponents, hex, or spaces. */
export function parseNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;
const EPOCH = /^\d{1,12}$/;

/** Milliseconds since the epoch for an ISO 8601 date/date-time, or epoch seconds (AWS's Date
 *  operators accept both). A date-time without an offset is read as UTC, never as server-local
 *  time, so a decision does not depend on where keyhold runs. Impossible dates are refused. */
export function parseDate(text: string): number | undefined {
  if (text.length === 24) {
    // Fast path for the exact form keyhold itself writes (aws:CurrentTime, aws:TokenIssueTime):
    // Date.parse rolls impossible dates over, so only a string that round-trips is taken.
    const ms = Date.parse(text);
    if (!Number.isNaN(ms) && new Date(ms).toISOString() === text) return ms;
  }
  if (EPOCH.test(text)) return Number(text) * 1000;
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCDate() !== d) return undefined; // 2024-02-30 rolled over into March
  date.setUTCHours(h, mi, s, ms);
  return date.getTime() - offsetMinutes(m[8]) * 60_000;
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (hours * 60 + minutes);
}

/** The six colon-separated parts of an ARN (the last keeps any further colons), or undefined. */
export function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < 5; i++) {
    const at = arn.indexOf(':', from);
    if (at < 0) return undefined;
    parts.push(arn.slice(from, at));
    from = at + 1;
  }
  parts.push(arn.slice(from));
  return parts;
}

/** ArnEquals and ArnLike: AWS checks each of the six colon-delimited ARN components separately,
 *  each may hold `*` and `?` (Condition operators, "Amazon Resource Name (ARN)"). So `*` never
 *  spans a colon outside the last (resource) part. A value that is not six parts never matches. */
export function arnMatch(pattern: string, arn: string): boolean {
  const want = splitArn(pattern);
  const got = splitArn(arn);
  if (want === undefined || got === undefined) return false;
  return want.every((part, i) => wildcardMatch(part, got[i] ?? ''));
}
