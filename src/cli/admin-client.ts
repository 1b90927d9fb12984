// Calls keyhold's own APIs for the CLI: one SigV4-signed AWS JSON 1.1 request per call (service
// `keyhold`, X-Amz-Target KeyholdAdmin.<Action> or KeyholdAudit.<Action>); the server's refusals
// become CommandErrors naming the error type and the server's message.
import type { AdminCredentials } from '../auth/bootstrap.js';
import { CommandError } from './command-error.js';
import { signRequest } from './sign-request.js';

export interface AdminConnection {
  /** The server's origin; requests go to its path `/`. */
  readonly endpoint: URL;
  readonly region: string;
  /** The administrator's, or (for the audit commands) any principal's, with its STS session token if any. */
  readonly credentials: AdminCredentials & { readonly sessionToken?: string | undefined };
}

const TIMEOUT_MS = 30_000;

/** POSTs `input` as KeyholdAdmin.`action`; resolves with the JSON response body. */
export const callAdmin = (connection: AdminConnection, action: string, input: object): Promise<Record<string, unknown>> =>
  callKeyhold(connection, `KeyholdAdmin.${action}`, input);

/** POSTs `input` with X-Amz-Target `target`; resolves with the JSON response body. */
export async function callKeyhold(connection: AdminConnection, target: string, input: object): Promise<Record<string, unknown>> {
  const url = new URL('/', connection.endpoint);
  const body = JSON.stringify(input);
  const token = connection.credentials.sessionToken;
  const headers = signRequest(
    {
      method: 'POST', url, body,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...(token !== undefined && { 'x-amz-security-token': token }) },
    },
    { credentials: connection.credentials, region: connection.region, service: 'keyhold', now: new Date() },
  );
  delete headers.host; // fetch sets it from the URL, exactly as signed
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    text = await response.text();
  } catch (err) {
    throw new CommandError(`cannot reach ${url.origin}: ${networkReason(err)}`);
  }
  const parsed = parseObject(text);
  if (response.ok && parsed) return parsed;
  if (parsed && typeof parsed.__type === 'string') {
    throw new CommandError(`${parsed.__type}: ${typeof parsed.message === 'string' ? parsed.message : '(no message)'}`);
  }
  throw new CommandError(`unexpected answer from ${url.origin} (HTTP ${response.status}): is it a keyhold server?`);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** fetch reports "fetch failed" and puts the useful part (ECONNREFUSED, a TLS error) in `cause`. */
function networkReason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error) return 'code' in cause && typeof cause.code === 'string' ? `${cause.code} (${cause.message})` : cause.message;
  return err instanceof Error ? err.message : String(err);
}
