// The audit API's actions (X-Amz-Target KeyholdAudit.<name>), in one exhaustive table. The
// endpoint (server/audit-endpoint.ts) has authenticated and authorised the caller.
import type { Principal } from '../auth/principal.js';
import { decodeLookupInput, encodeNextToken } from './lookup-input.js';
import type { LookupScope } from './lookup.js';
import type { AuditTrail } from './trail.js';

export interface AuditApiCall {
  /** The request body as parsed JSON, not yet validated. */
  readonly input: unknown;
  readonly principal: Principal;
  readonly trail: Pick<AuditTrail, 'lookup'>;
}

export interface AuditApiAction {
  run(call: AuditApiCall): Promise<object>;
}

/** LookupEvents {KeyId?, PrincipalArn?, AccountId?, EventName?, ErrorCode?, StartTime?, EndTime?,
 *  RequestId?, MaxResults?, NextToken?} → {Events: CloudTrail records, newest first, NextToken?}.
 *  The administrator sees every event; anyone else, its own account's (lookup.ts). */
const LookupEvents: AuditApiAction = {
  async run({ input, principal, trail }) {
    const { filter, page } = decodeLookupInput(input);
    const scope: LookupScope = principal.isAdmin ? { everything: true } : { account: principal.accountId };
    const found = await trail.lookup(filter, scope, page);
    return {
      Events: found.records.map((record) => JSON.parse(record) as unknown),
      ...(found.nextBeforeSeq !== undefined && { NextToken: encodeNextToken(found.nextBeforeSeq) }),
    };
  },
};

export type AuditApiActionName = 'LookupEvents';

export const auditApiActions = { LookupEvents } as const satisfies Record<AuditApiActionName, AuditApiAction>;

export const isAuditApiActionName = (name: string): name is AuditApiActionName => Object.hasOwn(auditApiActions, name);
