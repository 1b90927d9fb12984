// Leases for the cluster-wide schedulers: each job runs on one node at a time, and a node that dies
// mid-job loses its lease once the lease's ttl has passed, so another node takes the job over.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ServiceDeps } from './operation.js';

/** This process's holder id: one per process, so several apps in one process (tests) share it. */
export const processHolder = `${hostname()}:${process.pid}:${randomBytes(8).toString('hex')}`;

/** The lease outlives three missed runs: a dead holder's job is taken over within about
 *  3 × intervalMs (3 minutes at the default 1-minute interval) plus one interval. */
export const leaseTtlMs = (intervalMs: number): number => 3 * intervalMs;

/** Runs `job` only if this process takes or renews the lease `name`; returns undefined otherwise.
 *  The jobs stay idempotent: a job longer than the ttl may overlap with its successor's. */
export async function whileLeased<T>(deps: ServiceDeps, name: string, intervalMs: number, job: () => Promise<T>): Promise<T | undefined> {
  const held = await deps.store.transaction((tx) => tx.acquireLease(name, processHolder, deps.clock.now(), leaseTtlMs(intervalMs)));
  return held ? job() : undefined;
}
