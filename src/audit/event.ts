// One audit event per request, in CloudTrail's record shape (eventVersion 1.08), so tools that read
// CloudTrail read keyhold's trail. Built from what the endpoint knows after the request ran.
// Security contract: no field carries a secret — requestParameters and responseElements pass through
// redact.ts, and the identity carries ids and ARNs only.

export interface AuditIdentity {
  readonly type: 'Root' | 'IAMUser' | 'AssumedRole' | 'Unknown';
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly userName?: string;
  readonly sessionContext?: {
    readonly sessionIssuer: { readonly type: 'Role'; readonly principalId: string; readonly arn: string; readonly accountId: string; readonly userName: string };
    readonly attributes: { readonly creationDate: string; readonly mfaAuthenticated: 'false' };
  };
}

export interface AuditResource {
  readonly accountId: string;
  readonly type: 'AWS::KMS::Key';
  readonly ARN: string;
}

export interface AuditEvent {
  readonly eventVersion: '1.08';
  readonly userIdentity: AuditIdentity;
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestParameters: Readonly<Record<string, unknown>> | null;
  readonly responseElements: Readonly<Record<string, unknown>> | null;
  readonly requestID: string;
  readonly eventID: string;
  readonly readOnly: boolean;
  readonly resources?: readonly AuditResource[];
  readonly eventType: 'AwsApiCall';
  readonly managementEvent: boolean;
  /** The account whose trail holds the event: the key owner's when a key was used, else the caller's. */
  readonly recipientAccountId: string;
  /** The caller's account when it differs from the key owner's (cross-account use). */
  readonly sharedEventID?: string;
}

/** CloudTrail's eventTime: UTC to the second. */
export const eventTime = (at: Date): string => `${at.toISOString().slice(0, 19)}Z`;

/** The columns lookups filter on, derived from the event; verify.ts checks they agree with it. */
export interface EventIndex {
  readonly eventTime: number;
  readonly eventName: string;
  readonly eventSource: string;
  readonly callerAccount: string | null;
  readonly keyAccount: string | null;
  readonly principalArn: string | null;
  readonly errorCode: string | null;
  readonly requestId: string;
  readonly keyArns: readonly string[];
}

export function indexOf(event: AuditEvent): EventIndex {
  return {
    eventTime: Date.parse(event.eventTime),
    eventName: event.eventName,
    eventSource: event.eventSource,
    callerAccount: event.userIdentity.accountId ?? null,
    keyAccount: event.resources?.[0]?.accountId ?? null,
    principalArn: event.userIdentity.arn ?? null,
    errorCode: event.errorCode ?? null,
    requestId: event.requestID,
    keyArns: (event.resources ?? []).map((r) => r.ARN),
  };
}
