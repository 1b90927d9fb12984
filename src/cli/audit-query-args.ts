// `keyhold audit lookup|export` arguments: the filters (as LookupEvents takes them), each command's
// own flags, the server, and whose credentials sign: flags, then environment, then defaults.
import { parseArgs } from 'node:util';
import type { AdminConnection } from './admin-client.js';
import { adminCredentials } from './admin-credentials.js';
import { serverOptions, type ServerOptions } from './accounts-args.js';
import { CommandError } from './command-error.js';

const filterUsage = `Filters (all optional; together they narrow):
  --key-id ID          events on this key (key id or key ARN)
  --principal ARN      events made by this principal
  --account-id ID      events made by this account's principals
  --event-name NAME    events of this operation (Encrypt, CreateUser, LookupEvents…)
  --error-code CODE    refused requests with this error (AccessDeniedException…)
  --start-time TIME    events at or after TIME (ISO 8601 with a zone, e.g. 2025-01-02T03:04:05Z,
                       or a date alone for its midnight UTC)
  --end-time TIME      events at or before TIME
  --request-id ID      the event of this request (its x-amzn-requestid)
Server: --endpoint URL, --region REGION, --data-dir DIR as for keyhold accounts.
Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) when set: that
  principal sees its own account's events (its calls, and every call on its keys) and needs
  keyhold:LookupEvents unless it is an account root. Otherwise the administrator's, who sees
  every event (KEYHOLD_ADMIN_ACCESS_KEY_ID and KEYHOLD_ADMIN_SECRET_ACCESS_KEY, else DIR/credentials).`;

export const auditQueryUsage = {
  lookup: `Usage: keyhold audit lookup [filters] [--max-results N] [--output json|table]
Prints the newest N audit events that match (default 50), newest first, as JSON (default) or a table.
${filterUsage}`,
  export: `Usage: keyhold audit export [filters] [--file PATH]
Writes every audit event that matches, newest first, one JSON object per line (NDJSON), to PATH
(created or replaced, readable by you only) or stdout; shows progress on stderr when it is a terminal.
${filterUsage}`,
} as const;

/** LookupEvents' filter members. */
export interface LookupFilters {
  readonly KeyId?: string;
  readonly PrincipalArn?: string;
  readonly AccountId?: string;
  readonly EventName?: string;
  readonly ErrorCode?: string;
  /** Epoch seconds, as AWS JSON timestamps. */
  readonly StartTime?: number;
  readonly EndTime?: number;
  readonly RequestId?: string;
}

export type AuditQueryCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'lookup'; readonly filters: LookupFilters; readonly maxResults: number; readonly output: 'json' | 'table'; readonly server: ServerOptions }
  | { readonly kind: 'export'; readonly filters: LookupFilters; readonly file: string | undefined; readonly server: ServerOptions };

const FILTER_FLAGS = {
  'key-id': 'KeyId', principal: 'PrincipalArn', 'account-id': 'AccountId', 'event-name': 'EventName', 'error-code': 'ErrorCode', 'request-id': 'RequestId',
} as const;

/** `argv` starts with `lookup` or `export`. */
export function parseAuditQueryArgs(argv: readonly string[], env: NodeJS.ProcessEnv): AuditQueryCommand {
  const [sub, ...rest] = argv;
  if (sub !== 'lookup' && sub !== 'export') throw new Error(`parseAuditQueryArgs: not a query command: ${String(sub)}`);
  const usage = auditQueryUsage[sub];
  let values;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: {
        'key-id': { type: 'string' }, principal: { type: 'string' }, 'account-id': { type: 'string' }, 'event-name': { type: 'string' },
        'error-code': { type: 'string' }, 'start-time': { type: 'string' }, 'end-time': { type: 'string' }, 'request-id': { type: 'string' },
        'max-results': { type: 'string' }, output: { type: 'string' }, file: { type: 'string' },
        endpoint: { type: 'string' }, region: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CommandError(`${(err as Error).message}\n${usage}`);
  }
  if (values.help === true) return { kind: 'help', text: usage };
  for (const flag of sub === 'lookup' ? ['file'] as const : ['max-results', 'output'] as const) {
    if (values[flag] !== undefined) throw new CommandError(`audit ${sub} takes no --${flag}\n${usage}`);
  }
  const filters: { -readonly [M in keyof LookupFilters]: LookupFilters[M] } = {};
  for (const [flag, member] of Object.entries(FILTER_FLAGS) as [keyof typeof FILTER_FLAGS, (typeof FILTER_FLAGS)[keyof typeof FILTER_FLAGS]][]) {
    const value = values[flag];
    if (value !== undefined) filters[member] = value;
  }
  // Checked here too, so a typo is explained without a round trip; the server checks everything again.
  if (values['account-id'] !== undefined && !/^\d{12}$/.test(values['account-id'])) throw new CommandError(`--account-id must be 12 digits, not '${values['account-id']}'`);
  if (values['start-time'] !== undefined) filters.StartTime = epochSeconds('--start-time', values['start-time']);
  if (values['end-time'] !== undefined) filters.EndTime = epochSeconds('--end-time', values['end-time']);
  if (filters.StartTime !== undefined && filters.EndTime !== undefined && filters.StartTime > filters.EndTime) throw new CommandError('--start-time must not be later than --end-time');
  const server = serverOptions(values, env);
  if (sub === 'export') return { kind: 'export', filters, file: values.file, server };
  const output = values.output ?? 'json';
  if (output !== 'json' && output !== 'table') throw new CommandError(`--output must be json or table, not '${output}'`);
  const maxText = values['max-results'] ?? '50';
  if (!/^[1-9][0-9]{0,8}$/.test(maxText)) throw new CommandError(`--max-results must be a whole number from 1 to 999999999, not '${maxText}'`);
  return { kind: 'lookup', filters, maxResults: Number(maxText), output, server };
}

// A time with no zone would be read in this machine's zone, which the server does not share.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function epochSeconds(flag: string, text: string): number {
  const ms = ISO_TIME.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new CommandError(`${flag} must be an ISO 8601 time with a zone (2025-01-02T03:04:05Z) or a date (2025-01-02), not '${text}'`);
  return ms / 1000;
}

/** Who signs: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN) win when set,
 *  as they name the principal the caller means to act as; otherwise the administrator's credentials. */
export function auditConnection(server: ServerOptions, env: NodeJS.ProcessEnv): AdminConnection {
  const accessKeyId = env.AWS_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || undefined;
  const sessionToken = env.AWS_SESSION_TOKEN || undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) throw new CommandError('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together');
  const credentials = accessKeyId !== undefined && secretAccessKey !== undefined
    ? { accessKeyId, secretAccessKey, ...(sessionToken !== undefined && { sessionToken }) }
    : adminCredentials(env, server.dataDir);
  return { endpoint: server.endpoint, region: server.region, credentials };
}
