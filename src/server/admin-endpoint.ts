// POST / signed for the service `keyhold`, with X-Amz-Target: KeyholdAdmin.<Action>: keyhold's own
// administrator API (accounts, integrated services). It speaks AWS JSON 1.1 so that it is signed,
// verified and rendered exactly like KMS; only the keyhold administrator's access key may call it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminDeps } from '../admin/action.js';
import { adminActions, isAdminActionName } from '../admin/index.js';
import { KmsError, fail, needs } from '../core/errors.js';
import { parseJsonBody, requireJsonContentType } from './json-body.js';
import type { KmsEndpointDeps } from './kms-endpoint.js';
import { requestOrigin } from './kms-endpoint.js';
import { claimedAccessKeyId, userAgentOf, verifiedFor } from './audit-request.js';
import { recordAndAnswer } from './answer-json.js';
import type { Principal } from '../auth/principal.js';
import { internalError } from './render.js';

const TARGET_PREFIX = 'KeyholdAdmin.';
const SERVICE = 'keyhold';

/** Handles one administrator request whose body has been read. Never throws. */
export async function handleAdminRequest(deps: KmsEndpointDeps, admin: AdminDeps, req: IncomingMessage, res: ServerResponse, body: Buffer, requestId: string): Promise<void> {
  const started = process.hrtime.bigint();
  const at = admin.clock.now();
  const target = req.headers['x-amz-target'];
  const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const known = name !== undefined && isAdminActionName(name) ? name : undefined;
  const label = `admin:${known ?? 'unknown'}`;
  let accessKeyId = claimedAccessKeyId(req);
  let principal: Principal | undefined;
  let input: unknown;
  let result: unknown;
  let error: KmsError | undefined;
  try {
    if (name === undefined || !isAdminActionName(name)) fail('UnknownOperationException', 'The X-Amz-Target header does not name a KeyholdAdmin operation.');
    requireJsonContentType(req);
    deps.freshness.check();
    const signature = await verifiedFor(deps, req, body, SERVICE);
    accessKeyId = signature.accessKeyId;
    principal = await deps.identities.authenticate(signature.accessKeyId, signature.sessionToken, admin.clock.now());
    /* Precondition: only the keyhold administrator manages accounts and services; every other
     * principal, an account root included, is refused before its input is even parsed. */
    needs(principal.isAdmin, 'AccessDeniedException', `User: ${principal.arn} is not authorized to perform: keyhold:${name} because only the keyhold administrator may manage accounts and services`);
    input = parseJsonBody(body);
    result = await adminActions[name].run({ input, principal, deps: admin });
  } catch (err) {
    error = err instanceof KmsError ? err : internalError(requestId);
    if (!(err instanceof KmsError)) deps.logger.error({ reqId: requestId, operation: label, err }, 'internal error');
  }
  // CreateAccount's and RegisterService's responses hold secrets: redact() drops them from the event.
  await recordAndAnswer(deps, res, {
    label, started, result,
    facts: {
      service: 'keyhold', eventName: known ?? 'UnknownOperation', requestId, at, region: deps.service.deps.region,
      sourceIp: requestOrigin(req).sourceIp, userAgent: userAgentOf(req), principal, accessKeyId,
      request: input, response: result, error: error && { code: error.type, message: error.message }, keys: [],
    },
  }, error);
}
