// The audit sink of a serving process. An event is durable once its frame is in this process's own
// journal segment and fdatasync has returned; the response is sent only then. Group commit: while
// one write is in flight, new events queue and the next write takes them all (and writes start at
// most every FLUSH_GAP_MS, so that each carries many). Every process has its
// own segment, so the processes of a node commit side by side instead of in one line.
// Chaining and indexing into audit.db happen behind the responses, on the ingester thread
// (ingester-thread.ts); if that falls behind for good (audit.db cannot be written), recording
// refuses, so no request runs while its event could not reach the trail.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AuditWriteError, type AuditSink } from './audit-sink.js';
import type { AuditEvent } from './event.js';
import { IngesterThread } from './ingester-client.js';
import { encodeFrame, JOURNAL_DIR, segmentName } from './journal-format.js';

/** Writes start at most this often. An fdatasync costs about 100 µs of kernel CPU here whatever
 *  it carries, so under load each should carry many events: waiting up to this long for the next
 *  write gathers them, at a cost of at most this much latency, and none when the load is light. */
const FLUSH_GAP_MS = 2;

/** A segment this large is followed by a new one, so chained ones can be deleted. */
const SEGMENT_BYTES = 16 * 1024 * 1024;

interface Waiting {
  readonly frame: Buffer;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export interface AuditJournalOptions {
  readonly dataDir: string;
  readonly auditDbPath: string;
  /** How long chaining waits for another process's lock on audit.db before the trail refuses. */
  readonly busyTimeoutMs: number;
  readonly logger: Logger;
}

export class AuditJournal implements AuditSink {
  readonly #dir: string;
  readonly #writer = randomBytes(6).toString('hex');
  readonly #ingester: IngesterThread;
  #segment = 0;
  #handle: FileHandle | undefined;
  #size = 0;
  #queue: Waiting[] = [];
  #writing = false;
  #lastFlush = 0;
  #closed = false;

  constructor(options: AuditJournalOptions) {
    this.#dir = join(options.dataDir, JOURNAL_DIR);
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    this.#ingester = new IngesterThread({ journalDir: this.#dir, auditDbPath: options.auditDbPath, busyTimeoutMs: options.busyTimeoutMs }, options.logger);
  }

  record(event: AuditEvent): Promise<void> {
    /* Precondition: the trail is keeping up; otherwise the request fails rather than run unchained. */
    if (this.#closed) return Promise.reject(new AuditWriteError('the audit trail is closed'));
    const stuck = this.#ingester.failure;
    if (stuck !== undefined) return Promise.reject(stuck);
    return new Promise((resolve, reject) => {
      // Written at the end of this turn: events recorded in the same turn share one write.
      if (this.#queue.length === 0 && !this.#writing) queueMicrotask(() => void this.#flush());
      this.#queue.push({ frame: encodeFrame(JSON.stringify(event)), resolve, reject });
    });
  }

  caughtUp(): Promise<void> {
    return this.#ingester.catchUp();
  }

  /** Waits for queued events, closes the segment, chains it (then deletes it) and ends the thread. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#writing || this.#queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.#closeSegment();
    await this.#ingester.close(this.#writer);
  }

  async #flush(): Promise<void> {
    this.#writing = true;
    while (this.#queue.length > 0) {
      const wait = this.#lastFlush + FLUSH_GAP_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.#lastFlush = performance.now();
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#append(batch.length === 1 ? (batch[0]?.frame ?? Buffer.alloc(0)) : Buffer.concat(batch.map((w) => w.frame)));
        for (const w of batch) w.resolve();
        this.#ingester.written();
      } catch (err) {
        // The segment may now end in a torn frame: later events go to a new one (this one is sealed).
        await this.#closeSegment();
        const why = new AuditWriteError(`the audit journal could not be written: ${err instanceof Error ? err.message : String(err)}`);
        for (const w of batch) w.reject(why);
      }
    }
    this.#writing = false;
  }

  async #append(bytes: Buffer): Promise<void> {
    this.#handle ??= await open(join(this.#dir, segmentName(process.pid, this.#writer, ++this.#segment)), 'wx', 0o600);
    // The write only copies into the page cache (microseconds), so it runs here; the wait for the
    // disk runs on libuv's thread pool.
    for (let done = 0; done < bytes.length; ) done += writeSync(this.#handle.fd, bytes, done, bytes.length - done, this.#size + done);
    await this.#handle.datasync();
    this.#size += bytes.length;
    if (this.#size >= SEGMENT_BYTES) await this.#closeSegment();
  }

  async #closeSegment(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    this.#size = 0;
    await handle?.close().catch(() => undefined);
  }
}
