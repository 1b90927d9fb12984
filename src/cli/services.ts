// `keyhold services register|list`: the administrator registers the integrated services customers'
// requests may come through. Only register's stdout ever holds a secret: the service token, shown
// this once (the server keeps only its hash), for the service's operator to configure.
import { adminCredentials } from './admin-credentials.js';
import { callAdmin, type AdminConnection } from './admin-client.js';
import { CommandError } from './command-error.js';
import { parseServicesArgs } from './services-args.js';
import { textTable } from './table.js';

export interface ServiceRow {
  readonly ServiceName: string;
  /** ISO 8601, as the AWS CLI shows timestamps. */
  readonly CreationDate: string;
}

export async function services(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const command = parseServicesArgs(argv, env);
  if (command.kind === 'help') return void process.stdout.write(`${command.text}\n`);
  const connection: AdminConnection = { endpoint: command.server.endpoint, region: command.server.region, credentials: adminCredentials(env, command.server.dataDir) };
  if (command.kind === 'register') {
    const registered = await callAdmin(connection, 'RegisterService', { ServiceName: command.name });
    const out = { ServiceName: text(registered, 'ServiceName'), ServiceToken: text(registered, 'ServiceToken') };
    return void process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  }
  const rows = await listAll(connection);
  process.stdout.write(command.output === 'table' ? servicesTable(rows) : `${JSON.stringify(rows, null, 2)}\n`);
}

/** Every page, in the server's order (by name). */
async function listAll(connection: AdminConnection): Promise<ServiceRow[]> {
  const rows: ServiceRow[] = [];
  let marker: string | undefined;
  do {
    const page = await callAdmin(connection, 'ListServices', marker === undefined ? { Limit: 1000 } : { Limit: 1000, Marker: marker });
    const items = page.Services;
    if (!Array.isArray(items)) throw unexpected('Services');
    for (const item of items as unknown[]) {
      if (typeof item !== 'object' || item === null) throw unexpected('Services');
      const service = item as Record<string, unknown>;
      if (typeof service.CreationDate !== 'number') throw unexpected('CreationDate');
      rows.push({ ServiceName: text(service, 'ServiceName'), CreationDate: new Date(service.CreationDate * 1000).toISOString() });
    }
    marker = page.Truncated === true ? text(page, 'NextMarker') : undefined;
  } while (marker !== undefined);
  return rows;
}

export const servicesTable = (rows: readonly ServiceRow[]): string =>
  textTable(['SERVICE', 'REGISTERED'], rows.map((r) => [r.ServiceName, r.CreationDate]));

function text(object: Record<string, unknown>, member: string): string {
  const value = object[member];
  if (typeof value !== 'string') throw unexpected(member);
  return value;
}

const unexpected = (member: string): CommandError => new CommandError(`unexpected answer from the server: no valid ${member}`);
