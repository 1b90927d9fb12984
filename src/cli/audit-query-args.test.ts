// `keyhold audit lookup|export` argument parsing, and whose credentials sign.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditConnection, parseAuditQueryArgs, type AuditQueryCommand } from './audit-query-args.js';
import { eventsTable } from './audit-lookup.js';
import { CommandError } from './command-error.js';

const env = { KEYHOLD_ENDPOINT: 'http://127.0.0.1:4599' };
const parse = (args: string): AuditQueryCommand => parseAuditQueryArgs(args.split(' ').filter((a) => a !== ''), env);
const refused = (args: string, message: RegExp): void => assert.throws(() => parse(args), (err: unknown) => err instanceof CommandError && message.test(err.message));

test('lookup takes every filter, --max-results and --output, with defaults 50 and json', () => {
  const command = parse('lookup --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --principal arn:aws:iam::111122223333:user/ana --account-id 111122223333 --event-name Encrypt --error-code AccessDeniedException --start-time 2025-01-02T03:04:05Z --end-time 2025-01-03 --request-id r-1 --max-results 7 --output table');
  assert.equal(command.kind, 'lookup');
  assert.ok(command.kind === 'lookup');
  assert.deepEqual(command.filters, {
    KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', PrincipalArn: 'arn:aws:iam::111122223333:user/ana', AccountId: '111122223333', EventName: 'Encrypt',
    ErrorCode: 'AccessDeniedException', RequestId: 'r-1', StartTime: Date.parse('2025-01-02T03:04:05Z') / 1000, EndTime: Date.parse('2025-01-03T00:00:00Z') / 1000,
  });
  assert.equal(command.maxResults, 7);
  assert.equal(command.output, 'table');
  const plain = parse('lookup');
  assert.ok(plain.kind === 'lookup');
  assert.deepEqual([plain.filters, plain.maxResults, plain.output, plain.server.endpoint.href], [{}, 50, 'json', 'http://127.0.0.1:4599/']);
});

test('export takes the filters and --file; times may carry an offset', () => {
  const command = parse('export --file out.ndjson --start-time 2025-01-02T05:04:05.5+02:00');
  assert.ok(command.kind === 'export');
  assert.equal(command.file, 'out.ndjson');
  assert.deepEqual(command.filters, { StartTime: Date.parse('2025-01-02T03:04:05.5Z') / 1000 });
  const toStdout = parse('export');
  assert.ok(toStdout.kind === 'export' && toStdout.file === undefined);
});

test('--help prints the command usage', () => {
  const help = parse('export --help');
  assert.ok(help.kind === 'help');
  assert.match(help.text, /^Usage: keyhold audit export/);
  assert.match(help.text, /AWS_ACCESS_KEY_ID/);
});

test('bad flags, times, numbers and combinations are refused before any request', () => {
  refused('lookup --file x', /audit lookup takes no --file/);
  refused('export --max-results 5', /audit export takes no --max-results/);
  refused('export --output table', /audit export takes no --output/);
  refused('lookup --bogus', /Unknown option '--bogus'/);
  refused('lookup stray', /positional/);
  refused('lookup --account-id 12345', /--account-id must be 12 digits/);
  refused('lookup --start-time 2025-01-02T03:04:05', /--start-time must be an ISO 8601 time with a zone/); // no zone
  refused('lookup --end-time yesterday', /--end-time must be an ISO 8601 time/);
  refused('lookup --start-time 2025-13-40', /--start-time must be/);
  refused('lookup --start-time 2025-01-03 --end-time 2025-01-02', /--start-time must not be later than --end-time/);
  for (const n of ['0', '-1', '1.5', 'ten', '1000000000']) refused(`lookup --max-results=${n}`, /--max-results must be a whole number/);
  refused('lookup --output yaml', /--output must be json or table/);
  refused('lookup --endpoint ftp://x', /--endpoint must be an http/);
});

test("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, when set, sign instead of the administrator's credentials", () => {
  const server = { endpoint: new URL('http://127.0.0.1:4599'), region: 'us-east-1', dataDir: '/nonexistent' };
  const admin = { KEYHOLD_ADMIN_ACCESS_KEY_ID: 'AKIAADMIN', KEYHOLD_ADMIN_SECRET_ACCESS_KEY: 'admin-secret' };
  assert.deepEqual(auditConnection(server, admin).credentials, { accessKeyId: 'AKIAADMIN', secretAccessKey: 'admin-secret' });
  const customer = { ...admin, AWS_ACCESS_KEY_ID: 'AKIACUSTOMER', AWS_SECRET_ACCESS_KEY: 'customer-secret' };
  assert.deepEqual(auditConnection(server, customer).credentials, { accessKeyId: 'AKIACUSTOMER', secretAccessKey: 'customer-secret' });
  assert.deepEqual(auditConnection(server, { ...customer, AWS_SESSION_TOKEN: 'token' }).credentials, { accessKeyId: 'AKIACUSTOMER', secretAccessKey: 'customer-secret', sessionToken: 'token' });
  assert.deepEqual(auditConnection(server, { ...admin, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }).credentials.accessKeyId, 'AKIAADMIN');
  assert.throws(() => auditConnection(server, { ...admin, AWS_ACCESS_KEY_ID: 'AKIACUSTOMER' }), /go together/);
  assert.throws(() => auditConnection(server, {}), /no administrator credentials/);
});

test('the table shows one line per event and no control characters', () => {
  const table = eventsTable([
    {
      eventTime: '2025-01-02T03:04:05Z', eventSource: 'kms.amazonaws.com', eventName: 'Encrypt', requestID: 'r-1', errorCode: 'AccessDenied\u001b[31mException',
      userIdentity: { arn: 'arn:aws:iam::111122223333:root' }, resources: [{ ARN: 'arn:aws:kms:us-east-1:111122223333:key/k-1' }, { ARN: 'arn:aws:kms:us-east-1:111122223333:key/k-2' }],
    },
    { eventTime: '2025-01-02T03:04:06Z', eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', requestID: 'r-2', userIdentity: { type: 'Unknown', accessKeyId: 'AKIAUNKNOWN' } },
  ]);
  const lines = table.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0] ?? '', /^TIME\s+EVENT\s+CALLER\s+KEYS\s+ERROR\s+REQUEST ID$/);
  assert.match(lines[1] ?? '', /kms:Encrypt\s+arn:aws:iam::111122223333:root\s+k-1,k-2\s+AccessDenied\?\[31mException\s+r-1$/);
  assert.match(lines[2] ?? '', /sts:GetCallerIdentity\s+AKIAUNKNOWN\s+-\s+-\s+r-2$/);
});
