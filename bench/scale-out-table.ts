// Renders the scale-out suite (issue 7): one row per deployment, then the goal line per
// PostgreSQL deployment, in the style of the audit and authorization lines.
import type { Measurement } from './result.js';
import { POSTGRES_ENCRYPT_GOAL, type ScaleOutRow } from './scale-out.js';

type Cell = Measurement | string;
const pct = (x: number | undefined): string => (x === undefined ? '?' : `${(x * 100).toFixed(0)}%`);
const rps = (c: Cell | undefined): string => (c === undefined || typeof c === 'string' ? 'n/a' : c.rps.toFixed(0));
const ratio = (c: Cell, base: Cell): number | undefined => (typeof c === 'string' || typeof base === 'string' ? undefined : c.rps / base.rps);
const cpu = (m: Measurement): string =>
  `${m.serverCpuUsPerRequest?.toFixed(0) ?? '?'}${m.databaseCpuUsPerRequest === undefined ? '' : ` (${m.databaseCpuUsPerRequest.toFixed(0)})`}`;

function cells(mean: Cell, runs: readonly Cell[], base: Cell): string[] {
  if (typeof mean === 'string') return [mean, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'];
  return [
    `${mean.rps.toFixed(0)} (${runs.map(rps).join(' / ')})`,
    mean.p50Ms.toFixed(2),
    mean.p99Ms.toFixed(2),
    String(mean.errors),
    cpu(mean),
    mean.databaseTransactionsPerRequest?.toFixed(3) ?? '-',
    runs.map((r) => (typeof r === 'string' ? 'n/a' : pct(r.othersCpu))).join(' / '),
    pct(ratio(mean, base)),
  ];
}

export function renderScaleOut(rows: readonly ScaleOutRow[]): string {
  const base = rows.find((r) => r.deployment.store === 'sqlite');
  if (base === undefined) return 'PostgreSQL vs SQLite: n/a (no SQLite row)';
  const header = ['deployment', 'req/s (run 1 / 2)', 'p50 ms', 'p99 ms', 'errors', 'server µs/req (PG)', 'PG xact/req', "others' CPU (run 1 / 2)", 'vs SQLite'];
  const table = (title: string, pick: (r: ScaleOutRow) => [Cell, readonly Cell[]]): string => {
    const b = pick(base)[0];
    const body = rows.map((r) => [r.deployment.label, ...cells(...pick(r), b)]);
    const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => (row[c] ?? '').length)));
    const line = (row: readonly string[]): string => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
    return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
  };
  const lines = rows.filter((r) => r.deployment.store === 'postgres').map((r) => goalLine(r, base));
  return [table('Encrypt', (r) => [r.encrypt, r.encryptRuns]), table('CreateKey', (r) => [r.createKey, r.createKeyRuns]), lines.join('\n')].join('\n\n');
}

/** "Encrypt on PostgreSQL, … = N% of SQLite …; goal ≥ 80%: met." */
export function goalLine(row: ScaleOutRow, base: ScaleOutRow): string {
  const { encrypt, createKey } = row;
  const name = `Encrypt on ${row.deployment.label}`;
  if (typeof encrypt === 'string') return `${name}: n/a (${encrypt})`;
  if (typeof base.encrypt === 'string') return `${name}: n/a (SQLite: ${base.encrypt})`;
  const r = encrypt.rps / base.encrypt.rps;
  const ck = ratio(createKey, base.createKey);
  const xacts = encrypt.databaseTransactionsPerRequest === undefined ? '' : `, ${encrypt.databaseTransactionsPerRequest.toFixed(3)} PostgreSQL transactions per Encrypt`;
  const us = (m: Cell): string => (typeof m === 'string' ? '?' : `${m.serverCpuUsPerRequest?.toFixed(0) ?? '?'} µs`);
  return `${name}: ${encrypt.rps.toFixed(0)} req/s (p50 ${encrypt.p50Ms.toFixed(2)} ms, p99 ${encrypt.p99Ms.toFixed(2)} ms, ${encrypt.errors} errors) ` +
    `= ${pct(r)} of ${base.deployment.label} (${base.encrypt.rps.toFixed(0)} req/s); goal ≥ ${POSTGRES_ENCRYPT_GOAL * 100}%: ${r >= POSTGRES_ENCRYPT_GOAL ? 'met' : 'missed'}. ` +
    `Server CPU per request ${us(encrypt)} vs ${us(base.encrypt)}${xacts}. ` +
    `CreateKey ${rps(createKey)} req/s = ${pct(ck)} of SQLite (${rps(base.createKey)} req/s), server CPU ${us(createKey)} vs ${us(base.createKey)}` +
    `${typeof createKey !== 'string' && createKey.databaseCpuUsPerRequest !== undefined ? ` (PostgreSQL backends ${createKey.databaseCpuUsPerRequest.toFixed(0)} µs)` : ''}.` +
    `${row.deployment.nodes * row.deployment.workersPerNode > base.deployment.workersPerNode ? ' (More server processes than the SQLite row: not a like-for-like comparison.)' : ''}`;
}
