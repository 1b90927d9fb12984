// POST / signed for the service `keyhold`, with X-Amz-Target: KeyholdAudit.<Action>: reading the
// audit trail, in AWS JSON 1.1 like the administrator API beside it. The administrator may call it
// and reads every event; any other principal needs keyhold:<Action> from its identity policies
// (account roots have it) and reads only its own account's events (audit/lookup.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditApiActions, isAuditApiActionName } from '../audit/audit-api.js';
import type { AuditTrail } from '../audit/trail.js';
import type { Principal } from '../auth/principal.js';
import { KmsError, fail } from '../core/errors.js';
import { authorizeIdentity } from '../service/authorize.js';
import { claimedAccessKeyId, userAgentOf, verifiedFor } from './audit-request.js';
import { recordAndAnswer } from './answer-json.js';
import { parseJsonBody, requireJsonContentType } from './json-body.js';
import { requestOrigin, type KmsEndpointDeps } from './kms-endpoint.js';
import { internalError } from './render.js';

const TARGET_PREFIX = 'KeyholdAudit.';
const SERVICE = 'keyhold';

export interface AuditEndpointDeps extends KmsEndpointDeps {
  readonly trail: Pick<AuditTrail, 'lookup'>;
}

/** Whether a request signed for `keyhold` is for this endpoint rather than the administrator API. */
export const isAuditRequest = (req: IncomingMessage): boolean => {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(TARGET_PREFIX);
};

/** Handles one audit API request whose body has been read. Never throws. */
export async function handleAuditRequest(deps: AuditEndpointDeps, req: IncomingMessage, res: ServerResponse, body: Buffer, requestId: string): Promise<void> {
  const started = process.hrtime.bigint();
  const clock = deps.service.deps.clock;
  const at = clock.now();
  const target = req.headers['x-amz-target'];
  const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const known = isAuditApiActionName(name) ? name : undefined;
  const label = `audit:${known ?? 'unknown'}`;
  const origin = requestOrigin(req);
  let accessKeyId = claimedAccessKeyId(req);
  let principal: Principal | undefined;
  let input: unknown;
  let result: unknown;
  let error: KmsError | undefined;
  try {
    if (known === undefined) fail('UnknownOperationException', 'The X-Amz-Target header does not name a KeyholdAudit operation.');
    requireJsonContentType(req);
    deps.freshness.check();
    const signature = await verifiedFor(deps, req, body, SERVICE);
    accessKeyId = signature.accessKeyId;
    principal = await deps.identities.authenticate(signature.accessKeyId, signature.sessionToken, clock.now());
    /* Precondition: a principal other than the administrator reads the trail only if its identity
     * allows keyhold:<Action>, as IAM decides for any action without a resource policy. */
    if (!principal.isAdmin) authorizeIdentity(principal, `keyhold:${known}`, '*', clock.now(), origin);
    input = parseJsonBody(body);
    result = await auditApiActions[known].run({ input, principal, trail: deps.trail });
  } catch (err) {
    error = err instanceof KmsError ? err : internalError(requestId);
    if (!(err instanceof KmsError)) deps.logger.error({ reqId: requestId, operation: label, err }, 'internal error');
  }
  // The events a lookup returns are in the trail already: copying them into its own event would
  // only grow the trail with every lookup, so its event keeps the request and no response.
  await recordAndAnswer(deps, res, {
    label, started, result,
    facts: {
      service: 'keyhold', eventName: known ?? 'UnknownOperation', requestId, at, region: deps.service.deps.region,
      sourceIp: origin.sourceIp, userAgent: userAgentOf(req), principal, accessKeyId,
      request: input, response: undefined, error: error && { code: error.type, message: error.message }, keys: [],
    },
  }, error);
}
