// The official IAM and STS SDKs parse what xml.ts renders: responses, member lists, dates, errors.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { GetUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { QueryParams } from './form.js';
import { IAM_NAMESPACE, STS_NAMESPACE, queryError, queryResponse } from './xml.js';

const created = new Date(Date.UTC(2026, 10, 23, 12, 0, 0));
let server: http.Server;
let endpoint = '';

// A stand-in server: it answers by Action alone, to test only the wire format.
before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const q = QueryParams.parse(body);
      // The SDKs take $metadata.requestId from this header, not from the XML: AWS sends both.
      const reply = (status: number, xml: string): void =>
        void res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': /<RequestId>([^<]*)</.exec(xml)?.[1] ?? '' }).end(xml);
      switch (q.get('Action')) {
        case 'ListUsers':
          return reply(200, queryResponse(IAM_NAMESPACE, 'ListUsers', {
            Users: [
              { Path: '/', UserName: 'alice', UserId: 'AIDAALICE', Arn: 'arn:aws:iam::111122223333:user/alice', CreateDate: created },
              { Path: '/', UserName: 'b&b', UserId: 'AIDABOB', Arn: 'arn:aws:iam::111122223333:user/b&b', CreateDate: created },
            ],
            IsTruncated: true,
            Marker: 'next-page',
          }, 'req-list'));
        case 'GetUser':
          return reply(404, queryError(IAM_NAMESPACE, 'Sender', 'NoSuchEntity', `The user with name ${q.get('UserName') ?? ''} cannot be found.`, 'req-get'));
        case 'GetCallerIdentity':
          return reply(200, queryResponse(STS_NAMESPACE, 'GetCallerIdentity', { UserId: 'AIDAALICE', Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/alice' }, 'req-sts'));
        default:
          return reply(400, queryError(IAM_NAMESPACE, 'Sender', 'InvalidAction', 'unknown', 'r'));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const credentials = { accessKeyId: 'AKIAEXAMPLE000000000', secretAccessKey: 'secret-secret-secret-secret' };

test('IAM SDK reads a member list, escaped text, dates, IsTruncated and Marker', async () => {
  const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const out = await iam.send(new ListUsersCommand({}));
  assert.deepEqual(out.Users?.map((u) => u.UserName), ['alice', 'b&b']);
  assert.equal(out.Users?.[0]?.CreateDate?.getTime(), created.getTime());
  assert.equal(out.IsTruncated, true);
  assert.equal(out.Marker, 'next-page');
  assert.equal(out.$metadata.requestId, 'req-list');
});

test('IAM SDK turns an ErrorResponse into its typed error with the message', async () => {
  const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  await assert.rejects(iam.send(new GetUserCommand({ UserName: 'nobody' })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, 'NoSuchEntityException');
    assert.equal(err.message, 'The user with name nobody cannot be found.');
    assert.equal(err.$metadata?.httpStatusCode, 404);
    return true;
  });
});

test('STS SDK reads GetCallerIdentity', async () => {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const out = await sts.send(new GetCallerIdentityCommand({}));
  assert.deepEqual([out.Account, out.Arn, out.UserId], ['111122223333', 'arn:aws:iam::111122223333:user/alice', 'AIDAALICE']);
});
