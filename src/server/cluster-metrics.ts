// /metrics across worker processes: the worker that receives the scrape asks the primary, which
// gathers every worker's registry (prom-client's AggregatorRegistry) and answers over IPC.
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import client from 'prom-client';

const REQUEST = 'keyhold:metrics-request';
const REPLY = 'keyhold:metrics-reply';

interface MetricsReply {
  readonly type: typeof REPLY;
  readonly id: string;
  readonly text: string;
  readonly contentType: string;
}

/** In the primary: answers workers' metrics requests with the aggregate of all workers. */
export function serveClusterMetrics(): void {
  const aggregator = new client.AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: string }) => {
    if (message.type !== REQUEST || typeof message.id !== 'string') return;
    const id = message.id;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: REPLY, id, text, contentType: aggregator.contentType } satisfies MetricsReply),
      () => worker.send({ type: REPLY, id, text: '', contentType: 'text/plain' } satisfies MetricsReply),
    );
  });
}

/** In a worker: exposes `registry` to the primary's aggregation and returns the scrape function. */
export function workerMetrics(registry: client.Registry): () => Promise<{ contentType: string; text: string }> {
  new client.AggregatorRegistry(); // its constructor installs the worker's reply listener
  client.AggregatorRegistry.setRegistries([registry]);
  return () =>
    new Promise((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        process.off('message', onMessage);
        reject(new Error('metrics aggregation timed out'));
      }, 5000);
      const onMessage = (message: Partial<MetricsReply>): void => {
        if (message.type !== REPLY || message.id !== id) return;
        clearTimeout(timer);
        process.off('message', onMessage);
        resolve({ contentType: message.contentType ?? 'text/plain', text: message.text ?? '' });
      };
      process.on('message', onMessage);
      process.send?.({ type: REQUEST, id });
    });
}
