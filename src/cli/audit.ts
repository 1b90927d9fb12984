// `keyhold audit verify|public-key`: checks a data dir's audit trail offline, with the public key
// stored beside it or one an auditor supplies. Only reads: audit.db and keyhold.db are opened
// read-only, so it may run beside a live server, and it never needs the root key.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AUDIT_DB_FILE, openAuditDb } from '../audit/audit-db.js';
import { PUBLIC_KEY_META } from '../audit/signing-key.js';
import { parseAuditPublicKey, verifyTrail, type TrailReport } from '../audit/verify.js';
import { pin } from '../store/sqlite/pin.js';
import { readMetaReadOnly } from '../store/sqlite/read-meta.js';
import { parseAuditArgs } from './audit-args.js';
import { auditQuery, isAuditQuery } from './audit-query.js';
import { CommandError } from './command-error.js';

export async function audit(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (isAuditQuery(argv[0])) return auditQuery(argv, env); // lookup and export ask a running server
  const command = parseAuditArgs(argv, env);
  if (command.kind === 'help') return void process.stdout.write(`${command.text}\n`);
  if (command.kind === 'public-key') return void process.stdout.write(storedPublicKey(command.dataDir));
  const pem = command.publicKeyFile === undefined ? storedPublicKey(command.dataDir) : readPublicKeyFile(command.publicKeyFile);
  try {
    parseAuditPublicKey(pem);
  } catch (err) {
    throw new CommandError((err as Error).message);
  }
  const report = verifyAuditDb(join(command.dataDir, AUDIT_DB_FILE), pem);
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
  if (pem === undefined) throw new CommandError(`${path} holds no audit public key yet: the server creates it when it signs its first digest`);
  return pem;
}

function readPublicKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CommandError(`cannot read the public key file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
