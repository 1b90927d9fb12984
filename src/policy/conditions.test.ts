// Condition operators, table-driven: each case is named after the IAM/KMS rule it checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KmsError } from '../core/errors.js';
import { checkClauseValues, evaluateConditions, isKnownOperator } from './conditions.js';
import type { ConditionClause, ConditionValue } from './types.js';

const ACCT = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCT}:role/app`;
const NOW = '2026-06-15T12:00:00Z';

const c = (operator: string, key: string, ...values: string[]): ConditionClause => ({ operator, key: key.toLowerCase(), values });
type Case = [name: string, clauses: ConditionClause | ConditionClause[], context: Record<string, ConditionValue>, expected: boolean];

const evaluateCases: Case[] = [
  // String operators
  ['StringEquals matches an exact value', c('StringEquals', 'kms:CallerAccount', ACCT), { 'kms:calleraccount': ACCT }, true],
  ['StringEquals is case-sensitive', c('StringEquals', 'kms:EncryptionContext:tenant', 'acme'), { 'kms:encryptioncontext:tenant': 'ACME' }, false],
  ['StringEquals holds if any one of several policy values matches', c('StringEquals', 'kms:ViaService', 'ec2.us-east-1.amazonaws.com', 'rds.us-east-1.amazonaws.com'), { 'kms:viaservice': 'rds.us-east-1.amazonaws.com' }, true],
  ['StringEquals fails when no policy value matches', c('StringEquals', 'kms:ViaService', 'ec2.us-east-1.amazonaws.com'), { 'kms:viaservice': 's3.us-east-1.amazonaws.com' }, false],
  ['StringEquals on a missing key is false', c('StringEquals', 'kms:ViaService', 'ec2.us-east-1.amazonaws.com'), {}, false],
  ['StringEquals does not treat * as a wildcard', c('StringEquals', 'kms:EncryptionContext:app', 'a*'), { 'kms:encryptioncontext:app': 'abc' }, false],
  ['StringEquals matches a literal * in the request', c('StringEquals', 'kms:EncryptionContext:app', 'a*'), { 'kms:encryptioncontext:app': 'a*' }, true],
  ['StringEquals treats an empty string as a present value', c('StringEquals', 'kms:EncryptionContext:app', ''), { 'kms:encryptioncontext:app': '' }, true],
  ['StringNotEquals on a present key that matches no value is true', c('StringNotEquals', 'kms:CallerAccount', '444455556666'), { 'kms:calleraccount': ACCT }, true],
  ['StringNotEquals with several values is a NOR: matching one makes it false', c('StringNotEquals', 'kms:CallerAccount', '444455556666', ACCT), { 'kms:calleraccount': ACCT }, false],
  ['StringNotEquals on a missing key is true', c('StringNotEquals', 'kms:CallerAccount', ACCT), {}, true],
  ['StringNotEqualsIfExists on a missing key is true', c('StringNotEqualsIfExists', 'kms:CallerAccount', ACCT), {}, true],
  ['StringEqualsIgnoreCase matches regardless of case', c('StringEqualsIgnoreCase', 'kms:EncryptionContext:tenant', 'Acme'), { 'kms:encryptioncontext:tenant': 'aCME' }, true],
  ['StringEqualsIgnoreCase still needs the same letters', c('StringEqualsIgnoreCase', 'kms:EncryptionContext:tenant', 'acme'), { 'kms:encryptioncontext:tenant': 'acne' }, false],
  ['StringNotEqualsIgnoreCase is false for a case variant of a policy value', c('StringNotEqualsIgnoreCase', 'kms:EncryptionContext:tenant', 'acme'), { 'kms:encryptioncontext:tenant': 'ACME' }, false],
  ['StringNotEqualsIgnoreCase is true for a different value', c('StringNotEqualsIgnoreCase', 'kms:EncryptionContext:tenant', 'acme'), { 'kms:encryptioncontext:tenant': 'other' }, true],
  ['StringLike * matches an empty run', c('StringLike', 'kms:RequestAlias', 'alias/app-*'), { 'kms:requestalias': 'alias/app-' }, true],
  ['StringLike * matches across slashes', c('StringLike', 'kms:RequestAlias', 'alias/*'), { 'kms:requestalias': 'alias/team/prod' }, true],
  ['StringLike * matches a newline', c('StringLike', 'kms:EncryptionContext:note', 'a*b'), { 'kms:encryptioncontext:note': 'a\nb' }, true],
  ['StringLike ? matches exactly one character', c('StringLike', 'kms:EncryptionContext:v', 'v?'), { 'kms:encryptioncontext:v': 'v1' }, true],
  ['StringLike ? does not match two characters', c('StringLike', 'kms:EncryptionContext:v', 'v?'), { 'kms:encryptioncontext:v': 'v12' }, false],
  ['StringLike ? does not match zero characters', c('StringLike', 'kms:EncryptionContext:v', 'v?'), { 'kms:encryptioncontext:v': 'v' }, false],
  ['StringLike ? matches one astral character, not half of it', c('StringLike', 'kms:EncryptionContext:v', 'v?'), { 'kms:encryptioncontext:v': 'v😀' }, true],
  ['StringLike with several stars matches in order', c('StringLike', 'kms:EncryptionContext:env', '*-prod-*'), { 'kms:encryptioncontext:env': 'app-prod-eu' }, true],
  ['StringLike with several stars fails when a literal is missing', c('StringLike', 'kms:EncryptionContext:env', '*-prod-*'), { 'kms:encryptioncontext:env': 'app-dev-eu' }, false],
  ['StringLike is case-sensitive', c('StringLike', 'kms:RequestAlias', 'alias/App*'), { 'kms:requestalias': 'alias/app1' }, false],
  ['StringLike without wildcards is exact equality', c('StringLike', 'kms:RequestAlias', 'alias/app'), { 'kms:requestalias': 'alias/app2' }, false],
  ['StringLike reads . literally, not as a regex', c('StringLike', 'kms:EncryptionContext:x', 'a.c'), { 'kms:encryptioncontext:x': 'abc' }, false],
  ['StringLike matches a literal . itself', c('StringLike', 'kms:EncryptionContext:x', 'a.c*'), { 'kms:encryptioncontext:x': 'a.cd' }, true],
  ['StringLike reads (x)+ literally', c('StringLike', 'kms:EncryptionContext:x', '(x)+'), { 'kms:encryptioncontext:x': 'xx' }, false],
  ['StringLike reads [ab] literally', c('StringLike', 'kms:EncryptionContext:x', '[ab]*'), { 'kms:encryptioncontext:x': 'a' }, false],
  ['StringLike reads ^ and $ literally', c('StringLike', 'kms:EncryptionContext:x', '^a$'), { 'kms:encryptioncontext:x': 'a' }, false],
  ['StringLike reads a backslash literally', c('StringLike', 'kms:EncryptionContext:x', '\\d*'), { 'kms:encryptioncontext:x': '5' }, false],
  ['StringLike does not expand ${aws:username}', c('StringLike', 'kms:EncryptionContext:path', 'home/${aws:username}/*'), { 'kms:encryptioncontext:path': 'home/alice/x' }, false],
  ['StringLike matches ${aws:username} as literal text', c('StringLike', 'kms:EncryptionContext:path', 'home/${aws:username}/*'), { 'kms:encryptioncontext:path': 'home/${aws:username}/x' }, true],
  ['StringLike with many stars against a long value ends without backtracking blow-up', c('StringLike', 'kms:EncryptionContext:x', '*a*a*a*a*a*a*a*a*a*a*b'), { 'kms:encryptioncontext:x': 'a'.repeat(4000) }, false],
  ['StringLike on a missing key is false', c('StringLike', 'kms:RequestAlias', '*'), {}, false],
  ['StringNotLike on a missing key is true', c('StringNotLike', 'kms:RequestAlias', 'alias/prod-*'), {}, true],
  ['StringNotLike on a present key matching the pattern is false', c('StringNotLike', 'kms:RequestAlias', 'alias/prod-*'), { 'kms:requestalias': 'alias/prod-db' }, false],
  ['StringNotLike on a present key matching no pattern is true', c('StringNotLike', 'kms:RequestAlias', 'alias/prod-*', 'alias/stage-*'), { 'kms:requestalias': 'alias/dev-db' }, true],
  ['StringEqualsIfExists on a present matching key is true', c('StringEqualsIfExists', 'kms:ViaService', 'ec2.us-east-1.amazonaws.com'), { 'kms:viaservice': 'ec2.us-east-1.amazonaws.com' }, true],
  ['StringEqualsIfExists on a present key that does not match is false', c('StringEqualsIfExists', 'kms:ViaService', 'ec2.us-east-1.amazonaws.com'), { 'kms:viaservice': 's3.us-east-1.amazonaws.com' }, false],
  ['StringEqualsIfExists on a missing key is true', c('StringEqualsIfExists', 'kms:ViaService', 'ec2.us-east-1.amazonaws.com'), {}, true],
  ['StringNotLikeIfExists on a present matching key is false', c('StringNotLikeIfExists', 'kms:RequestAlias', 'alias/prod-*'), { 'kms:requestalias': 'alias/prod-1' }, false],
  // Numeric operators
  ['NumericEquals compares numbers, not strings', c('NumericEquals', 'kms:ScheduleKeyDeletionPendingWindowInDays', '10'), { 'kms:schedulekeydeletionpendingwindowindays': '10.0' }, true],
  ['NumericEquals is false for a different number', c('NumericEquals', 'kms:ScheduleKeyDeletionPendingWindowInDays', '10'), { 'kms:schedulekeydeletionpendingwindowindays': '11' }, false],
  ['NumericNotEquals is true for a different number', c('NumericNotEquals', 'kms:RotationPeriodInDays', '365'), { 'kms:rotationperiodindays': '90' }, true],
  ['NumericNotEquals is false for the same number written with a leading zero', c('NumericNotEquals', 'kms:RotationPeriodInDays', '90'), { 'kms:rotationperiodindays': '090' }, false],
  ['NumericNotEquals on a missing key is true', c('NumericNotEquals', 'kms:RotationPeriodInDays', '90'), {}, true],
  ['NumericLessThan is true below the value', c('NumericLessThan', 'kms:RotationPeriodInDays', '180'), { 'kms:rotationperiodindays': '90' }, true],
  ['NumericLessThan is false at the value', c('NumericLessThan', 'kms:RotationPeriodInDays', '180'), { 'kms:rotationperiodindays': '180' }, false],
  ['NumericLessThanEquals is true at the value', c('NumericLessThanEquals', 'kms:RotationPeriodInDays', '180'), { 'kms:rotationperiodindays': '180' }, true],
  ['NumericGreaterThan compares numerically, not lexically', c('NumericGreaterThan', 'kms:ScheduleKeyDeletionPendingWindowInDays', '9'), { 'kms:schedulekeydeletionpendingwindowindays': '10' }, true],
  ['NumericGreaterThanEquals rejects a smaller window', c('NumericGreaterThanEquals', 'kms:ScheduleKeyDeletionPendingWindowInDays', '14'), { 'kms:schedulekeydeletionpendingwindowindays': '7' }, false],
  ['NumericGreaterThanEquals compares decimals', c('NumericGreaterThanEquals', 'kms:EncryptionContext:ratio', '2.50'), { 'kms:encryptioncontext:ratio': '2.5' }, true],
  ['NumericLessThan orders negative numbers', c('NumericLessThan', 'kms:EncryptionContext:n', '-2'), { 'kms:encryptioncontext:n': '-3' }, true],
  ['NumericLessThan on a missing key is false', c('NumericLessThan', 'kms:RotationPeriodInDays', '180'), {}, false],
  ['NumericLessThanIfExists on a missing key is true', c('NumericLessThanIfExists', 'kms:RotationPeriodInDays', '180'), {}, true],
  ['NumericEquals with a non-numeric request value is false', c('NumericEquals', 'kms:EncryptionContext:n', '1'), { 'kms:encryptioncontext:n': 'one' }, false],
  // Date operators
  ['DateGreaterThan on aws:CurrentTime is true after the date', c('DateGreaterThan', 'aws:CurrentTime', '2026-01-01T00:00:00Z'), { 'aws:currenttime': NOW }, true],
  ['DateLessThan on aws:CurrentTime is false after the date', c('DateLessThan', 'aws:CurrentTime', '2026-01-01T00:00:00Z'), { 'aws:currenttime': NOW }, false],
  ['DateLessThanEquals is true at the same instant', c('DateLessThanEquals', 'aws:CurrentTime', NOW), { 'aws:currenttime': NOW }, true],
  ['DateEquals compares instants across UTC offsets', c('DateEquals', 'aws:CurrentTime', '2026-06-15T14:00:00+02:00'), { 'aws:currenttime': NOW }, true],
  ['DateEquals accepts epoch seconds against ISO 8601', c('DateEquals', 'aws:CurrentTime', '1767225600'), { 'aws:currenttime': '2026-01-01T00:00:00Z' }, true],
  ['DateLessThan accepts an epoch-seconds request value', c('DateLessThan', 'aws:EpochTime', '2026-01-01T00:00:00Z'), { 'aws:epochtime': '1767225599' }, true],
  ['a date-only policy value is midnight UTC', c('DateGreaterThanEquals', 'aws:CurrentTime', '2026-06-15'), { 'aws:currenttime': '2026-06-15T00:00:00Z' }, true],
  ['DateLessThan a date-only value is false at that midnight', c('DateLessThan', 'aws:CurrentTime', '2026-06-15'), { 'aws:currenttime': '2026-06-15T00:00:00Z' }, false],
  ['a date-time without an offset is read as UTC', c('DateEquals', 'aws:CurrentTime', '2026-06-15T12:00:00'), { 'aws:currenttime': NOW }, true],
  ['DateGreaterThan sees fractional seconds', c('DateGreaterThan', 'aws:CurrentTime', NOW), { 'aws:currenttime': '2026-06-15T12:00:00.500Z' }, true],
  ['DateNotEquals is true for a different instant', c('DateNotEquals', 'aws:CurrentTime', '2026-01-01T00:00:00Z'), { 'aws:currenttime': NOW }, true],
  ['DateNotEquals on a missing key is true', c('DateNotEquals', 'aws:TokenIssueTime', '2026-01-01T00:00:00Z'), {}, true],
  ['DateGreaterThan on aws:TokenIssueTime is true for a recent token', c('DateGreaterThan', 'aws:TokenIssueTime', '2026-06-15T11:00:00Z'), { 'aws:tokenissuetime': '2026-06-15T11:30:00Z' }, true],
  ['DateGreaterThan on aws:TokenIssueTime is false for an old token', c('DateGreaterThan', 'aws:TokenIssueTime', '2026-06-15T11:00:00Z'), { 'aws:tokenissuetime': '2026-06-14T11:30:00Z' }, false],
  ['DateGreaterThan on aws:TokenIssueTime is false for long-term credentials (no key)', c('DateGreaterThan', 'aws:TokenIssueTime', '2026-06-15T11:00:00Z'), {}, false],
  ['DateGreaterThanIfExists on a missing aws:TokenIssueTime is true', c('DateGreaterThanIfExists', 'aws:TokenIssueTime', '2026-06-15T11:00:00Z'), {}, true],
  ['DateEquals with an unparseable request value is false', c('DateEquals', 'aws:CurrentTime', NOW), { 'aws:currenttime': 'noon' }, false],
  // Bool
  ['Bool aws:SecureTransport true matches an HTTPS request', c('Bool', 'aws:SecureTransport', 'true'), { 'aws:securetransport': 'true' }, true],
  ['Bool aws:SecureTransport false does not match an HTTPS request', c('Bool', 'aws:SecureTransport', 'false'), { 'aws:securetransport': 'true' }, false],
  ['Bool compares true/false case-insensitively', c('Bool', 'aws:SecureTransport', 'TRUE'), { 'aws:securetransport': 'true' }, true],
  ['Bool on a missing key is false', c('Bool', 'aws:SecureTransport', 'false'), {}, false],
  ['BoolIfExists on a missing key is true', c('BoolIfExists', 'aws:MultiFactorAuthPresent', 'false'), {}, true],
  ['BoolIfExists on a present key that differs is false', c('BoolIfExists', 'aws:MultiFactorAuthPresent', 'false'), { 'aws:multifactorauthpresent': 'true' }, false],
  ['Bool kms:GrantIsForAWSResource true matches an AWS service grant', c('Bool', 'kms:GrantIsForAWSResource', 'true'), { 'kms:grantisforawsresource': 'true' }, true],
  ['Bool kms:MultiRegion false matches a single-Region key', c('Bool', 'kms:MultiRegion', 'false'), { 'kms:multiregion': 'false' }, true],
  // Binary
  ['BinaryEquals compares the decoded bytes', c('BinaryEquals', 'kms:EncryptionContext:blob', 'QmluYXJ5VmFsdWU='), { 'kms:encryptioncontext:blob': 'QmluYXJ5VmFsdWU=' }, true],
  ['BinaryEquals is false for different bytes', c('BinaryEquals', 'kms:EncryptionContext:blob', 'QmluYXJ5VmFsdWU='), { 'kms:encryptioncontext:blob': 'T3RoZXI=' }, false],
  // IP address
  ['IpAddress aws:SourceIp inside an IPv4 /24 is true', c('IpAddress', 'aws:SourceIp', '203.0.113.0/24'), { 'aws:sourceip': '203.0.113.9' }, true],
  ['IpAddress aws:SourceIp outside an IPv4 /24 is false', c('IpAddress', 'aws:SourceIp', '203.0.113.0/24'), { 'aws:sourceip': '203.0.114.9' }, false],
  ['IpAddress with a bare IPv4 address is that one host (/32)', c('IpAddress', 'aws:SourceIp', '203.0.113.9'), { 'aws:sourceip': '203.0.113.9' }, true],
  ['IpAddress with a bare IPv4 address excludes its neighbour', c('IpAddress', 'aws:SourceIp', '203.0.113.9'), { 'aws:sourceip': '203.0.113.10' }, false],
  ['IpAddress with a /20 includes the top of the block', c('IpAddress', 'aws:SourceIp', '203.0.112.0/20'), { 'aws:sourceip': '203.0.127.255' }, true],
  ['IpAddress with a /20 excludes the next block', c('IpAddress', 'aws:SourceIp', '203.0.112.0/20'), { 'aws:sourceip': '203.0.128.0' }, false],
  ['IpAddress ignores host bits past the prefix', c('IpAddress', 'aws:SourceIp', '203.0.113.77/24'), { 'aws:sourceip': '203.0.113.5' }, true],
  ['IpAddress 0.0.0.0/0 matches any IPv4 address', c('IpAddress', 'aws:SourceIp', '0.0.0.0/0'), { 'aws:sourceip': '198.51.100.1' }, true],
  ['IpAddress 0.0.0.0/0 does not match an IPv6 address', c('IpAddress', 'aws:SourceIp', '0.0.0.0/0'), { 'aws:sourceip': '2001:db8::1' }, false],
  ['IpAddress aws:SourceIp inside an IPv6 /64 is true', c('IpAddress', 'aws:SourceIp', '2001:db8:1234:5678::/64'), { 'aws:sourceip': '2001:db8:1234:5678:abcd::1' }, true],
  ['IpAddress aws:SourceIp outside an IPv6 /64 is false', c('IpAddress', 'aws:SourceIp', '2001:db8:1234:5678::/64'), { 'aws:sourceip': '2001:db8:1234:5679::1' }, false],
  ['IpAddress matches compressed and expanded IPv6 forms', c('IpAddress', 'aws:SourceIp', '2001:db8::1'), { 'aws:sourceip': '2001:0db8:0000:0000:0000:0000:0000:0001' }, true],
  ['IpAddress reads IPv6 hex case-insensitively', c('IpAddress', 'aws:SourceIp', '2001:DB8::/32'), { 'aws:sourceip': '2001:db8:1::1' }, true],
  ['IpAddress with a bare IPv6 address is that one host (/128)', c('IpAddress', 'aws:SourceIp', '2001:db8::1'), { 'aws:sourceip': '2001:db8::2' }, false],
  ['IpAddress handles an IPv6 block with a dotted IPv4 tail', c('IpAddress', 'aws:SourceIp', '::ffff:192.0.2.0/120'), { 'aws:sourceip': '::ffff:192.0.2.9' }, true],
  ['IpAddress with an IPv4 block does not match an IPv4-mapped IPv6 address', c('IpAddress', 'aws:SourceIp', '192.0.2.0/24'), { 'aws:sourceip': '::ffff:192.0.2.9' }, false],
  ['IpAddress with IPv4 and IPv6 blocks matches either family', c('IpAddress', 'aws:SourceIp', '203.0.113.0/24', '2001:db8::/32'), { 'aws:sourceip': '2001:db8:ffff::1' }, true],
  ['IpAddress on a missing key is false', c('IpAddress', 'aws:SourceIp', '0.0.0.0/0'), {}, false],
  ['IpAddress with an unparseable request address is false', c('IpAddress', 'aws:SourceIp', '0.0.0.0/0'), { 'aws:sourceip': 'localhost' }, false],
  ['NotIpAddress outside every block is true', c('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', '2001:db8::/32'), { 'aws:sourceip': '198.51.100.7' }, true],
  ['NotIpAddress inside one block is false', c('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', '2001:db8::/32'), { 'aws:sourceip': '2001:db8::7' }, false],
  ['NotIpAddress on a missing key is true', c('NotIpAddress', 'aws:SourceIp', '203.0.113.0/24'), {}, true],
  // ARN operators
  ['ArnEquals matches an identical ARN', c('ArnEquals', 'aws:PrincipalArn', ROLE), { 'aws:principalarn': ROLE }, true],
  ['ArnEquals takes wildcards like ArnLike', c('ArnEquals', 'aws:PrincipalArn', `arn:aws:iam::${ACCT}:role/*`), { 'aws:principalarn': ROLE }, true],
  ['ArnLike * in the resource part matches the rest', c('ArnLike', 'aws:PrincipalArn', `arn:aws:iam::${ACCT}:role/*`), { 'aws:principalarn': `arn:aws:iam::${ACCT}:role/team/app` }, true],
  ['ArnLike * in one component matches any account', c('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/app'), { 'aws:principalarn': ROLE }, true],
  ['ArnLike ? matches one character within a component', c('ArnLike', 'aws:SourceArn', `arn:aws:kms:us-east-?:${ACCT}:key/*`), { 'aws:sourcearn': KEY }, true],
  ['ArnLike * does not absorb the colon between components', c('ArnLike', 'aws:SourceArn', 'arn:aws:kms:*:key/*'), { 'aws:sourcearn': KEY }, false],
  ['ArnLike is case-sensitive', c('ArnLike', 'aws:PrincipalArn', `arn:aws:iam::${ACCT}:role/APP`), { 'aws:principalarn': ROLE }, false],
  ['ArnLike keeps colons inside the resource part', c('ArnLike', 'aws:SourceArn', `arn:aws:logs:us-east-1:${ACCT}:log-group:app:*`), { 'aws:sourcearn': `arn:aws:logs:us-east-1:${ACCT}:log-group:app:log-stream:x` }, true],
  ['ArnLike with a request value that is not an ARN is false', c('ArnLike', 'aws:SourceArn', '*:*:*:*:*:*'), { 'aws:sourcearn': 'not-an-arn' }, false],
  ['ArnLike on a missing key is false', c('ArnLike', 'aws:SourceArn', `arn:aws:iam::${ACCT}:role/*`), {}, false],
  ['ArnLikeIfExists on a missing key is true', c('ArnLikeIfExists', 'aws:SourceArn', `arn:aws:iam::${ACCT}:role/*`), {}, true],
  ['ArnNotLike on a missing key is true', c('ArnNotLike', 'aws:SourceArn', `arn:aws:iam::${ACCT}:role/*`), {}, true],
  ['ArnNotLike on a present matching ARN is false', c('ArnNotLike', 'aws:PrincipalArn', `arn:aws:iam::${ACCT}:role/*`), { 'aws:principalarn': ROLE }, false],
  ['ArnNotEquals on a present different ARN is true', c('ArnNotEquals', 'aws:PrincipalArn', `arn:aws:iam::${ACCT}:role/other`), { 'aws:principalarn': ROLE }, true],
  // Null
  ['Null true on a missing key is true', c('Null', 'aws:TokenIssueTime', 'true'), {}, true],
  ['Null true on a present key is false', c('Null', 'aws:TokenIssueTime', 'true'), { 'aws:tokenissuetime': NOW }, false],
  ['Null false on a present key is true', c('Null', 'aws:TokenIssueTime', 'false'), { 'aws:tokenissuetime': NOW }, true],
  ['Null false on a missing key is false', c('Null', 'aws:TokenIssueTime', 'false'), {}, false],
  ['Null true on an empty multivalued set is true', c('Null', 'aws:TagKeys', 'true'), { 'aws:tagkeys': [] }, true],
  ['Null false on an empty string is true (an empty string is a value)', c('Null', 'kms:EncryptionContext:app', 'false'), { 'kms:encryptioncontext:app': '' }, true],
  ['Null reads TRUE case-insensitively', c('Null', 'kms:EncryptionContextKeys', 'TRUE'), {}, true],
  // Set operators on multivalued keys
  ['ForAllValues:StringEquals is true when every request value is in the policy set', c('ForAllValues:StringEquals', 'kms:EncryptionContextKeys', 'tenant', 'app', 'env'), { 'kms:encryptioncontextkeys': ['tenant', 'app'] }, true],
  ['ForAllValues:StringEquals is false when one request value is outside the policy set', c('ForAllValues:StringEquals', 'kms:EncryptionContextKeys', 'tenant', 'app'), { 'kms:encryptioncontextkeys': ['tenant', 'secret'] }, false],
  ['ForAllValues:StringEquals with an empty context set is true', c('ForAllValues:StringEquals', 'kms:EncryptionContextKeys', 'tenant'), { 'kms:encryptioncontextkeys': [] }, true],
  ['ForAllValues:StringEquals on a missing key is true', c('ForAllValues:StringEquals', 'kms:EncryptionContextKeys', 'tenant'), {}, true],
  ['ForAllValues:StringEquals is case-sensitive per value', c('ForAllValues:StringEquals', 'kms:EncryptionContextKeys', 'tenant'), { 'kms:encryptioncontextkeys': ['Tenant'] }, false],
  ['ForAllValues:StringEquals on kms:GrantOperations allows a subset of operations', c('ForAllValues:StringEquals', 'kms:GrantOperations', 'Decrypt', 'Encrypt', 'GenerateDataKey'), { 'kms:grantoperations': ['Decrypt', 'Encrypt'] }, true],
  ['ForAllValues:StringEquals on kms:GrantOperations refuses an extra operation', c('ForAllValues:StringEquals', 'kms:GrantOperations', 'Decrypt', 'Encrypt'), { 'kms:grantoperations': ['Decrypt', 'CreateGrant'] }, false],
  ['ForAllValues:StringEquals applies to a single request value as a set of one', c('ForAllValues:StringEquals', 'kms:EncryptionContextKeys', 'tenant'), { 'kms:encryptioncontextkeys': 'tenant' }, true],
  ['ForAllValues:StringLike on aws:TagKeys matches every key against a pattern', c('ForAllValues:StringLike', 'aws:TagKeys', 'Created*'), { 'aws:tagkeys': ['CreatedBy', 'CreatedAt'] }, true],
  ['ForAllValues:StringNotLike is false when a request value matches the pattern', c('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*'), { 'aws:tagkeys': ['key1:legal'] }, false],
  ['ForAllValues:StringNotLike is true when no request value matches the pattern', c('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*'), { 'aws:tagkeys': ['key2:audit'] }, true],
  ['ForAllValues:StringNotLike on a missing key is true', c('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*'), {}, true],
  ['ForAnyValue:StringEquals is true when one request value is in the policy set', c('ForAnyValue:StringEquals', 'kms:EncryptionContextKeys', 'tenant'), { 'kms:encryptioncontextkeys': ['app', 'tenant'] }, true],
  ['ForAnyValue:StringEquals is false when no request value is in the policy set', c('ForAnyValue:StringEquals', 'kms:EncryptionContextKeys', 'tenant'), { 'kms:encryptioncontextkeys': ['app', 'env'] }, false],
  ['ForAnyValue:StringEquals with an empty context set is false', c('ForAnyValue:StringEquals', 'kms:EncryptionContextKeys', 'tenant'), { 'kms:encryptioncontextkeys': [] }, false],
  ['ForAnyValue:StringEquals on a missing key is false', c('ForAnyValue:StringEquals', 'aws:TagKeys', 'team'), {}, false],
  ['ForAnyValue:StringEqualsIfExists on a missing key is true', c('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'team'), {}, true],
  ['ForAnyValue:StringNotEquals is true when one request value is outside the policy set', c('ForAnyValue:StringNotEquals', 'aws:TagKeys', 'team', 'env'), { 'aws:tagkeys': ['team', 'owner'] }, true],
  ['ForAnyValue:StringNotEquals is false when every request value is in the policy set', c('ForAnyValue:StringNotEquals', 'aws:TagKeys', 'team', 'env'), { 'aws:tagkeys': ['team', 'env'] }, false],
  ['ForAnyValue:StringLike on aws:TagKeys matches one key', c('ForAnyValue:StringLike', 'aws:TagKeys', 'Team*'), { 'aws:tagkeys': ['Owner', 'TeamName'] }, true],
  ['ForAnyValue:StringEqualsIgnoreCase on aws:TagKeys ignores case', c('ForAnyValue:StringEqualsIgnoreCase', 'aws:TagKeys', 'team'), { 'aws:tagkeys': ['TEAM'] }, true],
  // A multivalued request value without a set operator
  ['StringEquals against a list holds if any element matches', c('StringEquals', 'aws:TagKeys', 'team'), { 'aws:tagkeys': ['owner', 'team'] }, true],
  ['StringEquals against a list is false if no element matches', c('StringEquals', 'aws:TagKeys', 'team'), { 'aws:tagkeys': ['owner', 'env'] }, false],
  ['StringNotEquals against a list is false if any element matches', c('StringNotEquals', 'aws:TagKeys', 'team'), { 'aws:tagkeys': ['owner', 'team'] }, false],
  ['StringNotEquals against a list is true if no element matches', c('StringNotEquals', 'aws:TagKeys', 'team'), { 'aws:tagkeys': ['owner', 'env'] }, true],
  // KMS condition keys with their operators, and AND across clauses
  ['kms:EncryptionContext:<key> StringEquals matches that pair', c('StringEquals', 'kms:EncryptionContext:Department', 'IT'), { 'kms:encryptioncontext:department': 'IT' }, true],
  ['kms:EncryptionAlgorithm StringEquals matches SYMMETRIC_DEFAULT', c('StringEquals', 'kms:EncryptionAlgorithm', 'SYMMETRIC_DEFAULT'), { 'kms:encryptionalgorithm': 'SYMMETRIC_DEFAULT' }, true],
  ['kms:EncryptionAlgorithm StringNotEquals refuses the listed algorithm', c('StringNotEquals', 'kms:EncryptionAlgorithm', 'RSAES_OAEP_SHA_1'), { 'kms:encryptionalgorithm': 'RSAES_OAEP_SHA_1' }, false],
  ['kms:ViaService StringLike matches any Region of a service', c('StringLike', 'kms:ViaService', 'ec2.*.amazonaws.com'), { 'kms:viaservice': 'ec2.eu-west-1.amazonaws.com' }, true],
  ['kms:CallerAccount StringEquals refuses another account', c('StringEquals', 'kms:CallerAccount', ACCT), { 'kms:calleraccount': '444455556666' }, false],
  ['kms:RequestAlias StringLike matches an alias prefix', c('StringLike', 'kms:RequestAlias', 'alias/prod-*'), { 'kms:requestalias': 'alias/prod-payments' }, true],
  ['all clauses must hold: every one true is true', [c('StringEquals', 'kms:CallerAccount', ACCT), c('StringEquals', 'kms:ViaService', 'ec2.us-east-1.amazonaws.com')], { 'kms:calleraccount': ACCT, 'kms:viaservice': 'ec2.us-east-1.amazonaws.com' }, true],
  ['all clauses must hold: one false is false', [c('StringEquals', 'kms:CallerAccount', ACCT), c('StringEquals', 'kms:EncryptionContext:tenant', 'acme')], { 'kms:calleraccount': ACCT }, false],
  ['no clauses hold vacuously', [], {}, true],
];
for (const [name, clauses, context, expected] of evaluateCases) {
  test(name, () => assert.equal(evaluateConditions(Array.isArray(clauses) ? clauses : [clauses], new Map(Object.entries(context))), expected));
}

test('an operator that was never validated throws instead of deciding', () => {
  assert.throws(() => evaluateConditions([c('StringEqual', 'k', 'v')], new Map()), (e: unknown) => e instanceof Error && !(e instanceof KmsError));
});

const rejectCases: [name: string, clause: ConditionClause][] = [
  ['Numeric* rejects a word', c('NumericEquals', 'k', 'ten')],
  ['Numeric* rejects an exponent', c('NumericLessThan', 'k', '1e3')],
  ['Numeric* rejects an empty value', c('NumericGreaterThan', 'k', '')],
  ['Numeric* rejects hex', c('NumericEquals', 'k', '0x10')],
  ['Numeric* rejects one bad value among good ones', c('ForAnyValue:NumericEquals', 'k', '1', '2', 'three')],
  ['Date* rejects a word', c('DateLessThan', 'aws:CurrentTime', 'yesterday')],
  ['Date* rejects month 13', c('DateEquals', 'aws:CurrentTime', '2026-13-01')],
  ['Date* rejects February 30', c('DateEquals', 'aws:CurrentTime', '2026-02-30')],
  ['Date* rejects hour 25', c('DateGreaterThan', 'aws:CurrentTime', '2026-01-01T25:00:00Z')],
  ['Date* rejects a non-ISO date that Date.parse would accept', c('DateLessThan', 'aws:CurrentTime', 'March 7, 2026')],
  ['Date* rejects a bad value under ForAllValues', c('ForAllValues:DateEquals', 'aws:CurrentTime', '2026/01/01')],
  ['Bool rejects yes', c('Bool', 'aws:SecureTransport', 'yes')],
  ['Bool rejects 1', c('BoolIfExists', 'aws:SecureTransport', '1')],
  ['Null rejects a value other than true or false', c('Null', 'aws:TokenIssueTime', 'maybe')],
  ['IpAddress rejects an IPv4 prefix over 32', c('IpAddress', 'aws:SourceIp', '203.0.113.0/33')],
  ['IpAddress rejects an IPv6 prefix over 128', c('IpAddress', 'aws:SourceIp', '2001:db8::/129')],
  ['IpAddress rejects a truncated IPv4 address', c('IpAddress', 'aws:SourceIp', '203.0.113/24')],
  ['IpAddress rejects an octet over 255', c('IpAddress', 'aws:SourceIp', '256.0.0.1')],
  ['IpAddress rejects a host name', c('IpAddress', 'aws:SourceIp', 'example.com')],
  ['IpAddress rejects an IPv6 zone id', c('IpAddress', 'aws:SourceIp', 'fe80::1%eth0')],
  ['IpAddress rejects a malformed IPv6 address', c('IpAddress', 'aws:SourceIp', '2001:db8:::1')],
  ['IpAddress rejects an empty prefix', c('IpAddress', 'aws:SourceIp', '203.0.113.0/')],
  ['NotIpAddressIfExists rejects an invalid block too', c('NotIpAddressIfExists', 'aws:SourceIp', '10.0.0.0/-1')],
  ['BinaryEquals rejects a value that is not base64', c('BinaryEquals', 'k', 'not base64!')],
  ['an unknown operator is rejected', c('StringEqual', 'k', 'v')],
  ['an operator in the wrong case is rejected', c('stringequals', 'k', 'v')],
  ['NullIfExists is rejected', c('NullIfExists', 'k', 'true')],
];
for (const [name, clause] of rejectCases) {
  test(`checkClauseValues: ${name}`, () => assert.throws(() => checkClauseValues(clause), (e: unknown) => e instanceof KmsError && e.type === 'MalformedPolicyDocumentException'));
}

const acceptCases: [name: string, clause: ConditionClause][] = [
  ['Numeric* accepts signed integers and decimals', c('NumericEquals', 'k', '-1.5', '+3', '.5', '42')],
  ['Date* accepts ISO 8601 dates, date-times with offsets, and epoch seconds', c('DateLessThan', 'aws:CurrentTime', '2026-01-01', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.123+05:30', '1767225600')],
  ['Bool accepts True in any case', c('Bool', 'aws:SecureTransport', 'True', 'false')],
  ['IpAddress accepts IPv4 and IPv6 blocks and bare addresses', c('IpAddress', 'aws:SourceIp', '203.0.113.0/24', '2001:DB8::/32', '10.0.0.1', '::ffff:192.0.2.0/120', '::/0')],
  ['String* accepts any text, policy variables included', c('StringLike', 'k', '${aws:username}', '', '*?')],
  ['Arn* accepts any text', c('ArnLike', 'k', 'arn:aws:iam::*:role/*')],
  ['Null accepts false', c('Null', 'k', 'false')],
];
for (const [name, clause] of acceptCases) {
  test(`checkClauseValues: ${name}`, () => assert.doesNotThrow(() => checkClauseValues(clause)));
}

test('checkClauseValues: the message quotes only the offending value, shortened', () => {
  const long = 'x'.repeat(500);
  assert.throws(() => checkClauseValues(c('NumericEquals', 'kms:EncryptionContext:secretname', '1', long)), (e: unknown) => {
    assert.ok(e instanceof KmsError);
    assert.ok(!e.message.includes('secretname'));
    assert.ok(e.message.length < 150, e.message);
    return true;
  });
});

const knownCases: [operator: string, known: boolean][] = [
  ['StringEquals', true], ['StringNotEqualsIgnoreCase', true], ['StringLikeIfExists', true], ['NumericGreaterThanEqualsIfExists', true],
  ['DateLessThanEquals', true], ['Bool', true], ['BinaryEquals', true], ['IpAddress', true], ['NotIpAddressIfExists', true],
  ['ArnEquals', true], ['ForAnyValue:StringLike', true], ['ForAllValues:ArnNotLikeIfExists', true], ['Null', true],
  ['stringequals', false], ['StringEquals ', false], ['NullIfExists', false], ['ForAnyValues:StringEquals', false],
  ['forallvalues:StringEquals', false], ['StringLikeIfexists', false], ['BinaryNotEquals', false], ['IfExists', false], ['', false],
  ['ForAnyValue:ForAllValues:StringEquals', false], ['StringEqualsIfExistsIfExists', false], ['toString', false],
];
for (const [operator, known] of knownCases) {
  test(`isKnownOperator: ${JSON.stringify(operator)} is ${known ? 'known' : 'unknown'} (names are case-sensitive)`, () => assert.equal(isKnownOperator(operator), known));
}
