// Calls keyhold's audit API (X-Amz-Target KeyholdAudit.<Action>, AWS JSON 1.1 signed for the
// service `keyhold`) as any principal; the SDKs have no client for it.
import type { AuditEvent } from '../../src/audit/event.js';
import type { Credentials } from './accounts.js';
import { signHeaders } from './raw-http.js';
import { testCredentials, type RunningServer } from './server.js';

export interface AuditApiResponse {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly body: { __type?: string; message?: string; Events?: AuditEvent[]; NextToken?: string };
}

/** POSTs `input` (an object, or raw text) as KeyholdAudit.`action`, signed with `credentials`
 *  (the administrator's by default). */
export async function auditApi(server: RunningServer, action: string, input: object | string, credentials: Credentials = testCredentials): Promise<AuditApiResponse> {
  const body = typeof input === 'string' ? input : JSON.stringify(input);
  const headers = await signHeaders(server.port, {
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `KeyholdAudit.${action}` },
    body,
  }, { credentials, service: 'keyhold' });
  const res = await fetch(`${server.url}/`, { method: 'POST', headers, body });
  return { status: res.status, requestId: res.headers.get('x-amzn-requestid') ?? undefined, body: (await res.json()) as AuditApiResponse['body'] };
}

/** LookupEvents, which must succeed. */
export async function lookup(server: RunningServer, input: object, credentials?: Credentials): Promise<{ events: AuditEvent[]; nextToken: string | undefined }> {
  const res = await auditApi(server, 'LookupEvents', input, credentials);
  if (res.status !== 200) throw new Error(`LookupEvents failed (${res.status}): ${res.body.__type ?? ''}: ${res.body.message ?? ''}`);
  return { events: res.body.Events ?? [], nextToken: res.body.NextToken };
}

/** Every event LookupEvents finds for `input`, following NextToken. */
export async function lookupAll(server: RunningServer, input: object, credentials?: Credentials): Promise<AuditEvent[]> {
  const all: AuditEvent[] = [];
  let token: string | undefined;
  do {
    const page = await lookup(server, token === undefined ? input : { ...input, NextToken: token }, credentials);
    all.push(...page.events);
    token = page.nextToken;
  } while (token !== undefined);
  return all;
}
