// `keyhold audit verify|public-key`: checks an audit trail offline — a data dir's audit.db, or a
// cluster's PostgreSQL trail through a SQLite copy of one snapshot (postgres/pg-verify-copy.ts) —
// with the public key stored beside it or one an auditor supplies. Only reads: audit.db and
// keyhold.db are opened read-only and PostgreSQL is read in a READ ONLY transaction, so it may run
// beside live servers, and it never needs the root key.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { AUDIT_DB_FILE, openAuditDb } from '../audit/audit-db.js';
import { PgTrailAbsent, readPgPublicKey, snapshotPgTrail, storedKeyOf } from '../audit/postgres/pg-verify-copy.js';
import { PUBLIC_KEY_META } from '../audit/signing-key.js';
import { parseAuditPublicKey, verifyTrail, type TrailReport } from '../audit/verify.js';
import { pin } from '../store/sqlite/pin.js';
import { readMetaReadOnly } from '../store/sqlite/read-meta.js';
import { parseAuditArgs, type TrailSource } from './audit-args.js';
import { auditQuery, isAuditQuery } from './audit-query.js';
import { CommandError } from './command-error.js';

export async function audit(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (isAuditQuery(argv[0])) return auditQuery(argv, env); // lookup and export ask a running server
  const command = parseAuditArgs(argv, env);
  if (command.kind === 'help') return void process.stdout.write(`${command.text}\n`);
  if (command.kind === 'public-key') {
    const source = command.source;
    const pem = source.kind === 'sqlite' ? storedPublicKey(source.dataDir) : await withPostgres(source.url, (client) => pgStoredPublicKey(client, source.url));
    return void process.stdout.write(pem);
  }
  const auditorsKey = command.publicKeyFile === undefined ? undefined : checkedKey(readPublicKeyFile(command.publicKeyFile));
  const report = await verifySource(command.source, auditorsKey);
  if (report.ok) return void process.stdout.write(`${intactSummary(report)}\n`);
  const lines = report.problems.map((p) => `${p.kind}: ${p.message}`);
  if (report.omittedProblems > 0) lines.push(`… and ${report.omittedProblems} more problems`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stderr.write(`keyhold: the audit trail is not intact: ${report.problems.length + report.omittedProblems} problems\n`);
  process.exitCode = 1;
}

/** One line: what was checked, and how much of it a digest has signed so far. */
export function intactSummary(report: TrailReport): string {
  if (report.firstSeq === undefined || report.lastSeq === undefined) return `audit trail intact: no events, ${report.digests} digests`;
  const counted = `${report.events} events (seq ${report.firstSeq}–${report.lastSeq}), ${report.digests} digests`;
  if (report.signedThrough === undefined) return `audit trail intact: ${counted}, none signed yet`;
  const unsigned = report.lastSeq - report.signedThrough;
  return `audit trail intact: ${counted}, signed through seq ${report.signedThrough}${unsigned > 0 ? ` (${unsigned} newer events not yet signed)` : ''}`;
}

function checkedKey(pem: string): string {
  try {
    parseAuditPublicKey(pem);
  } catch (err) {
    throw new CommandError((err as Error).message);
  }
  return pem;
}

async function verifySource(source: TrailSource, auditorsKey: string | undefined): Promise<TrailReport> {
  if (source.kind === 'sqlite') {
    const pem = auditorsKey ?? checkedKey(storedPublicKey(source.dataDir));
    return verifyAuditDb(join(source.dataDir, AUDIT_DB_FILE), pem);
  }
  return withPostgres(source.url, async (client) => {
    // An auditor's key is checked before the copy; the stored one is read in the copy's snapshot.
    const snapshot = await snapshotPgTrail(client);
    try {
      const pem = auditorsKey ?? checkedKey(storedKeyOf(snapshot) ?? noKeyYet(`the PostgreSQL store at ${where(source.url)}`));
      return verifyTrail(snapshot.auditDb, pem);
    } finally {
      snapshot.close();
    }
  });
}

/** One connection for the command; failures become one line that names the server and database,
 *  never the URL's password. */
async function withPostgres<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  let client: pg.Client | undefined;
  try {
    // Inside the try: a URL pg cannot parse throws here (its message does not hold the URL).
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'keyhold-audit' });
    // Without a listener, a connection dropped mid-command would end the process with a stack trace.
    client.on('error', () => undefined);
    await client.connect();
    return await fn(client);
  } catch (err) {
    if (err instanceof CommandError) throw err;
    if (err instanceof PgTrailAbsent) throw new CommandError(`${err.message} at ${where(url)}`);
    const message = err instanceof Error ? err.message : String(err);
    throw new CommandError(`cannot read the audit trail from PostgreSQL at ${where(url)}: ${withoutPassword(message, url)}`);
  } finally {
    await client?.end().catch(() => undefined);
  }
}

async function pgStoredPublicKey(client: pg.Client, url: string): Promise<string> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const pem = await readPgPublicKey(client);
  await client.query('COMMIT');
  return pem ?? noKeyYet(`the PostgreSQL store at ${where(url)}`);
}

/** host:port/database of a postgres:// URL: what an operator needs to recognise it, without user or password. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'the --postgres-url given';
  }
}

function withoutPassword(message: string, url: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return message.includes(url) ? message.split(url).join('<the --postgres-url>') : message;
  }
  if (password === '') return message;
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // keep the encoded form only
  }
  return [password, decoded].reduce((m, secret) => m.split(secret).join('***'), message);
}

function noKeyYet(holder: string): never {
  throw new CommandError(`${holder} holds no audit public key yet: the server creates it when it signs its first digest`);
}

function verifyAuditDb(path: string, pem: string): TrailReport {
  if (!existsSync(path)) throw new CommandError(`no audit trail at ${path}`);
  let db: Database.Database | undefined;
  try {
    db = pin(openAuditDb(path, { readonly: true }));
    return verifyTrail(db, pem);
  } catch (err) {
    if (err instanceof Database.SqliteError) throw new CommandError(`cannot read the audit trail ${path}: ${err.message}`);
    throw err;
  } finally {
    db?.close();
  }
}

function storedPublicKey(dataDir: string): string {
  const path = join(dataDir, 'keyhold.db');
  if (!existsSync(path)) throw new CommandError(`no keyhold store at ${path}`);
  let pem: string | undefined;
  try {
    pem = readMetaReadOnly(path, PUBLIC_KEY_META);
  } catch (err) {
    if (err instanceof Database.SqliteError) throw new CommandError(`cannot read the store ${path}: ${err.message}`);
    throw err;
  }
  return pem ?? noKeyYet(path);
}

function readPublicKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CommandError(`cannot read the public key file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
