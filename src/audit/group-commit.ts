// Group commit for the audit sinks: what is added while a write is in flight waits for the next
// write, which takes everything queued. Writes also start at most every `gapMs`: a durable write
// (an fdatasync, a PostgreSQL commit) costs about the same whatever it carries, so under load each
// should carry many; when the load is light, a write starts at once.
export class GroupCommit<T> {
  readonly #write: (items: readonly T[]) => Promise<void>;
  readonly #gapMs: number;
  #queue: { readonly item: T; readonly resolve: () => void; readonly reject: (err: Error) => void }[] = [];
  #writing = false;
  #lastWrite = 0;

  /** `write` makes the items durable, or throws the error every one of them is rejected with. */
  constructor(write: (items: readonly T[]) => Promise<void>, gapMs: number) {
    this.#write = write;
    this.#gapMs = gapMs;
  }

  /** Resolves once `item` is durable. */
  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      // Written at the end of this turn: items added in the same turn share one write.
      if (this.#queue.length === 0 && !this.#writing) queueMicrotask(() => void this.#flush());
      this.#queue.push({ item, resolve, reject });
    });
  }

  /** Resolves once nothing is queued or being written. */
  async drained(): Promise<void> {
    while (this.#writing || this.#queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  async #flush(): Promise<void> {
    this.#writing = true;
    while (this.#queue.length > 0) {
      const wait = this.#lastWrite + this.#gapMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.#lastWrite = performance.now();
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#write(batch.map((w) => w.item));
        for (const w of batch) w.resolve();
      } catch (err) {
        const why = err instanceof Error ? err : new Error(String(err));
        for (const w of batch) w.reject(why);
      }
    }
    this.#writing = false;
  }
}
