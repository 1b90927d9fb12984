// What one measurement yields, whichever load generator produced it.
import type { SignedRequest } from './sign.js';

export interface LoadResult {
  readonly generator: 'wrk' | 'node';
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses that were not 2xx, plus socket errors and timeouts: non-zero means the
   *  figures measure failures, not work. */
  readonly errors: number;
}

/** A measured run, with the share of all CPU time that processes outside the bench used meanwhile. */
export interface Measurement extends LoadResult {
  readonly othersCpu: number | undefined;
  /** The server's CPU time per request (µs, all its processes): what a request costs, however
   *  loaded the machine; undefined where /proc is not there. */
  readonly serverCpuUsPerRequest: number | undefined;
  /** Of serverCpuUsPerRequest, what the database's backends used (PostgreSQL runs only). */
  readonly databaseCpuUsPerRequest?: number | undefined;
  /** Database transactions per request (PostgreSQL runs only): 0 means the hot path never went to the store. */
  readonly databaseTransactionsPerRequest?: number | undefined;
}

/** A bounded run: `seconds` of load over `connections` connections, cycling `requests`. */
export interface LoadSpec {
  readonly port: number;
  readonly connections: number;
  readonly seconds: number;
  readonly requests: readonly SignedRequest[];
}
