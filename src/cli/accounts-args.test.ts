// `keyhold accounts` argument parsing, the credentials-file fallback and the table output.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { accountsTable } from './accounts.js';
import { accountsUsage, parseAccountsArgs } from './accounts-args.js';
import { adminCredentials, parseCredentialsFile } from './admin-credentials.js';
import { CommandError } from './command-error.js';

const parse = (args: string, env: NodeJS.ProcessEnv = {}): ReturnType<typeof parseAccountsArgs> => parseAccountsArgs(args === '' ? [] : args.split(' '), env);
const refuses = (args: string, message: RegExp, env: NodeJS.ProcessEnv = {}): void =>
  assert.throws(() => parse(args, env), (err: unknown) => err instanceof CommandError && message.test(err.message));

test('defaults: endpoint http://127.0.0.1:4599, region us-east-1, data dir ./.keyhold', () => {
  assert.deepEqual(parse('create --name payments'), {
    kind: 'create', name: 'payments',
    server: { endpoint: new URL('http://127.0.0.1:4599'), region: 'us-east-1', dataDir: resolve('.keyhold') },
  });
});

test('flags win over KEYHOLD_ENDPOINT, KEYHOLD_REGION and KEYHOLD_DATA_DIR, which win over defaults', () => {
  const env = { KEYHOLD_ENDPOINT: 'https://kms.internal:8443', KEYHOLD_REGION: 'eu-west-1', KEYHOLD_DATA_DIR: '/var/lib/keyhold' };
  assert.deepEqual(parse('list', env), { kind: 'list', output: 'json', server: { endpoint: new URL('https://kms.internal:8443'), region: 'eu-west-1', dataDir: '/var/lib/keyhold' } });
  assert.deepEqual(parse('list --output table --endpoint http://10.0.0.1:4599/ --region ap-south-1 --data-dir /d', env), {
    kind: 'list', output: 'table', server: { endpoint: new URL('http://10.0.0.1:4599'), region: 'ap-south-1', dataDir: '/d' },
  });
  const server = { endpoint: new URL('http://127.0.0.1:4599'), region: 'us-east-1', dataDir: resolve('.keyhold') };
  assert.deepEqual(parse('disable --account-id 012345678901'), { kind: 'disable', accountId: '012345678901', server });
  assert.equal(parse('enable --account-id 012345678901').kind, 'enable');
});

test('--help, help and no subcommand show the usage; a subcommand --help shows its own', () => {
  for (const args of ['', '--help', 'help']) assert.deepEqual(parse(args), { kind: 'help', text: accountsUsage });
  const help = parse('create --help');
  assert.ok(help.kind === 'help' && help.text.startsWith('Usage: keyhold accounts create --name NAME'));
});

test('missing, unknown or misplaced arguments are refused with the usage', () => {
  refuses('create', /accounts create needs --name/);
  refuses('disable', /accounts disable needs --account-id/);
  refuses('disable --account-id 12345', /--account-id must be 12 digits/);
  refuses('rename --name x', /unknown accounts command 'rename'/);
  refuses('list --bogus', /Unknown option '--bogus'/);
  refuses('list extra', /Unexpected argument 'extra'|positional/);
  refuses('list --name x', /accounts list takes no --name/);
  refuses('create --name x --account-id 123456789012', /accounts create takes no --account-id/);
  refuses('list --output yaml', /--output must be json or table/);
});

test('the endpoint must be an http(s) origin; the region an AWS region name', () => {
  refuses('list --endpoint ftp://127.0.0.1:4599', /http:\/\/ or https:\/\//);
  refuses('list --endpoint 127.0.0.1:4599', /must be a URL/);
  refuses('list --endpoint http://127.0.0.1:4599/kms', /address only/);
  refuses('list --endpoint http://127.0.0.1:4599/?x=1', /address only/);
  refuses('list --region Mars', /not an AWS region name/);
  assert.throws(() => parse('list --endpoint http://admin:hunter2@127.0.0.1:4599'), (err: Error) => {
    assert.match(err.message, /must not hold a user name or password/);
    assert.equal(err.message.includes('hunter2'), false, 'the password was echoed');
    return true;
  });
});

test('credentials come from KEYHOLD_ADMIN_* first, else the [keyhold] profile of the credentials file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-cli-'));
  try {
    const fromEnv = { KEYHOLD_ADMIN_ACCESS_KEY_ID: 'AKIAFROMENV000000001', KEYHOLD_ADMIN_SECRET_ACCESS_KEY: 'env-secret' };
    assert.deepEqual(adminCredentials(fromEnv, dir), { accessKeyId: 'AKIAFROMENV000000001', secretAccessKey: 'env-secret' });
    assert.throws(() => adminCredentials({ KEYHOLD_ADMIN_ACCESS_KEY_ID: 'AKIAFROMENV000000001' }, dir), /go together/);
    assert.throws(() => adminCredentials({}, dir), (err: Error) => err instanceof CommandError && err.message.includes(join(dir, 'credentials')));

    writeFileSync(join(dir, 'credentials'), '[keyhold]\naws_access_key_id = AKIAFROMFILE00000001\naws_secret_access_key = file/secret+40\n');
    assert.deepEqual(adminCredentials({}, dir), { accessKeyId: 'AKIAFROMFILE00000001', secretAccessKey: 'file/secret+40' });
    assert.equal(adminCredentials(fromEnv, dir).accessKeyId, 'AKIAFROMENV000000001');

    writeFileSync(join(dir, 'credentials'), '[other]\naws_access_key_id = A\naws_secret_access_key = do-not-echo\n');
    assert.throws(() => adminCredentials({}, dir), (err: Error) => /no \[keyhold\] profile/.test(err.message) && !err.message.includes('do-not-echo'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the credentials file is read as an AWS shared-credentials file', () => {
  const text = '# comment\r\n[default]\naws_access_key_id=WRONG\naws_secret_access_key=WRONG\n\n[ keyhold ]\n; another\nAWS_ACCESS_KEY_ID =  AKIA1 \naws_secret_access_key= a=b= \n[later]\naws_access_key_id=WRONG\n';
  assert.deepEqual(parseCredentialsFile(text), { accessKeyId: 'AKIA1', secretAccessKey: 'a=b=' });
  assert.equal(parseCredentialsFile('[keyhold]\naws_access_key_id = AKIA1\n'), undefined);
  assert.equal(parseCredentialsFile(''), undefined);
});

test('--output table aligns columns under a header', () => {
  const rows = [
    { AccountId: '000000000000', Name: 'default', Status: 'Active', CreationDate: '2025-01-02T03:04:05.000Z' },
    { AccountId: '123456789012', Name: 'Ünïcødé team', Status: 'Disabled', CreationDate: '2025-02-03T04:05:06.000Z' },
  ];
  assert.equal(accountsTable(rows), [
    'ACCOUNT ID    NAME          STATUS    CREATED',
    '000000000000  default       Active    2025-01-02T03:04:05.000Z',
    '123456789012  Ünïcødé team  Disabled  2025-02-03T04:05:06.000Z',
    '',
  ].join('\n'));
});
