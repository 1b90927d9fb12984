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
import { QueryError, queryFail, type QueryErrorCode } from './query/action.js';
import { QueryParams } from './query/form.js';
import { IAM_NAMESPACE, STS_NAMESPACE, queryError, queryResponse } from './query/xml.js';

export type QueryService = 'iam' | 'sts';

const SERVICES: Record<QueryService, { readonly namespace: string; readonly actions: Readonly<Record<string, QueryAction>> }> = {
  iam: { namespace: IAM_NAMESPACE, actions: iamActions },
  sts: { namespace: STS_NAMESPACE, actions: stsActions },
};

export interface QueryEndpointDeps extends KmsEndpointDeps {
  readonly query: QueryDeps;
}

/** Handles one IAM or STS request whose body has been read. Never throws. */
export async function handleQueryRequest(deps: QueryEndpointDeps, service: QueryService, req: IncomingMessage, res: ServerResponse, body: Buffer, requestId: string): Promise<void> {
  const started = process.hrtime.bigint();
  const { namespace, actions } = SERVICES[service];
  let label = `${service}:unknown`;
  let code = 'OK';
  let accessKeyId: string | undefined;
  try {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (contentType !== 'application/x-www-form-urlencoded') queryFail('InvalidInput', 'Content-Type must be application/x-www-form-urlencoded.');
    const form = decodeUtf8(body);
    if (form === undefined) queryFail('InvalidInput', 'The request body is not valid UTF-8.');
    const params = QueryParams.parse(form);
    const name = params.get('Action');
    if (name === undefined) queryFail('MissingAction', 'Missing Action');
    const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
    if (action === undefined) queryFail('InvalidAction', `Could not find operation ${name} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
    label = `${service}:${name}`;
    deps.freshness.check();
    const signature = await deps.verifier.verify({ method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, body });
    accessKeyId = signature.accessKeyId;
    if (signature.service !== service) queryFail('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'. `);
    const now = deps.query.clock.now();
    const principal = await deps.identities.authenticate(signature.accessKeyId, signature.sessionToken, now);
    const origin = requestOrigin(req);
    const result = await action.run({
      params, principal, origin, requestId, deps: deps.query,
      authorize: (act, resource, extra) => authorizeIdentity(principal, act, resource, deps.query.clock.now(), origin, extra),
    });
    const text = queryResponse(namespace, name, result, requestId);
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': requestId }).end(text);
  } catch (err) {
    const error = asQueryError(err, requestId);
    if (!(err instanceof KmsError || err instanceof QueryError)) deps.logger.error({ reqId: requestId, operation: label, err }, 'internal error');
    code = error.code;
    sendQueryError(res, namespace, error, requestId);
  } finally {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    deps.metrics.observe(label, code, seconds);
    deps.logger.info({ reqId: requestId, operation: label, code, ms: Math.round(seconds * 1e6) / 1e3, accessKeyId }, 'request');
  }
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
