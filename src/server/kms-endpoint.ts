// POST / with X-Amz-Target: TrentService.<Operation>: authenticate, parse, run, render.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Identities } from '../auth/identities.js';
import type { IntegratedServices } from '../auth/integrated-services.js';
import type { Origin } from '../auth/request-context.js';
import type { SigV4Verifier } from '../auth/sigv4.js';
import { KmsError, fail } from '../core/errors.js';
import { KmsService } from '../service/service.js';
import type { StoreFreshness } from '../store/freshness.js';
import { parseJsonBody, requireJsonContentType } from './json-body.js';
import type { Metrics } from './metrics.js';
import { internalError } from './render.js';
import { viaServiceOf } from './via-service.js';
import { claimedAccessKeyId, userAgentOf, verifiedFor } from './audit-request.js';
import { recordAndAnswer } from './answer-json.js';
import type { AuditSink } from '../audit/audit-sink.js';
import type { Principal } from '../auth/principal.js';

const TARGET_PREFIX = 'TrentService.';

export interface KmsEndpointDeps {
  readonly service: KmsService;
  readonly verifier: SigV4Verifier;
  readonly identities: Identities;
  /** The integrated services a request may come through (kms:ViaService). */
  readonly services: IntegratedServices;
  /** Checked once per request: every cache the request reads is then current. */
  readonly freshness: StoreFreshness;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Where every request is recorded before it is answered. */
  readonly audit: AuditSink;
}

/** Handles one KMS API request whose body has been read. Never throws. */
export async function handleKmsRequest(deps: KmsEndpointDeps, req: IncomingMessage, res: ServerResponse, body: Buffer, requestId: string): Promise<void> {
  const started = process.hrtime.bigint();
  const at = deps.service.deps.clock.now();
  const target = req.headers['x-amz-target'];
  const operation = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const opLabel = operation !== undefined && KmsService.isOperation(operation) ? operation : 'unknown';
  let accessKeyId = claimedAccessKeyId(req);
  let principal: Principal | undefined;
  let input: unknown;
  let result: unknown;
  let error: KmsError | undefined;
  const keysUsed: { arn: string; accountId: string }[] = [];
  const afterRecorded: (() => void)[] = [];
  const origin = requestOrigin(req);
  try {
    if (operation === undefined || !KmsService.isOperation(operation)) {
      fail('UnknownOperationException', 'The X-Amz-Target header does not name a TrentService operation.');
    }
    requireJsonContentType(req);
    deps.freshness.check();
    const signature = await verifiedFor(deps, req, body, 'kms');
    accessKeyId = signature.accessKeyId;
    principal = await deps.identities.authenticate(signature.accessKeyId, signature.sessionToken, deps.service.deps.clock.now());
    const viaService = await viaServiceOf(deps.services, req.headers, signature.signedHeaders, deps.service.deps.region);
    input = parseJsonBody(body);
    result = await deps.service.execute(operation, input, { requestId, principal, origin: { ...origin, viaService }, keysUsed, afterRecorded });
  } catch (err) {
    error = err instanceof KmsError ? err : internalError(requestId);
    if (!(err instanceof KmsError)) deps.logger.error({ reqId: requestId, operation: opLabel, err }, 'internal error');
  }
  const created = createdKeyOf(result);
  await recordAndAnswer(deps, res, {
    label: opLabel, started, result, afterRecorded,
    facts: {
      service: 'kms', eventName: operation !== undefined && KmsService.isOperation(operation) ? operation : 'UnknownOperation', requestId, at,
      region: deps.service.deps.region, sourceIp: origin.sourceIp, userAgent: userAgentOf(req), principal, accessKeyId,
      request: input, response: result, error: error && { code: error.type, message: error.message }, keys: created ? [created] : keysUsed,
    },
  }, error);
}

/** CreateKey names no key in its request: its event names the key it created. */
function createdKeyOf(result: unknown): { arn: string; accountId: string } | undefined {
  const metadata = (result as { KeyMetadata?: { Arn?: string; AWSAccountId?: string } } | undefined)?.KeyMetadata;
  return metadata?.Arn !== undefined && metadata.AWSAccountId !== undefined ? { arn: metadata.Arn, accountId: metadata.AWSAccountId } : undefined;
}

/** The caller's address (IPv4-mapped IPv6 shown as IPv4, as AWS reports it) and whether TLS carried the request. */
export function requestOrigin(req: IncomingMessage): Origin {
  const address = req.socket.remoteAddress ?? '';
  return { sourceIp: address.startsWith('::ffff:') ? address.slice(7) : address, secureTransport: 'encrypted' in req.socket && req.socket.encrypted === true };
}
