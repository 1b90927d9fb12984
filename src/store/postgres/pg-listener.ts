// One dedicated connection per node that LISTENs for the store generation other nodes commit, so
// their changes invalidate this node's caches as soon as PostgreSQL delivers the notification.
//
// Every write transaction sends `pg_notify('keyhold_generation', '<schema> <generation>')` inside
// itself, so the notification is delivered exactly when (and only if) it commits. Notifications are
// per database; the schema in the payload keeps stores in different schemas of one database apart.
// A notification can be missed (the connection dropped, the server restarted): the listener then
// reconnects with exponential backoff and re-reads the generation in the same round trip as LISTEN,
// and the store's background poll bounds the gap meanwhile. Errors never escape: they go to onError.
import type pg from 'pg';

export const GENERATION_CHANNEL = 'keyhold_generation';

/** The statement every writer runs instead of a plain bump: bumps and notifies in one round trip. */
export const BUMP_AND_NOTIFY = `WITH bumped AS (UPDATE store_generation SET generation = generation + 1 RETURNING generation)
  SELECT generation, pg_notify('${GENERATION_CHANNEL}', current_schema() || ' ' || generation) FROM bumped`;

export interface GenerationListenerOptions {
  /** A new, unconnected client for the listening connection. */
  readonly client: () => pg.Client;
  /** Receives every generation seen, in any order (the caller keeps the highest). */
  readonly onGeneration: (generation: string) => void;
  readonly onError: (err: Error) => void;
  /** First reconnect delay; it doubles up to maxRetryMs, and each delay is jittered to 50–100 %. */
  readonly retryMs: number;
  readonly maxRetryMs: number;
}

export class GenerationListener {
  readonly #options: GenerationListenerOptions;
  #client: pg.Client | undefined;
  #schema: string | undefined;
  #retryMs: number;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: GenerationListenerOptions) {
    this.#options = options;
    this.#retryMs = options.retryMs;
  }

  /** Makes the first connection attempt; resolves when it has either succeeded or scheduled a retry. */
  start(): Promise<void> {
    return this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = this.#options.client();
    this.#client = client;
    // An idle client's error (its backend terminated) is emitted as an event: unhandled, it would crash.
    client.on('error', (err) => this.#lost(client, err));
    client.on('end', () => this.#lost(client, new Error('the PostgreSQL LISTEN connection closed')));
    client.on('notification', (message) => this.#notified(message));
    try {
      await client.connect();
      // The schema first, so that notifications arriving with the next query's results are recognised.
      this.#schema = (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]?.schema;
      // LISTEN, then read: a commit between the two is either in the read or notified.
      const results = (await client.query(`LISTEN ${GENERATION_CHANNEL}; SELECT generation FROM store_generation`)) as unknown as pg.QueryResult<{ generation: string }>[];
      const generation = results[1]?.rows[0]?.generation;
      if (generation === undefined) throw new Error('store_generation has no row');
      this.#options.onGeneration(generation);
      this.#retryMs = this.#options.retryMs;
    } catch (err) {
      this.#lost(client, err instanceof Error ? err : new Error(String(err)));
    }
  }

  #notified(message: pg.Notification): void {
    if (message.channel !== GENERATION_CHANNEL || message.payload === undefined) return;
    const space = message.payload.lastIndexOf(' ');
    if (message.payload.slice(0, space) === this.#schema) this.#options.onGeneration(message.payload.slice(space + 1));
  }

  /** Handles a lost connection once (error and end both arrive): closes it and schedules a reconnect. */
  #lost(client: pg.Client, err: Error): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    if (this.#closed) return;
    this.#options.onError(err);
    const delay = this.#retryMs * (0.5 + Math.random() / 2);
    this.#retryMs = Math.min(this.#retryMs * 2, this.#options.maxRetryMs);
    this.#timer = setTimeout(() => void this.#connect(), delay);
    this.#timer.unref();
  }
}
