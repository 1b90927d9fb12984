// Decodes LookupEvents' request body into a filter and a page, and makes its page tokens. Wrong
// JSON types are SerializationException; broken constraints, bad tokens and a reversed time range
// are ValidationException (400), as the admin API decodes its bodies (admin/input.ts).
import { fail } from '../core/errors.js';
import { parseKmsArn } from '../core/keys.js';
import { decodeAdminInput, integerField, stringField, type Field } from '../admin/input.js';
import type { EventFilter, PageRequest } from './lookup.js';

/** CloudTrail's LookupEvents answers 50 events a page unless asked otherwise. */
export const DEFAULT_MAX_RESULTS = 50;
export const MAX_MAX_RESULTS = 1000;

const pattern = (regex: RegExp, shown: string): { regex: RegExp; says: string } => ({ regex, says: `Member must satisfy regular expression pattern: ${shown}` });

const FIELDS = {
  KeyId: stringField(false, { min: 1, max: 2048 }),
  PrincipalArn: stringField(false, { min: 1, max: 2048, pattern: pattern(/^arn:[^\p{C}]+$/u, 'arn:.+') }),
  AccountId: stringField(false, { min: 12, max: 12, pattern: pattern(/^\d{12}$/, '^[0-9]{12}$') }),
  EventName: stringField(false, { min: 1, max: 128, pattern: pattern(/^[A-Za-z0-9]+$/, '^[A-Za-z0-9]+$') }),
  ErrorCode: stringField(false, { min: 1, max: 128, pattern: pattern(/^[A-Za-z0-9._-]+$/, '^[A-Za-z0-9._-]+$') }),
  RequestId: stringField(false, { min: 1, max: 128, pattern: pattern(/^[A-Za-z0-9-]+$/, '^[A-Za-z0-9-]+$') }),
  StartTime: timestampField(),
  EndTime: timestampField(),
  MaxResults: integerField(false, { min: 1, max: MAX_MAX_RESULTS }),
  NextToken: stringField(false, { min: 1, max: 64 }),
};

export function decodeLookupInput(input: unknown): { filter: EventFilter; page: PageRequest } {
  const fields = decodeAdminInput(input, FIELDS);
  const { StartTime, EndTime } = fields;
  /* Precondition: the time range is not reversed (CloudTrail's InvalidTimeRangeException). */
  if (StartTime !== undefined && EndTime !== undefined && StartTime > EndTime) fail('ValidationException', 'StartTime must not be later than EndTime.');
  const filter: EventFilter = {
    ...(fields.KeyId !== undefined && { key: keyOf(fields.KeyId) }),
    ...(fields.PrincipalArn !== undefined && { principalArn: fields.PrincipalArn }),
    ...(fields.AccountId !== undefined && { accountId: fields.AccountId }),
    ...(fields.EventName !== undefined && { eventName: fields.EventName }),
    ...(fields.ErrorCode !== undefined && { errorCode: fields.ErrorCode }),
    ...(fields.RequestId !== undefined && { requestId: fields.RequestId }),
    ...(StartTime !== undefined && { startTime: StartTime }),
    ...(EndTime !== undefined && { endTime: EndTime }),
  };
  return { filter, page: { maxResults: fields.MaxResults ?? DEFAULT_MAX_RESULTS, beforeSeq: fields.NextToken === undefined ? undefined : decodeNextToken(fields.NextToken) } };
}

/** Events name keys by ARN; a bare key id matches the key of that id in any account. Aliases are
 *  refused rather than resolved: an alias may have pointed at other keys when the events happened. */
function keyOf(keyId: string): { arn: string } | { id: string } {
  if (keyId.startsWith('arn:')) {
    const arn = parseKmsArn(keyId);
    if (arn?.resource.startsWith('key/')) return { arn: keyId };
  } else if (/^[A-Za-z0-9-]{1,128}$/.test(keyId)) {
    return { id: keyId };
  }
  fail('ValidationException', 'KeyId must be a key id or a key ARN; the trail names keys, so aliases cannot be used here.');
}

/** AWS JSON timestamps are epoch seconds; kept here as epoch milliseconds, the trail's unit. */
function timestampField(): Field<number, false> {
  return {
    required: false,
    decode(value, at, bad) {
      if (typeof value !== 'number') fail('SerializationException', `Expected a timestamp (epoch seconds) at '${at}'`);
      const ms = value * 1000;
      if (Number.isNaN(new Date(ms).getTime())) bad('Member must be a time between the years -271821 and 275760');
      return ms;
    },
  };
}

/** The token names where the next page starts (a seq); opaque to callers, and not a capability:
 *  whatever seq a token names, the caller's scope still decides what it sees. */
export const encodeNextToken = (beforeSeq: number): string => Buffer.from(String(beforeSeq), 'utf8').toString('base64url');

function decodeNextToken(token: string): number {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const seq = /^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : NaN;
  /* Precondition: the token is one LookupEvents made (its exact encoding, a seq it could return). */
  if (!Number.isSafeInteger(seq) || encodeNextToken(seq) !== token) {
    fail('ValidationException', 'NextToken is not a token LookupEvents returned: pass the previous response\'s NextToken unchanged.');
  }
  return seq;
}
