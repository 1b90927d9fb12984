// The query protocol's request parsing and XML rendering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryParams } from './form.js';
import { IAM_NAMESPACE, escapeXml, queryError, queryResponse } from './xml.js';

test('form parameters decode percent-escapes and plus signs', () => {
  const q = QueryParams.parse('Action=PutUserPolicy&PolicyDocument=%7B%22a%22%3A1%7D&UserName=a+b');
  assert.equal(q.get('Action'), 'PutUserPolicy');
  assert.equal(q.get('PolicyDocument'), '{"a":1}');
  assert.equal(q.get('UserName'), 'a b');
  assert.equal(q.get('Missing'), undefined);
});

test('a repeated parameter keeps its first value', () => {
  assert.equal(QueryParams.parse('UserName=first&UserName=second').get('UserName'), 'first');
});

test('member lists are read in order up to the first gap', () => {
  const q = QueryParams.parse('Ids.member.1=a&Ids.member.2=b&Ids.member.4=d');
  assert.deepEqual(q.list('Ids'), ['a', 'b']);
  assert.deepEqual(q.list('Other'), []);
});

test('lists of structures are read field by field', () => {
  const q = QueryParams.parse('Tags.member.1.Key=team&Tags.member.1.Value=red&Tags.member.2.Key=env');
  assert.deepEqual(q.structList('Tags', ['Key', 'Value']), [{ Key: 'team', Value: 'red' }, { Key: 'env', Value: undefined }]);
});

test('XML text escapes every markup character', () => {
  assert.equal(escapeXml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
});

test('a response wraps the result, renders lists as member elements and dates as ISO 8601', () => {
  const xml = queryResponse(IAM_NAMESPACE, 'ListUsers', {
    Users: [{ UserName: 'a<b', CreateDate: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }],
    IsTruncated: false,
    Marker: undefined,
  }, 'req-1');
  assert.equal(
    xml,
    '<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users><member><UserName>a&lt;b</UserName>' +
      '<CreateDate>2026-01-02T03:04:05.000Z</CreateDate></member></Users><IsTruncated>false</IsTruncated></ListUsersResult>' +
      '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListUsersResponse>',
  );
});

test('a response without a result has only its metadata', () => {
  assert.equal(
    queryResponse(IAM_NAMESPACE, 'DeleteUser', undefined, 'r'),
    '<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteUserResponse>',
  );
});

test('an error carries type, code, escaped message and request id', () => {
  assert.equal(
    queryError(IAM_NAMESPACE, 'Sender', 'NoSuchEntity', 'The user with name <x> cannot be found.', 'r'),
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>' +
      '<Message>The user with name &lt;x&gt; cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>',
  );
});
