// `keyhold serve`: one process per core (node:cluster) sharing the port and the store. The
// primary initialises the store once, then supervises; workers serve. --workers 1 runs in-process.
import cluster from 'node:cluster';
import { pino, type Logger } from 'pino';
import type { AdminCredentials } from '../auth/bootstrap.js';
import { createApp, defaultRuntime, initialise, openStore, type App } from '../server/app.js';
import { serveClusterMetrics, workerMetrics } from '../server/cluster-metrics.js';
import { parseServeConfig, type ServeConfig } from './config.js';
import { writeCredentialsFile } from './credentials-file.js';

export async function serve(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const config = parseServeConfig(argv, env);
  const logger = pino({ level: config.logLevel, base: { pid: process.pid } }, pino.destination({ sync: false }));
  if (cluster.isWorker) return runWorker(config, logger);
  const runtime = defaultRuntime(logger);
  const opened = await openStore(config, runtime);
  const generated = await initialise(config, runtime, opened);
  if (generated) showGeneratedCredentials(config.dataDir, generated);
  if (config.workers === 1) {
    const app = createApp(config, runtime, opened);
    await listen(app, config, logger);
    onShutdown(logger, () => app.close());
    return;
  }
  await opened.store.close();
  supervise(config, logger);
}

function showGeneratedCredentials(dataDir: string, creds: AdminCredentials): void {
  const path = writeCredentialsFile(dataDir, creds);
  // Shown this once, on the terminal, never through the logger; the file keeps them (0600).
  process.stdout.write(
    `keyhold: generated administrator credentials (written to ${path}, profile keyhold):\n` +
      `  aws_access_key_id     = ${creds.accessKeyId}\n  aws_secret_access_key = ${creds.secretAccessKey}\n`,
  );
}

async function runWorker(config: ServeConfig, logger: Logger): Promise<void> {
  const runtime = defaultRuntime(logger);
  const app = createApp(config, runtime, await openStore(config, runtime), { metricsText: (m) => workerMetrics(m.registry) });
  await listen(app, config, logger);
  onShutdown(logger, () => app.close());
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM')); // the primary died
}

function listen(app: App, config: ServeConfig, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.port, config.host, () => {
      const scheme = config.tls ? 'https' : 'http';
      logger.info({ url: `${scheme}://${config.host}:${config.port}`, region: config.region }, 'keyhold listening');
      resolve();
    });
  });
}

function supervise(config: ServeConfig, logger: Logger): void {
  let stopping = false;
  serveClusterMetrics();
  // Each worker records its own audit events (audit/audit-journal.ts): the primary only supervises.
  const exit = (): void => process.exit(0);
  for (let i = 0; i < config.workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) exit();
      return;
    }
    logger.error({ workerPid: worker.process.pid, code, signal }, 'worker exited; starting another');
    setTimeout(() => cluster.fork(), 1000).unref();
  });
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping: workers finish their requests');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    if (Object.keys(cluster.workers ?? {}).length === 0) exit();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** SIGTERM/SIGINT: finish in-flight requests, close the store, flush logs, exit. */
function onShutdown(logger: Logger, close: () => Promise<void>): void {
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    close().then(
      () => {
        logger.info('stopped');
        logger.flush(() => process.exit(0));
      },
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        logger.flush(() => process.exit(1));
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
