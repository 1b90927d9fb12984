// The audit sink of a serving process. An event is durable once its frame is in this process's own
// journal segment and fdatasync has returned; the response is sent only then, with group commit
// (group-commit.ts). Every process has its own segment, so the processes of a node commit side by
// side instead of in one line.
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
import { GroupCommit } from './group-commit.js';
import { IngesterThread } from './ingester-client.js';
import { encodeFrame, JOURNAL_DIR, segmentName } from './journal-format.js';

/** Writes start at most this often: an fdatasync costs about 100 µs of kernel CPU here whatever it
 *  carries, so under load each should carry many events (at most this much added latency). */
const FLUSH_GAP_MS = 2;

/** A segment this large is followed by a new one, so chained ones can be deleted. */
const SEGMENT_BYTES = 16 * 1024 * 1024;

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
  readonly #commits = new GroupCommit<Buffer>((frames) => this.#commit(frames), FLUSH_GAP_MS);
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
    return this.#commits.add(encodeFrame(JSON.stringify(event)));
  }

  caughtUp(): Promise<void> {
    return this.#ingester.catchUp();
  }

  /** Waits for queued events, closes the segment, chains it (then deletes it) and ends the thread. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#commits.drained();
    await this.#closeSegment();
    await this.#ingester.close(this.#writer);
  }

  async #commit(frames: readonly Buffer[]): Promise<void> {
    try {
      await this.#append(frames.length === 1 ? (frames[0] ?? Buffer.alloc(0)) : Buffer.concat(frames));
    } catch (err) {
      // The segment may now end in a torn frame: later events go to a new one (this one is sealed).
      await this.#closeSegment();
      throw new AuditWriteError(`the audit journal could not be written: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.#ingester.written();
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
