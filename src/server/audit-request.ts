// Every request the endpoints answer is recorded first: the event is durable before the response
// leaves, and a request whose event cannot be written gets an error instead of its result (fail
// closed: nothing is handed out unrecorded).
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { AuditWriteError, type AuditSink } from '../audit/audit-sink.js';
import { requestEvent, type RequestFacts } from '../audit/request-event.js';
import { KmsError, fail } from '../core/errors.js';
import type { SigV4Verifier, VerifiedSignature } from '../auth/sigv4.js';

export interface AuditDeps {
  readonly audit: AuditSink;
  readonly logger: Logger;
}

/** Records the request; undefined when recorded, otherwise the error the caller gets instead of
 *  its result (the cause is logged). */
export async function recorded(deps: AuditDeps, facts: RequestFacts): Promise<KmsError | undefined> {
  try {
    await deps.audit.record(requestEvent(facts));
    return undefined;
  } catch (err) {
    deps.logger.error({ reqId: facts.requestId, operation: facts.eventName, err }, 'audit trail write failed: the request is refused');
    return auditFailure(facts.requestId, err instanceof AuditWriteError && err.unavailable);
  }
}

/** What the caller gets when its request could not be recorded: retryable either way, 503 when the
 *  trail's database was out of reach. */
const auditFailure = (requestId: string, unavailable: boolean): KmsError =>
  new KmsError(unavailable ? 'DependencyTimeoutException' : 'KMSInternalException', `keyhold could not record this request in its audit trail, so it withheld the result; retry later. Request ID: ${requestId}`);

export const userAgentOf = (req: IncomingMessage): string | undefined => req.headers['user-agent'];

/** The access key id a request claims in its Authorization header, before (or without) verification:
 *  an event of a refused request still says which key was tried. Ids only, never the signature. */
export function claimedAccessKeyId(req: IncomingMessage): string | undefined {
  return /Credential=([A-Z0-9]{16,128})\//.exec(req.headers.authorization ?? '')?.[1];
}

/** The request's signature, verified and scoped to `service` (KMS, the administrator and the audit
 *  API share the endpoint and are told apart by the scope): InvalidSignatureException otherwise. */
export async function verifiedFor(deps: { readonly verifier: SigV4Verifier }, req: IncomingMessage, body: Buffer, service: string): Promise<VerifiedSignature> {
  const signature = await deps.verifier.verify({ method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, body });
  if (signature.service !== service) fail('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'. `);
  return signature;
}
