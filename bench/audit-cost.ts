// Issue 6's benchmark: Encrypt with the audit trail on (every event durable before its response)
// against the same keyhold with a null audit sink (KEYHOLD_AUDIT=off), in the order A B B A so
// that drift in the machine's speed weighs on both alike.
import type { Keyhold } from './keyhold.js';
import { log, measureRequests } from './measure-one.js';
import { bodyFor } from './payloads.js';
import type { Measurement } from './result.js';

/** The goal: auditing costs under 15% of Encrypt throughput. */
const AUDIT_COST_GOAL = 0.15;

export interface AuditCost {
  readonly audited: Measurement | string;
  readonly unaudited: Measurement | string;
}

export async function measureAuditCost(audited: Keyhold, unaudited: Keyhold): Promise<AuditCost> {
  log('audit: Encrypt with the audit trail and with a null audit sink, A B B A');
  const a1 = await measureRequests('keyhold Encrypt (audited)', audited, 'Encrypt', bodyFor('Encrypt', audited.fixture));
  const b1 = await measureRequests('keyhold Encrypt (null audit sink)', unaudited, 'Encrypt', bodyFor('Encrypt', unaudited.fixture));
  const b2 = await measureRequests('keyhold Encrypt (null audit sink)', unaudited, 'Encrypt', bodyFor('Encrypt', unaudited.fixture));
  const a2 = await measureRequests('keyhold Encrypt (audited)', audited, 'Encrypt', bodyFor('Encrypt', audited.fixture));
  return { audited: meanOf(a1, a2), unaudited: meanOf(b1, b2) };
}

export function auditCostLine({ audited, unaudited }: AuditCost): string {
  if (typeof audited === 'string') return `Encrypt with the audit trail: n/a (${audited})`;
  if (typeof unaudited === 'string') return `Encrypt with the audit trail: n/a (${unaudited})`;
  const cost = 1 - audited.rps / unaudited.rps;
  return `Encrypt with the audit trail: ${audited.rps.toFixed(0)} req/s (p50 ${audited.p50Ms.toFixed(2)} ms, p99 ${audited.p99Ms.toFixed(2)} ms, ${audited.errors} errors) ` +
    `vs ${unaudited.rps.toFixed(0)} req/s with a null audit sink (p50 ${unaudited.p50Ms.toFixed(2)} ms): auditing costs ${(cost * 100).toFixed(1)}% of throughput; goal < ${AUDIT_COST_GOAL * 100}%.` +
    cpuLine(audited.serverCpuUsPerRequest, unaudited.serverCpuUsPerRequest);
}

/** The server's CPU per request both ways: what auditing costs, less swayed by a busy machine. */
function cpuLine(audited: number | undefined, unaudited: number | undefined): string {
  if (audited === undefined || unaudited === undefined) return '';
  return ` Server CPU per request: ${audited.toFixed(0)} µs audited vs ${unaudited.toFixed(0)} µs (+${(((audited - unaudited) / unaudited) * 100).toFixed(1)}%).`;
}

/** The mean of two runs of one measurement (A B B A). */
export function meanOf(x: Measurement | string, y: Measurement | string): Measurement | string {
  if (typeof x === 'string') return x;
  if (typeof y === 'string') return y;
  const mean = (f: (m: Measurement) => number): number => (f(x) + f(y)) / 2;
  return { ...x, requests: x.requests + y.requests, seconds: x.seconds + y.seconds, rps: mean((m) => m.rps), p50Ms: mean((m) => m.p50Ms), p99Ms: mean((m) => m.p99Ms), errors: x.errors + y.errors,
    serverCpuUsPerRequest: x.serverCpuUsPerRequest === undefined || y.serverCpuUsPerRequest === undefined ? undefined : (x.serverCpuUsPerRequest + y.serverCpuUsPerRequest) / 2,
    databaseCpuUsPerRequest: x.databaseCpuUsPerRequest === undefined || y.databaseCpuUsPerRequest === undefined ? undefined : (x.databaseCpuUsPerRequest + y.databaseCpuUsPerRequest) / 2,
    databaseTransactionsPerRequest: x.databaseTransactionsPerRequest === undefined || y.databaseTransactionsPerRequest === undefined ? undefined : (x.databaseTransactionsPerRequest + y.databaseTransactionsPerRequest) / 2 };
}
