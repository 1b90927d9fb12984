// PostgreSQL audit trails for tests, without the chainer: a throwaway database with the trail's
// schema, and appendPgEvents, which chains events into it exactly as audit-db.ts's appendEvents
// does into audit.db (same head or chain_start, same chainHash, same index and key rows). A "twin"
// appends the same events to both, so a test compares the PostgreSQL code with the SQLite code.
import assert from 'node:assert/strict';
import { createSecretKey, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { appendEvents, AUDIT_DB_FILE, openAuditDb, type PendingEvent } from '../../src/audit/audit-db.js';
import { chainHash, GENESIS_HASH } from '../../src/audit/chain.js';
import { indexOf } from '../../src/audit/event.js';
import { AUDIT_LOCK, createAuditSchema } from '../../src/audit/postgres/pg-audit-schema.js';
import { lockedTransaction } from '../../src/audit/postgres/pg-locked-tx.js';
import { requestEvent } from '../../src/audit/request-event.js';
import { AuditSigningKey, type DigestSigner } from '../../src/audit/signing-key.js';
import type { Principal } from '../../src/auth/principal.js';
import { RootKey } from '../../src/backends/software/root-key.js';
import { SoftwareBackend } from '../../src/backends/software/software-backend.js';
import { systemRandom } from '../../src/core/clock.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { testPostgres } from './postgres.js';

export interface PgAuditDb {
  readonly url: string;
  readonly pool: pg.Pool;
  /** Empties the trail's tables (each test starts from an empty trail). */
  readonly reset: () => Promise<void>;
}

/** Registers `define`'s tests on a fresh database holding the audit schema (dropped after the
 *  file), or one test that is skipped or fails with the harness's reason. */
export async function withPgAuditDb(title: string, define: (db: PgAuditDb) => void): Promise<void> {
  const target = await testPostgres();
  if (target.kind === 'skip') return void test(title, { skip: target.reason }, () => {});
  if (target.kind === 'fail') return void test(title, () => assert.fail(target.reason));
  const pool = new pg.Pool({ connectionString: target.url, max: 8 });
  await createAuditSchema(pool);
  after(async () => {
    await pool.end();
    await target.drop();
  });
  const reset = async (): Promise<void> => void (await pool.query('TRUNCATE audit_events, audit_event_keys, audit_digests, audit_meta, audit_inbox'));
  define({ url: target.url, pool, reset });
}

/** appendEvents for PostgreSQL: one transaction under the chain lock, as the chainer takes it. */
export function appendPgEvents(pool: pg.Pool, events: readonly PendingEvent[]): Promise<void> {
  return lockedTransaction(pool, AUDIT_LOCK.chain, async (client) => {
    const last = (await client.query<{ seq: string; hash: Buffer }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')).rows[0];
    let seq: number;
    let previous: Buffer;
    if (last) {
      seq = Number(last.seq);
      previous = last.hash;
    } else {
      const start = (await client.query<{ value: string }>("SELECT value FROM audit_meta WHERE name = 'chain_start'")).rows[0];
      const parsed = start === undefined ? undefined : (JSON.parse(start.value) as { seq: number; hash: string });
      seq = parsed?.seq ?? 0;
      previous = parsed === undefined ? GENESIS_HASH : Buffer.from(parsed.hash, 'hex');
    }
    for (const e of events) {
      seq += 1;
      previous = chainHash(previous, seq, e.record);
      const i = e.index;
      await client.query(`INSERT INTO audit_events (seq, event_id, event_time, event_name, event_source, caller_account, key_account,
        principal_arn, error_code, request_id, record, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [seq, e.eventId, i.eventTime, i.eventName, i.eventSource, i.callerAccount, i.keyAccount, i.principalArn, i.errorCode, i.requestId, e.record, previous]);
      for (const arn of i.keyArns) await client.query('INSERT INTO audit_event_keys (key_arn, seq) VALUES ($1, $2) ON CONFLICT DO NOTHING', [arn, seq]);
    }
  });
}

/** A SQLite audit.db (in a temp dir) and the PostgreSQL trail, fed the same events. */
export interface Twin {
  /** The SQLite side's dir: audit.db, as in a data dir. */
  readonly dir: string;
  readonly sqlite: Database.Database;
  readonly pool: pg.Pool;
  append(events: readonly PendingEvent[]): Promise<void>;
  /** Closes and deletes the SQLite side. */
  remove(): void;
}

export function twinTrail(pool: pg.Pool): Twin {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-pg-twin-'));
  const sqlite = openAuditDb(join(dir, AUDIT_DB_FILE), { synchronous: 'NORMAL' });
  return {
    dir,
    sqlite,
    pool,
    async append(events) {
      appendEvents(sqlite, events);
      await appendPgEvents(pool, events);
    },
    remove() {
      if (sqlite.open) sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const A = '111122223333';
const B = '444455556666';
const C = '777788889999';
const principal = (account: string, name: string): Principal => ({
  accountId: account, arn: `arn:aws:iam::${account}:user/${name}`, accessKeyId: `AKIA${account}${name.toUpperCase().padEnd(4, 'X')}`, type: 'IAMUser',
  userId: `AIDA${account}`, identityPolicies: [], isAdmin: false,
});
export const TRAIL_ACCOUNTS = [A, B, C] as const;
export const TRAIL_PRINCIPALS = [principal(A, 'alice'), principal(B, 'bob'), principal(C, 'carol'), principal(A, 'ann')] as const;
export const trailKeyArn = (n: number, account: string): string => `arn:aws:kms:us-east-1:${account}:key/${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
export const TRAIL_T0 = Date.UTC(2025, 0, 1);

/** Event i of a varied trail: four principals in three accounts, keys of every account used across
 *  accounts, two-key requests, keyless requests, refusals, and several events per second. */
export function trailEvent(i: number): PendingEvent {
  const who = TRAIL_PRINCIPALS[i % 4] ?? TRAIL_PRINCIPALS[0];
  const owner = TRAIL_ACCOUNTS[(i * 7) % 3] ?? A;
  const first = { arn: trailKeyArn(i % 4, owner), accountId: owner };
  const second = { arn: trailKeyArn((i + 1) % 4, TRAIL_ACCOUNTS[(i + 1) % 3] ?? B), accountId: TRAIL_ACCOUNTS[(i + 1) % 3] ?? B };
  const keys = i % 6 === 0 ? [] : i % 5 === 0 ? [first, second] : [first];
  const event = requestEvent({
    service: 'kms', eventName: ['Encrypt', 'Decrypt', 'GenerateDataKey', 'DescribeKey', 'ReEncrypt'][i % 5] ?? 'Encrypt', requestId: randomUUID(),
    at: new Date(TRAIL_T0 + Math.floor(i / 3) * 1000), region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: `test/${i}`,
    principal: who, accessKeyId: who.accessKeyId, request: { KeyId: keys[0]?.arn, EncryptionContext: { purpose: `test ${i}` } },
    response: { KeyId: keys[0]?.arn }, error: i % 10 === 3 ? { code: 'AccessDeniedException', message: 'not allowed' } : i % 13 === 4 ? { code: 'DisabledException', message: 'disabled' } : undefined, keys,
  });
  return { eventId: event.eventID, record: JSON.stringify(event), index: indexOf(event) };
}

/** The audit signing key of a real PostgresStore in the database at `url`, as a server makes it:
 *  its public key is then in the store's meta table, where `keyhold audit verify` reads it. */
export async function pgStoreSigner(url: string): Promise<DigestSigner> {
  const store = await PostgresStore.open({ url });
  try {
    const backend = new SoftwareBackend(new RootKey(createSecretKey(systemRandom.bytes(32)), systemRandom), systemRandom);
    return await new AuditSigningKey(store, backend).signer();
  } finally {
    await store.close();
  }
}
