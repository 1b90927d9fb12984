// `keyhold audit lookup|export`: reading the audit trail through a running server's LookupEvents,
// signed as the administrator or as the principal named by AWS_ACCESS_KEY_ID.
import { auditExport } from './audit-export.js';
import { auditLookup } from './audit-lookup.js';
import { auditConnection, parseAuditQueryArgs } from './audit-query-args.js';

export const isAuditQuery = (sub: string | undefined): boolean => sub === 'lookup' || sub === 'export';

/** `argv` starts with `lookup` or `export`. */
export async function auditQuery(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const command = parseAuditQueryArgs(argv, env);
  if (command.kind === 'help') return void process.stdout.write(`${command.text}\n`);
  const connection = auditConnection(command.server, env);
  if (command.kind === 'lookup') return auditLookup(connection, command.filters, command.maxResults, command.output);
  return auditExport(connection, command.filters, command.file);
}
