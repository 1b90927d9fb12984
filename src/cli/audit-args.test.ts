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
  assert.deepEqual(parse('verify'), { kind: 'verify', dataDir: resolve('.keyhold'), publicKeyFile: undefined });
  assert.deepEqual(parse('public-key'), { kind: 'public-key', dataDir: resolve('.keyhold') });
});

test('--data-dir wins over KEYHOLD_DATA_DIR, which wins over the default; --public-key is resolved', () => {
  const env = { KEYHOLD_DATA_DIR: '/var/lib/keyhold' };
  assert.deepEqual(parse('verify', env), { kind: 'verify', dataDir: '/var/lib/keyhold', publicKeyFile: undefined });
  assert.deepEqual(parse('verify --data-dir /d --public-key audit.pem', env), { kind: 'verify', dataDir: '/d', publicKeyFile: resolve('audit.pem') });
  assert.deepEqual(parse('public-key --data-dir /d', env), { kind: 'public-key', dataDir: '/d' });
});

test('--help, help and no subcommand show the usage; a subcommand --help shows its own', () => {
  for (const args of ['', '--help', 'help']) assert.deepEqual(parse(args), { kind: 'help', text: auditUsage });
  const help = parse('verify --help');
  assert.ok(help.kind === 'help' && help.text.startsWith('Usage: keyhold audit verify [--data-dir DIR] [--public-key FILE]'));
});

test('unknown, misplaced or extra arguments are refused with the usage', () => {
  refuses('check', /unknown audit command 'check'/);
  refuses('verify --bogus', /Unknown option '--bogus'/);
  refuses('verify extra', /Unexpected argument 'extra'|positional/);
  refuses('verify --data-dir', /argument missing|requires|--data-dir/);
  refuses('public-key --public-key k.pem', /audit public-key takes no --public-key/);
});
