// Prometheus metrics: requests and latency per operation and error code, keys by state.
import client from 'prom-client';
import { keyStates } from '../core/keys.js';
import type { Store } from '../store/store.js';

export class Metrics {
  readonly registry = new client.Registry();
  readonly #requests: client.Counter<'operation' | 'code'>;
  readonly #latency: client.Histogram<'operation' | 'code'>;

  constructor(store: Store) {
    this.#requests = new client.Counter({
      name: 'keyhold_requests_total',
      help: 'API requests by operation and outcome (OK or the error type)',
      labelNames: ['operation', 'code'] as const,
      registers: [this.registry],
    });
    this.#latency = new client.Histogram({
      name: 'keyhold_request_duration_seconds',
      help: 'API request latency by operation and outcome',
      labelNames: ['operation', 'code'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [this.registry],
    });
    new client.Gauge({
      name: 'keyhold_keys',
      help: 'KMS keys by key state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      // Every worker sees the same store: take one worker's value, never the sum.
      aggregator: 'first',
      async collect() {
        const counts = await store.read((tx) => tx.countKeysByState());
        for (const state of keyStates) this.set({ state }, counts.get(state) ?? 0);
      },
    });
  }

  observe(operation: string, code: string, seconds: number): void {
    this.#requests.inc({ operation, code });
    this.#latency.observe({ operation, code }, seconds);
  }
}
