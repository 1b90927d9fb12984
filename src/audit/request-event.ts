// Builds the audit event of one request from what its endpoint saw: the caller (if authenticated),
// the operation, the keys it touched, and how it ended.
import type { Principal } from '../auth/principal.js';
import { eventTime, type AuditEvent, type AuditIdentity, type AuditResource } from './event.js';
import { newEventId } from './audit-sink.js';
import { redact } from './redact.js';

export type AuditedService = 'kms' | 'iam' | 'sts' | 'keyhold';

export interface RequestFacts {
  readonly service: AuditedService;
  readonly eventName: string;
  readonly requestId: string;
  readonly at: Date;
  readonly region: string;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
  readonly principal: Principal | undefined;
  /** The access key id the request was signed with, when it could be read (even if refused). */
  readonly accessKeyId: string | undefined;
  readonly request: unknown;
  readonly response: unknown;
  readonly error: { readonly code: string; readonly message: string } | undefined;
  /** The KMS keys the request resolved, first the one it named. */
  readonly keys: readonly { readonly arn: string; readonly accountId: string }[];
}

const SOURCES: Record<AuditedService, string> = {
  kms: 'kms.amazonaws.com', iam: 'iam.amazonaws.com', sts: 'sts.amazonaws.com', keyhold: 'keyhold.amazonaws.com',
};
/** KMS operations CloudTrail marks readOnly besides Describe*, Get* and List*: they change no resource. */
const READ_ONLY_KMS = new Set([
  'Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateRandom', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
]);
const MAX_USER_AGENT = 1024;

export function requestEvent(facts: RequestFacts): AuditEvent {
  const identity = identityOf(facts.principal, facts.accessKeyId);
  const resources: AuditResource[] = facts.keys.map((k) => ({ accountId: k.accountId, type: 'AWS::KMS::Key', ARN: k.arn }));
  const eventID = newEventId();
  const keyOwner = resources[0]?.accountId;
  const recipient = keyOwner ?? identity.accountId ?? '';
  return {
    eventVersion: '1.08',
    userIdentity: identity,
    eventTime: eventTime(facts.at),
    eventSource: SOURCES[facts.service],
    eventName: facts.eventName,
    awsRegion: facts.region,
    sourceIPAddress: facts.sourceIp,
    userAgent: (facts.userAgent ?? '').slice(0, MAX_USER_AGENT),
    ...(facts.error && { errorCode: facts.error.code, errorMessage: facts.error.message }),
    requestParameters: redact(facts.request),
    responseElements: facts.error ? null : redact(facts.response),
    requestID: facts.requestId,
    eventID,
    readOnly: /^(Describe|Get|List|Lookup)/.test(facts.eventName) || (facts.service === 'kms' && READ_ONLY_KMS.has(facts.eventName)),
    ...(resources.length > 0 && { resources }),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: recipient,
    ...(keyOwner !== undefined && identity.accountId !== undefined && keyOwner !== identity.accountId && { sharedEventID: eventID }),
  };
}

function identityOf(principal: Principal | undefined, accessKeyId: string | undefined): AuditIdentity {
  if (!principal) return { type: 'Unknown', ...(accessKeyId !== undefined && { accessKeyId }) };
  const base = { principalId: principal.userId, arn: principal.arn, accountId: principal.accountId, accessKeyId: principal.accessKeyId };
  if (principal.type === 'Root') return { type: 'Root', ...base };
  if (principal.type === 'IAMUser') return { type: 'IAMUser', ...base, userName: principal.arn.split('/').at(-1) ?? '' };
  const roleArn = principal.roleArn ?? '';
  return {
    type: 'AssumedRole',
    ...base,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: principal.userId.split(':')[0] ?? '', arn: roleArn, accountId: principal.accountId, userName: roleArn.split('/').at(-1) ?? '' },
      attributes: { creationDate: principal.tokenIssuedAt ? eventTime(principal.tokenIssuedAt) : '', mfaAuthenticated: 'false' },
    },
  };
}
