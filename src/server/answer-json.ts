// The end of every AWS JSON request (KMS, the administrator API, the audit API): record it in the
// audit trail, then send its result — or its error, or the audit failure if it could not be
// recorded — then count and log it. The log line never holds the body or the result.
import type { ServerResponse } from 'node:http';
import type { RequestFacts } from '../audit/request-event.js';
import type { KmsError } from '../core/errors.js';
import { recorded, type AuditDeps } from './audit-request.js';
import type { Metrics } from './metrics.js';
import { sendError, sendJson } from './render.js';

export interface Answer {
  /** The metrics and log label, e.g. `Encrypt` or `admin:CreateAccount`. */
  readonly label: string;
  /** process.hrtime.bigint() when the request arrived. */
  readonly started: bigint;
  /** The audit event's facts; its `error` is the one sent unless the trail refuses. */
  readonly facts: RequestFacts;
  readonly result: unknown;
  /** Run once the event is durable (e.g. noting a key's last use). */
  readonly afterRecorded?: readonly (() => void)[];
}

export async function recordAndAnswer(deps: AuditDeps & { readonly metrics: Metrics }, res: ServerResponse, answer: Answer, error: KmsError | undefined): Promise<void> {
  const { requestId } = answer.facts;
  const refused = await recorded(deps, answer.facts);
  const sent = refused ?? error;
  if (refused === undefined) for (const then of answer.afterRecorded ?? []) then();
  if (sent) sendError(res, requestId, sent);
  else sendJson(res, requestId, answer.result);
  const code = sent?.type ?? 'OK';
  const seconds = Number(process.hrtime.bigint() - answer.started) / 1e9;
  deps.metrics.observe(answer.label, code, seconds);
  deps.logger.info({ reqId: requestId, operation: answer.label, code, ms: Math.round(seconds * 1e6) / 1e3, accessKeyId: answer.facts.accessKeyId }, 'request');
}
