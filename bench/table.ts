// Renders the results as a plain-text table, one row per operation, keyhold beside its ceiling.
import type { Operation } from './payloads.js';
import type { LoadResult } from './result.js';

export interface Row {
  readonly op: Operation;
  readonly keyhold: LoadResult | string; // a string says why there is no figure
  readonly ceiling: LoadResult | string;
}

const rps = (r: LoadResult | string): string => (typeof r === 'string' ? 'n/a' : r.rps.toFixed(0));
const ms = (r: LoadResult | string, k: 'p50Ms' | 'p99Ms'): string => (typeof r === 'string' ? 'n/a' : r[k].toFixed(2));
const errs = (r: LoadResult | string): string => (typeof r === 'string' ? 'n/a' : String(r.errors));

export function renderTable(rows: readonly Row[]): string {
  const header = [
    'operation', 'keyhold req/s', 'p50 ms', 'p99 ms', 'errors',
    'ceiling req/s', 'p50 ms', 'p99 ms', 'errors', 'keyhold/ceiling',
  ];
  const body = rows.map((r) => [
    r.op,
    rps(r.keyhold), ms(r.keyhold, 'p50Ms'), ms(r.keyhold, 'p99Ms'), errs(r.keyhold),
    rps(r.ceiling), ms(r.ceiling, 'p50Ms'), ms(r.ceiling, 'p99Ms'), errs(r.ceiling),
    typeof r.keyhold === 'string' || typeof r.ceiling === 'string'
      ? 'n/a'
      : `${((100 * r.keyhold.rps) / r.ceiling.rps).toFixed(0)}%`,
  ]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
