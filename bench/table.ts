// Renders the results as a plain-text table, one row per operation, keyhold beside its ceiling.
import type { Operation } from './payloads.js';
import type { Measurement } from './result.js';

export interface Row {
  readonly op: Operation;
  readonly keyhold: Measurement | string; // a string says why there is no figure
  readonly ceiling: Measurement | string;
}

type Cell = Measurement | string;
const fig = (r: Cell, f: (m: Measurement) => string): string => (typeof r === 'string' ? 'n/a' : f(r));
const pct = (x: number | undefined): string => (x === undefined ? '?' : `${(x * 100).toFixed(0)}%`);

export function renderTable(rows: readonly Row[]): string {
  const header = [
    'operation', 'keyhold req/s', 'p50 ms', 'p99 ms', 'errors',
    'ceiling req/s', 'p50 ms', 'p99 ms', 'errors', 'keyhold/ceiling', "others' CPU",
  ];
  const side = (r: Cell): string[] => [
    fig(r, (m) => m.rps.toFixed(0)),
    fig(r, (m) => m.p50Ms.toFixed(2)),
    fig(r, (m) => m.p99Ms.toFixed(2)),
    fig(r, (m) => String(m.errors)),
  ];
  const body = rows.map((r) => [
    r.op,
    ...side(r.keyhold),
    ...side(r.ceiling),
    typeof r.keyhold === 'string' || typeof r.ceiling === 'string'
      ? 'n/a'
      : `${((100 * r.keyhold.rps) / r.ceiling.rps).toFixed(0)}%`,
    `${fig(r.keyhold, (m) => pct(m.othersCpu))} / ${fig(r.ceiling, (m) => pct(m.othersCpu))}`,
  ]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The authorization goal (issue 3): a realistic policy and 50 grants cost under 10% of throughput. */
export function authorizationLine(plain: Cell, guarded: Cell): string {
  if (typeof plain === 'string' || typeof guarded === 'string') return 'Encrypt with a 10-statement policy and 50 grants: n/a';
  const ratio = guarded.rps / plain.rps;
  return `Encrypt with a 10-statement policy and 50 grants: ${guarded.rps.toFixed(0)} req/s (p50 ${guarded.p50Ms.toFixed(2)} ms, ${guarded.errors} errors) = ` +
    `${(ratio * 100).toFixed(0)}% of Encrypt under the default policy (${plain.rps.toFixed(0)} req/s); goal ≥ 90%.`;
}
