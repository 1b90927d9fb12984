// Renders the results as plain-text tables, one row per workload, keyhold beside its ceiling.
import type { Measurement } from './result.js';

export interface Row {
  readonly label: string;
  readonly keyhold: Measurement | string; // a string says why there is no figure
  readonly ceiling: Measurement | string;
  /** How the ceiling did its crypto, when it tried more than one way (sync, async). */
  readonly ceilingNote?: string;
  /** The ceiling's crypto behind SigV4 verification (a minimal KMS), when measured. */
  readonly reference?: Measurement | string;
}

type Cell = Measurement | string;
const fig = (r: Cell, f: (m: Measurement) => string): string => (typeof r === 'string' ? 'n/a' : f(r));
const pct = (x: number | undefined): string => (x === undefined ? '?' : `${(x * 100).toFixed(0)}%`);

/** keyhold's throughput as a share of the ceiling's, or undefined when either is missing. */
export const ratioOf = (r: Row): number | undefined =>
  typeof r.keyhold === 'string' || typeof r.ceiling === 'string' ? undefined : r.keyhold.rps / r.ceiling.rps;

/** The table; with `goal` (a share such as 0.5), a last column says whether each row meets it.
 *  Rows with a reference get two more columns: its req/s and keyhold's share of it. */
export function renderTable(rows: readonly Row[], goal?: number): string {
  const references = rows.some((r) => r.reference !== undefined);
  const header = [
    'operation', 'keyhold req/s', 'p50 ms', 'p99 ms', 'errors',
    'ceiling req/s', 'p50 ms', 'p99 ms', 'errors', 'keyhold/ceiling', "others' CPU",
    ...(goal === undefined ? [] : [`goal ≥ ${(goal * 100).toFixed(0)}%`]),
    ...(references ? ['+SigV4 req/s', 'keyhold/+SigV4'] : []),
  ];
  const side = (r: Cell, note?: string): string[] => [
    fig(r, (m) => (note === undefined ? m.rps.toFixed(0) : `${m.rps.toFixed(0)} (${note})`)),
    fig(r, (m) => m.p50Ms.toFixed(2)),
    fig(r, (m) => m.p99Ms.toFixed(2)),
    fig(r, (m) => String(m.errors)),
  ];
  const body = rows.map((r) => {
    const ratio = ratioOf(r);
    return [
      r.label,
      ...side(r.keyhold),
      ...side(r.ceiling, r.ceilingNote),
      ratio === undefined ? 'n/a' : `${(ratio * 100).toFixed(0)}%`,
      `${fig(r.keyhold, (m) => pct(m.othersCpu))} / ${fig(r.ceiling, (m) => pct(m.othersCpu))}`,
      ...(goal === undefined ? [] : [ratio === undefined ? 'n/a' : ratio >= goal ? 'met' : 'missed']),
      ...(references ? referenceCells(r) : []),
    ];
  });
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function referenceCells(r: Row): string[] {
  const ref = r.reference;
  if (ref === undefined || typeof ref === 'string') return ['n/a', 'n/a'];
  return [ref.rps.toFixed(0), typeof r.keyhold === 'string' ? 'n/a' : `${((100 * r.keyhold.rps) / ref.rps).toFixed(0)}%`];
}

/** Why rows have no keyhold or ceiling figure, when the reason is more than "not run" or "failed". */
export function rowNotes(rows: readonly Row[]): string[] {
  const plain = new Set(['not run', 'failed']);
  const notes = new Set<string>();
  for (const r of rows) {
    for (const cell of [r.keyhold, r.ceiling, r.reference]) if (typeof cell === 'string' && !plain.has(cell)) notes.add(`${r.label}: ${cell}`);
  }
  return [...notes];
}

/** The authorization goal (issue 3): a realistic policy and 50 grants cost under 10% of throughput. */
export function authorizationLine(plain: Cell, guarded: Cell): string {
  if (typeof plain === 'string' || typeof guarded === 'string') return 'Encrypt with a 10-statement policy and 50 grants: n/a';
  const ratio = guarded.rps / plain.rps;
  return `Encrypt with a 10-statement policy and 50 grants: ${guarded.rps.toFixed(0)} req/s (p50 ${guarded.p50Ms.toFixed(2)} ms, ${guarded.errors} errors) = ` +
    `${(ratio * 100).toFixed(0)}% of Encrypt under the default policy (${plain.rps.toFixed(0)} req/s); goal ≥ 90%.`;
}
