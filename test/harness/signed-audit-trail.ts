// A real, signed audit trail in a temp data dir, for verification tests: a real SqliteStore with
// the audit signing key under a real root key, and a real audit.db whose events were appended with
// appendEvents (in group-commit batches) and signed with createDigest. Tamper tests work on copies.
import { createSecretKey, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { appendEvents, AUDIT_DB_FILE, openAuditDb } from '../../src/audit/audit-db.js';
import { createDigest } from '../../src/audit/digests.js';
import { indexOf } from '../../src/audit/event.js';
import { requestEvent } from '../../src/audit/request-event.js';
import { AuditSigningKey } from '../../src/audit/signing-key.js';
import type { Principal } from '../../src/auth/principal.js';
import { RootKey } from '../../src/backends/software/root-key.js';
import { SoftwareBackend } from '../../src/backends/software/software-backend.js';
import { systemRandom } from '../../src/core/clock.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { pinnedDatabase } from '../../src/store/sqlite/pin.js';

export interface SignedTrail {
  /** A data dir as `keyhold serve` leaves it: keyhold.db (with the public key) and audit.db. */
  readonly dataDir: string;
  readonly publicKeyPem: string;
  readonly events: number;
  /** Digests were signed after every `digestEvery` events. */
  readonly digestEvery: number;
  remove(): void;
}

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const root: Principal = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: 'AKIAEXAMPLEROOT00001', type: 'Root', userId: ACCOUNT, identityPolicies: [], isAdmin: false };
const keyArn = (n: number, account = ACCOUNT): string => `arn:aws:kms:us-east-1:${account}:key/${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;

/** Event i: a mix of operations, refusals, cross-account use and requests that touch no key. */
function eventNumber(i: number): ReturnType<typeof requestEvent> {
  const keys = i % 7 === 0 ? [] : i % 11 === 0 ? [{ arn: keyArn(i % 5, OTHER), accountId: OTHER }, { arn: keyArn(i % 3), accountId: ACCOUNT }] : [{ arn: keyArn(i % 5), accountId: ACCOUNT }];
  return requestEvent({
    service: 'kms', eventName: ['Encrypt', 'Decrypt', 'GenerateDataKey', 'DescribeKey'][i % 4] ?? 'Encrypt', requestId: randomUUID(),
    at: new Date(Date.UTC(2025, 0, 1) + i * 1000), region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: `test/${i}`,
    principal: root, accessKeyId: root.accessKeyId, request: { KeyId: keys[0]?.arn, EncryptionContext: { purpose: `test ${i}` } },
    response: { KeyId: keys[0]?.arn }, error: i % 10 === 3 ? { code: 'AccessDeniedException', message: 'not allowed' } : undefined, keys,
  });
}

export async function buildSignedTrail(events: number, digestEvery: number): Promise<SignedTrail> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyhold-audit-trail-'));
  const store = SqliteStore.open(join(dataDir, 'keyhold.db'));
  const backend = new SoftwareBackend(new RootKey(createSecretKey(systemRandom.bytes(32)), systemRandom), systemRandom);
  const signer = await new AuditSigningKey(store, backend).signer();
  await store.close();
  const db = openAuditDb(join(dataDir, AUDIT_DB_FILE));
  let appended = 0;
  while (appended < events) {
    // Batches of 1–9, as group commits make them, never across a digest boundary.
    const size = Math.min(1 + (appended % 9), events - appended, digestEvery - (appended % digestEvery));
    const batch = Array.from({ length: size }, (_, j) => eventNumber(appended + j + 1)).map((e) => ({ eventId: e.eventID, record: JSON.stringify(e), index: indexOf(e) }));
    appendEvents(db, batch);
    appended += size;
    if (appended % digestEvery === 0) createDigest(db, signer, new Date(Date.UTC(2025, 0, 1) + appended * 1000));
  }
  db.close(); // checkpoints the WAL: audit.db alone holds the trail, so a copy of it is complete
  return { dataDir, publicKeyPem: signer.publicKeyPem, events, digestEvery, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** A writable copy of the trail's audit.db (in its own temp dir, removed by `remove`). */
export function copyOfTrail(trail: SignedTrail): { db: Database.Database; dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-audit-copy-'));
  copyFileSync(join(trail.dataDir, AUDIT_DB_FILE), join(dir, AUDIT_DB_FILE));
  copyFileSync(join(trail.dataDir, 'keyhold.db'), join(dir, 'keyhold.db'));
  const db = pinnedDatabase(new Database(join(dir, AUDIT_DB_FILE)));
  return { db, dir, remove: () => { if (db.open) db.close(); rmSync(dir, { recursive: true, force: true }); } };
}
