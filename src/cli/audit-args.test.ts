// `keyhold audit` argument parsing.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { auditUsage, parseAuditArgs } from './audit-args.js';
import { CommandError } from './command-error.js';

const parse = (args: string, env: NodeJS.ProcessEnv = {}): ReturnType<typeof parseAuditArgs> => parseAuditArgs(args === '' ? [] : args.split(' '), env);
const refuses = (args: string, message: RegExp): void =>
  assert.throws(() => parse(args), (err: unknown) => err instanceof CommandError && message.test(err.message));

test('verify defaults to the data dir ./.keyhold and the public key stored there', () => {
  assert.deepEqual(parse('verify'), { kind: 'verify', source: { kind: 'sqlite', dataDir: resolve('.keyhold') }, publicKeyFile: undefined });
  assert.deepEqual(parse('public-key'), { kind: 'public-key', source: { kind: 'sqlite', dataDir: resolve('.keyhold') } });
});

test('--data-dir wins over KEYHOLD_DATA_DIR, which wins over the default; --public-key is resolved', () => {
  const env = { KEYHOLD_DATA_DIR: '/var/lib/keyhold' };
  assert.deepEqual(parse('verify', env), { kind: 'verify', source: { kind: 'sqlite', dataDir: '/var/lib/keyhold' }, publicKeyFile: undefined });
  assert.deepEqual(parse('verify --data-dir /d --public-key audit.pem', env), { kind: 'verify', source: { kind: 'sqlite', dataDir: '/d' }, publicKeyFile: resolve('audit.pem') });
  assert.deepEqual(parse('public-key --data-dir /d', env), { kind: 'public-key', source: { kind: 'sqlite', dataDir: '/d' } });
  assert.deepEqual(parse('verify --store sqlite --data-dir /d'), { kind: 'verify', source: { kind: 'sqlite', dataDir: '/d' }, publicKeyFile: undefined });
});

const url = 'postgres://keyhold:s3cret@db.internal:5432/keyhold';

test('--store postgres with --postgres-url, or KEYHOLD_STORE and KEYHOLD_POSTGRES_URL as keyhold serve reads them', () => {
  const postgres = { kind: 'postgres', url };
  assert.deepEqual(parse(`verify --store postgres --postgres-url ${url}`), { kind: 'verify', source: postgres, publicKeyFile: undefined });
  assert.deepEqual(parse('verify --public-key a.pem', { KEYHOLD_STORE: 'postgres', KEYHOLD_POSTGRES_URL: url }), { kind: 'verify', source: postgres, publicKeyFile: resolve('a.pem') });
  assert.deepEqual(parse(`public-key --store postgres --postgres-url ${url}`), { kind: 'public-key', source: postgres });
  // KEYHOLD_DATA_DIR (set for serve's root key file) is not the trail's place here, and is ignored.
  assert.deepEqual(parse('public-key', { KEYHOLD_STORE: 'postgres', KEYHOLD_POSTGRES_URL: url, KEYHOLD_DATA_DIR: '/d' }), { kind: 'public-key', source: postgres });
});

test('a store setting serve would refuse is refused, and the URL\'s password is never in the message', () => {
  refuses('verify --store postgres', /--store postgres needs --postgres-url \(or KEYHOLD_POSTGRES_URL\)/);
  refuses(`verify --postgres-url ${url}`, /--postgres-url needs --store postgres/);
  refuses('verify --store mysql', /--store mysql: expected sqlite or postgres/);
  refuses('verify --store postgres --postgres-url mysql://u:s3cret@h/d', /--postgres-url must be a postgres:\/\/ URL/);
  refuses(`verify --store postgres --postgres-url ${url} --data-dir /d`, /--data-dir is not read with --store postgres/);
  for (const args of [`verify --postgres-url ${url}`, 'verify --store postgres --postgres-url mysql://u:s3cret@h/d', `verify --store postgres --postgres-url ${url} --data-dir /d`]) {
    assert.throws(() => parse(args), (err: unknown) => err instanceof CommandError && !err.message.includes('s3cret'));
  }
});

test('--help, help and no subcommand show the usage; a subcommand --help shows its own', () => {
  for (const args of ['', '--help', 'help']) assert.deepEqual(parse(args), { kind: 'help', text: auditUsage });
  const help = parse('verify --help');
  assert.ok(help.kind === 'help' && help.text.startsWith('Usage: keyhold audit verify [--data-dir DIR | --store postgres --postgres-url URL] [--public-key FILE]'));
});

test('unknown, misplaced or extra arguments are refused with the usage', () => {
  refuses('check', /unknown audit command 'check'/);
  refuses('verify --bogus', /Unknown option '--bogus'/);
  refuses('verify extra', /Unexpected argument 'extra'|positional/);
  refuses('verify --data-dir', /argument missing|requires|--data-dir/);
  refuses('public-key --public-key k.pem', /audit public-key takes no --public-key/);
});
