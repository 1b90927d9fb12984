// POST / signed for `iam` or `sts`: the AWS query protocol (form-encoded Action=…, XML replies).
// Authenticate, find the action, run it, render; errors in the XML shape IAM and STS use.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KmsError, type ErrorType } from '../core/errors.js';
import { iamActions } from '../iam/index.js';
import { stsActions } from '../sts/index.js';
import { decodeUtf8 } from './json-body.js';
import type { KmsEndpointDeps } from './kms-endpoint.js';
import { requestOrigin } from './kms-endpoint.js';
import { authorizeIdentity } from '../service/authorize.js';
import type { QueryAction, QueryDeps } from './query/action.js';
import type { AdminDeps } from '../admin/action.js';
import { QueryError, queryFail, type QueryErrorCode } from './query/action.js';
import { QueryParams } from './query/form.js';
import { IAM_NAMESPACE, STS_NAMESPACE, queryError, queryResponse, type XmlObject } from './query/xml.js';
import { claimedAccessKeyId, recorded, userAgentOf } from './audit-request.js';
import type { Principal } from '../auth/principal.js';

export type QueryService = 'iam' | 'sts';

const SERVICES: Record<QueryService, { readonly namespace: string; readonly actions: Readonly<Record<string, QueryAction>> }> = {
  iam: { namespace: IAM_NAMESPACE, actions: iamActions },
  sts: { namespace: STS_NAMESPACE, actions: stsActions },
};

export interface QueryEndpointDeps extends KmsEndpointDeps {
  /** Shared by IAM, STS and the administrator API (which also signs audit digests on demand). */
  readonly query: QueryDeps & Pick<AdminDeps, 'auditDigest'>;
}

/** Handles one IAM or STS request whose body has been read. Never throws. */
export async function handleQueryRequest(deps: QueryEndpointDeps, service: QueryService, req: IncomingMessage, res: ServerResponse, body: Buffer, requestId: string): Promise<void> {
  const started = process.hrtime.bigint();
  const at = deps.query.clock.now();
  const { namespace, actions } = SERVICES[service];
  let label = `${service}:unknown`;
  let eventName = 'UnknownAction';
  let accessKeyId = claimedAccessKeyId(req);
  let principal: Principal | undefined;
  let params: QueryParams | undefined;
  let result: XmlObject | undefined;
  let error: QueryError | undefined;
  const origin = requestOrigin(req);
  try {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (contentType !== 'application/x-www-form-urlencoded') queryFail('InvalidInput', 'Content-Type must be application/x-www-form-urlencoded.');
    const form = decodeUtf8(body);
    if (form === undefined) queryFail('InvalidInput', 'The request body is not valid UTF-8.');
    params = QueryParams.parse(form);
    const name = params.get('Action');
    if (name === undefined) queryFail('MissingAction', 'Missing Action');
    const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
    if (action === undefined) queryFail('InvalidAction', `Could not find operation ${name} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
    label = `${service}:${name}`;
    eventName = name;
    deps.freshness.check();
    const signature = await deps.verifier.verify({ method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, body });
    accessKeyId = signature.accessKeyId;
    if (signature.service !== service) queryFail('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'. `);
    const now = deps.query.clock.now();
    const caller = await deps.identities.authenticate(signature.accessKeyId, signature.sessionToken, now);
    principal = caller;
    const actionParams = params;
    result = await action.run({
      params: actionParams, principal: caller, origin, requestId, deps: deps.query,
      authorize: (act, resource, extra) => authorizeIdentity(caller, act, resource, deps.query.clock.now(), origin, extra),
    });
  } catch (err) {
    error = asQueryError(err, requestId);
    if (!(err instanceof KmsError || err instanceof QueryError)) deps.logger.error({ reqId: requestId, operation: label, err }, 'internal error');
  }
  const refused = await recorded(deps, {
    service, eventName, requestId, at, region: deps.service.deps.region, sourceIp: origin.sourceIp, userAgent: userAgentOf(req),
    principal, accessKeyId, request: formFields(params), response: result, error: error && { code: error.code, message: error.message }, keys: [],
  });
  if (refused) error = new QueryError('ServiceFailure', refused.message);
  if (error) sendQueryError(res, namespace, error, requestId);
  else {
    const text = queryResponse(namespace, eventName, result, requestId);
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': requestId }).end(text);
  }
  const code = error?.code ?? 'OK';
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  deps.metrics.observe(label, code, seconds);
  deps.logger.info({ reqId: requestId, operation: label, code, ms: Math.round(seconds * 1e6) / 1e3, accessKeyId }, 'request');
}

/** The form's fields as the event's requestParameters; Action and Version are the event's name. */
function formFields(params: QueryParams | undefined): Record<string, string> | undefined {
  if (!params) return undefined;
  const fields: Record<string, string> = {};
  for (const name of params.names()) if (name !== 'Action' && name !== 'Version') fields[name] = params.get(name) ?? '';
  return fields;
}

function sendQueryError(res: ServerResponse, namespace: string, error: QueryError, requestId: string): void {
  if (res.headersSent) return void res.destroy();
  const text = queryError(namespace, error.status >= 500 ? 'Receiver' : 'Sender', error.code, error.message, requestId);
  res.writeHead(error.status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': requestId }).end(text);
}

/** The shared parts (signatures, policies, authorisation) throw KMS's names; IAM and STS call
 *  the same faults by their own. */
const FROM_KMS: Partial<Record<ErrorType, QueryErrorCode>> = {
  AccessDeniedException: 'AccessDenied',
  ExpiredTokenException: 'ExpiredToken',
  IncompleteSignatureException: 'IncompleteSignature',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  MalformedPolicyDocumentException: 'MalformedPolicyDocument',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  UnrecognizedClientException: 'InvalidClientTokenId',
  ValidationException: 'ValidationError',
  SerializationException: 'InvalidInput',
  LimitExceededException: 'LimitExceeded',
};

function asQueryError(err: unknown, requestId: string): QueryError {
  if (err instanceof QueryError) return err;
  if (err instanceof KmsError) {
    const code = FROM_KMS[err.type];
    if (code !== undefined) return new QueryError(code, err.message);
  }
  return new QueryError('ServiceFailure', `An internal error occurred. Request ID: ${requestId}`);
}
