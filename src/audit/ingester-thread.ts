// The ingester thread: chains journaled events into audit.db (journal-ingest.ts) shortly after they
// are written, on request (a lookup or digest must see every answered request), and every second
// regardless (segments other processes left behind). Its own thread, because a pass waits for
// audit.db's lock and fsync, and the event loop must go on serving meanwhile. It does not log: it
// answers, and the event loop logs.
import { parentPort, workerData } from 'node:worker_threads';
import { openAuditDb } from './audit-db.js';
import { JournalIngester, type IngestPass } from './journal-ingest.js';

export interface IngesterOptions {
  readonly journalDir: string;
  readonly auditDbPath: string;
  readonly busyTimeoutMs: number;
}
export type IngesterRequest =
  | { readonly kind: 'written' }
  | { readonly kind: 'catch-up'; readonly id: number }
  | { readonly kind: 'close'; readonly id: number; readonly closedWriter: string };
export type IngesterReply = { readonly answers: readonly number[]; readonly tornTails: IngestPass['tornTails'] } & (
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string }
);

/** Events written within this long share a pass (one audit.db commit): larger passes cost less
 *  per event, and nothing waits on them but lookups, which ask for a pass at once. */
const GATHER_MS = 100;
/** After a failed pass, the next try. */
const RETRY_MS = 100;
const SWEEP_MS = 1000;

if (parentPort === null) throw new Error('ingester-thread.js runs only as a worker thread');
const port = parentPort;
const options = workerData as IngesterOptions;
let ingester: JournalIngester | undefined;
let answers: number[] = [];
let closedWriter: string | undefined;
let timer: NodeJS.Timeout | undefined;
let soon = false;

port.on('message', (request: IngesterRequest) => {
  if (request.kind === 'written') return schedule(GATHER_MS);
  answers.push(request.id);
  if (request.kind === 'close') closedWriter = request.closedWriter;
  schedule(0);
});
setInterval(() => schedule(0), SWEEP_MS).unref();
schedule(0); // chain whatever a process that died left behind

function schedule(delayMs: number): void {
  if (timer !== undefined && (soon || delayMs > 0)) return;
  if (timer !== undefined) clearTimeout(timer);
  soon = delayMs === 0;
  timer = setTimeout(pass, delayMs);
}

function pass(): void {
  timer = undefined;
  const answering = answers;
  answers = [];
  let reply: IngesterReply;
  try {
    // busy_timeout 0: the pass waits for another process's lock itself, in short steps.
    ingester ??= new JournalIngester(openAuditDb(options.auditDbPath, { busyTimeoutMs: 0, synchronous: 'NORMAL' }), options.journalDir);
    const done = ingester.pass({ busyTimeoutMs: options.busyTimeoutMs, ...(closedWriter !== undefined && { closedWriter }) });
    reply = { ok: true, answers: answering, tornTails: done.tornTails };
  } catch (err) {
    reply = { ok: false, message: err instanceof Error ? err.message : String(err), answers: answering, tornTails: [] };
    schedule(RETRY_MS);
  }
  port.postMessage(reply);
}
