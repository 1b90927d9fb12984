// `keyhold services` argument parsing and its table output.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { CommandError } from './command-error.js';
import { servicesTable } from './services.js';
import { parseServicesArgs, servicesUsage } from './services-args.js';

const parse = (args: string, env: NodeJS.ProcessEnv = {}): ReturnType<typeof parseServicesArgs> => parseServicesArgs(args === '' ? [] : args.split(' '), env);
const refuses = (args: string, message: RegExp): void =>
  assert.throws(() => parse(args), (err: unknown) => err instanceof CommandError && message.test(err.message));
const server = { endpoint: new URL('http://127.0.0.1:4599'), region: 'us-east-1', dataDir: resolve('.keyhold') };

test('register takes --name; list takes --output; both the same server options as accounts', () => {
  assert.deepEqual(parse('register --name media'), { kind: 'register', name: 'media', server });
  assert.deepEqual(parse('list'), { kind: 'list', output: 'json', server });
  assert.deepEqual(parse('list --output table --region eu-west-1', { KEYHOLD_ENDPOINT: 'https://kms.internal:8443' }), {
    kind: 'list', output: 'table', server: { ...server, endpoint: new URL('https://kms.internal:8443'), region: 'eu-west-1' },
  });
});

test('--help, help and no subcommand show the usage; a subcommand --help shows its own', () => {
  for (const args of ['', '--help', 'help']) assert.deepEqual(parse(args), { kind: 'help', text: servicesUsage });
  const help = parse('register --help');
  assert.ok(help.kind === 'help' && help.text.startsWith('Usage: keyhold services register --name NAME'));
});

test('missing, misplaced or invalid arguments are refused before any request', () => {
  refuses('register', /services register needs --name/);
  refuses('register --name Media', /--name must be a lower-case letter/);
  refuses('register --name m', /--name must be a lower-case letter/);
  refuses('register --name media --output table', /services register takes no --output/);
  refuses('list --name media', /services list takes no --name/);
  refuses('list --output yaml', /--output must be json or table/);
  refuses('delete --name media', /unknown services command 'delete'/);
  refuses('list --token x', /Unknown option '--token'/);
  refuses('list --endpoint http://h:1/path', /--endpoint must be the server's address only/);
});

test('--output table aligns the services under a header', () => {
  assert.equal(servicesTable([
    { ServiceName: 'backup', CreationDate: '2025-01-02T03:04:05.000Z' },
    { ServiceName: 'object-store', CreationDate: '2025-02-03T04:05:06.000Z' },
  ]), [
    'SERVICE       REGISTERED',
    'backup        2025-01-02T03:04:05.000Z',
    'object-store  2025-02-03T04:05:06.000Z',
    '',
  ].join('\n'));
});
