// `keyhold accounts create|list|disable|enable`: the administrator's account management against a
// running server. Only create's stdout ever holds a secret: the new root's, shown this once.
import { adminCredentials } from './admin-credentials.js';
import { callAdmin, type AdminConnection } from './admin-client.js';
import { parseAccountsArgs, type ServerOptions } from './accounts-args.js';
import { CommandError } from './command-error.js';
import { textTable } from './table.js';

export interface AccountRow {
  readonly AccountId: string;
  readonly Name: string;
  readonly Status: string;
  /** ISO 8601, as the AWS CLI shows timestamps. */
  readonly CreationDate: string;
}

export async function accounts(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const command = parseAccountsArgs(argv, env);
  if (command.kind === 'help') return void process.stdout.write(`${command.text}\n`);
  const connection = connect(command.server, env);
  switch (command.kind) {
    case 'create': {
      const created = await callAdmin(connection, 'CreateAccount', { Name: command.name });
      const out = { AccountId: text(created, 'AccountId'), AccessKeyId: text(created, 'AccessKeyId'), SecretAccessKey: text(created, 'SecretAccessKey') };
      return void process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    }
    case 'list': {
      const rows = await listAll(connection);
      return void process.stdout.write(command.output === 'table' ? accountsTable(rows) : `${JSON.stringify(rows, null, 2)}\n`);
    }
    case 'disable':
      return void (await callAdmin(connection, 'DisableAccount', { AccountId: command.accountId }));
    case 'enable':
      return void (await callAdmin(connection, 'EnableAccount', { AccountId: command.accountId }));
  }
}

const connect = (server: ServerOptions, env: NodeJS.ProcessEnv): AdminConnection =>
  ({ endpoint: server.endpoint, region: server.region, credentials: adminCredentials(env, server.dataDir) });

/** Every page, in the server's order (by account id). */
async function listAll(connection: AdminConnection): Promise<AccountRow[]> {
  const rows: AccountRow[] = [];
  let marker: string | undefined;
  do {
    const page = await callAdmin(connection, 'ListAccounts', marker === undefined ? { Limit: 1000 } : { Limit: 1000, Marker: marker });
    const items = page.Accounts;
    if (!Array.isArray(items)) throw unexpected('Accounts');
    for (const item of items as unknown[]) {
      if (typeof item !== 'object' || item === null) throw unexpected('Accounts');
      const account = item as Record<string, unknown>;
      const created = account.CreationDate;
      if (typeof created !== 'number') throw unexpected('CreationDate');
      rows.push({ AccountId: text(account, 'AccountId'), Name: text(account, 'Name'), Status: text(account, 'Status'), CreationDate: new Date(created * 1000).toISOString() });
    }
    marker = page.Truncated === true ? text(page, 'NextMarker') : undefined;
  } while (marker !== undefined);
  return rows;
}

export const accountsTable = (rows: readonly AccountRow[]): string =>
  textTable(['ACCOUNT ID', 'NAME', 'STATUS', 'CREATED'], rows.map((r) => [r.AccountId, r.Name, r.Status, r.CreationDate]));

function text(object: Record<string, unknown>, member: string): string {
  const value = object[member];
  if (typeof value !== 'string') throw unexpected(member);
  return value;
}

const unexpected = (member: string): CommandError => new CommandError(`unexpected answer from the server: no valid ${member}`);
