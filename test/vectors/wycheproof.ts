// Typed loader for C2SP Wycheproof known-answer vectors, shared by every vector test.
// The vectors live outside the repo (../shared/vectors/wycheproof beside the project root),
// so a fresh clone has none: tests ask `wycheproofSkip(file)` and skip with its reason.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

/** Fields every test case carries, whatever the schema. Hex fields stay strings; callers decode. */
export interface WycheproofCase {
  readonly tcId: number;
  readonly comment: string;
  readonly result: WycheproofResult;
  readonly flags: readonly string[];
}

/** Fields every test group carries; per-schema fields (keySize, publicKeyDer, …) come from TGroup. */
export interface WycheproofGroup<TCase> {
  readonly type: string;
  readonly source?: { readonly name: string; readonly version: string };
  readonly tests: readonly (WycheproofCase & TCase)[];
}

/** What a flag means: `notes[flag]` explains why a case is valid, invalid or acceptable. */
export interface WycheproofNote {
  readonly bugType: string;
  readonly description: string;
  readonly effect?: string;
  readonly links?: readonly string[];
  readonly cves?: readonly string[];
}

export interface WycheproofFile<TGroup, TCase> {
  readonly algorithm: string;
  readonly schema: string;
  readonly numberOfTests: number;
  readonly header: readonly string[];
  readonly notes: Readonly<Record<string, WycheproofNote>>;
  readonly testGroups: readonly (WycheproofGroup<TCase> & TGroup)[];
}

/** The project root: the nearest directory above this module holding package.json. Walking
 *  up (rather than a fixed `../..`) works from test/ under ts tooling and from dist/test/. */
function projectRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The vectors directory, or undefined when absent (see `wycheproofSkip` for the reason). */
export function wycheproofDir(): string | undefined {
  const root = projectRoot();
  if (root === undefined) return undefined;
  const dir = resolve(root, '..', 'shared', 'vectors', 'wycheproof');
  return existsSync(dir) ? dir : undefined;
}

/** A skip reason for node:test (`{ skip: wycheproofSkip(f) }`), or false when `fileName` is present. */
export function wycheproofSkip(fileName: string): string | false {
  const dir = wycheproofDir();
  if (dir === undefined) return 'Wycheproof vectors not found (expected ../shared/vectors/wycheproof beside the project root)';
  return existsSync(join(dir, fileName)) ? false : `Wycheproof vector file ${fileName} not found in ${dir}`;
}

/** Parses one vector file. Throws when it is missing or malformed: check `wycheproofSkip` first. */
export function loadWycheproof<TGroup extends object, TCase extends object>(fileName: string): WycheproofFile<TGroup, TCase> {
  const dir = wycheproofDir();
  if (dir === undefined) throw new Error(`${fileName}: Wycheproof vectors directory not found`);
  const file = JSON.parse(readFileSync(join(dir, fileName), 'utf8')) as WycheproofFile<TGroup, TCase>;
  // A truncated or re-shaped file would otherwise silently run fewer cases.
  const groups: readonly { readonly tests: readonly unknown[] }[] = Array.isArray(file.testGroups) ? file.testGroups : [];
  const count = Array.isArray(file.testGroups) ? groups.reduce((n, g) => n + g.tests.length, 0) : -1;
  if (count !== file.numberOfTests) throw new Error(`${fileName}: expected ${file.numberOfTests} tests, found ${count}`);
  return file;
}

/** A test name such as `AES-GCM(256,96,128) tc 42: Flipped bit 0 in tag`. */
export function caseName(prefix: string, tc: WycheproofCase): string {
  return tc.comment === '' ? `${prefix} tc ${tc.tcId}` : `${prefix} tc ${tc.tcId}: ${tc.comment}`;
}
