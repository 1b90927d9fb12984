// `keyhold accounts …` arguments: the subcommand, its flags, then environment, then defaults.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CommandError } from './command-error.js';

export const accountsUsage = `Usage: keyhold accounts <command> [options]
Commands (the administrator's, against a running server):
  create --name NAME          create an account; prints its root's credentials as JSON, once
  list [--output json|table]  list every account (default json)
  disable --account-id ID     refuse the account's every credential from the next request
  enable --account-id ID      let a disabled account's credentials work again
Options:
  --endpoint URL     the server (KEYHOLD_ENDPOINT, default http://127.0.0.1:4599)
  --region REGION    the region the server answers as (KEYHOLD_REGION, default us-east-1)
  --data-dir DIR     the server's data dir, for its credentials file (KEYHOLD_DATA_DIR, default ./.keyhold)
Credentials: KEYHOLD_ADMIN_ACCESS_KEY_ID and KEYHOLD_ADMIN_SECRET_ACCESS_KEY, else the [keyhold]
  profile of DIR/credentials (written by keyhold serve when it generated them).`;

const subcommandUsage = {
  create: 'Usage: keyhold accounts create --name NAME [--endpoint URL] [--region REGION] [--data-dir DIR]\n  NAME: 1–64 printable characters, unique (case-insensitive)',
  list: 'Usage: keyhold accounts list [--output json|table] [--endpoint URL] [--region REGION] [--data-dir DIR]',
  disable: 'Usage: keyhold accounts disable --account-id ID [--endpoint URL] [--region REGION] [--data-dir DIR]',
  enable: 'Usage: keyhold accounts enable --account-id ID [--endpoint URL] [--region REGION] [--data-dir DIR]',
} as const;

type Subcommand = keyof typeof subcommandUsage;

/** Where and as whom the commands connect (credentials are found later, from dataDir or env). */
export interface ServerOptions {
  readonly endpoint: URL;
  readonly region: string;
  readonly dataDir: string;
}

export type AccountsCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'create'; readonly name: string; readonly server: ServerOptions }
  | { readonly kind: 'list'; readonly output: 'json' | 'table'; readonly server: ServerOptions }
  | { readonly kind: 'disable' | 'enable'; readonly accountId: string; readonly server: ServerOptions };

const isSubcommand = (name: string): name is Subcommand => Object.hasOwn(subcommandUsage, name);

export function parseAccountsArgs(argv: readonly string[], env: NodeJS.ProcessEnv): AccountsCommand {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === 'help') return { kind: 'help', text: accountsUsage };
  if (!isSubcommand(sub)) throw new CommandError(`unknown accounts command '${sub}'\n${accountsUsage}`);
  const usage = subcommandUsage[sub];
  let values;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: {
        name: { type: 'string' }, 'account-id': { type: 'string' }, output: { type: 'string' },
        endpoint: { type: 'string' }, region: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CommandError(`${(err as Error).message}\n${usage}`);
  }
  if (values.help === true) return { kind: 'help', text: usage };
  const allowed = { create: ['name'], list: ['output'], disable: ['account-id'], enable: ['account-id'] }[sub];
  for (const flag of ['name', 'account-id', 'output'] as const) {
    if (values[flag] !== undefined && !allowed.includes(flag)) throw new CommandError(`accounts ${sub} takes no --${flag}\n${usage}`);
  }
  const server = serverOptions(values, env);
  switch (sub) {
    case 'create':
      if (values.name === undefined) throw new CommandError(`accounts create needs --name\n${usage}`);
      return { kind: 'create', name: values.name, server };
    case 'list': {
      const output = values.output ?? 'json';
      if (output !== 'json' && output !== 'table') throw new CommandError(`--output must be json or table, not '${output}'`);
      return { kind: 'list', output, server };
    }
    case 'disable':
    case 'enable': {
      const accountId = values['account-id'];
      if (accountId === undefined) throw new CommandError(`accounts ${sub} needs --account-id\n${usage}`);
      if (!/^\d{12}$/.test(accountId)) throw new CommandError(`--account-id must be 12 digits, not '${accountId}'`);
      return { kind: sub, accountId, server };
    }
  }
}

/** --endpoint, --region and --data-dir, then KEYHOLD_ENDPOINT, KEYHOLD_REGION and KEYHOLD_DATA_DIR,
 *  then defaults; shared by every administrator command. */
export function serverOptions(values: { endpoint?: string | undefined; region?: string | undefined; 'data-dir'?: string | undefined }, env: NodeJS.ProcessEnv): ServerOptions {
  const endpointText = values.endpoint ?? env.KEYHOLD_ENDPOINT ?? 'http://127.0.0.1:4599';
  let endpoint: URL;
  try {
    endpoint = new URL(endpointText);
  } catch {
    throw new CommandError(`--endpoint must be a URL such as http://127.0.0.1:4599, not '${endpointText}'`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') throw new CommandError(`--endpoint must be an http:// or https:// URL, not '${endpointText}'`);
  // keyhold serves its APIs at `/` only: a path or query would be silently dropped, so refuse it.
  // Not echoed: user information in a URL is often a password.
  if (endpoint.username !== '' || endpoint.password !== '') throw new CommandError('--endpoint must not hold a user name or password');
  if ((endpoint.pathname !== '/' && endpoint.pathname !== '') || endpoint.search !== '' || endpoint.hash !== '') {
    throw new CommandError(`--endpoint must be the server's address only (scheme, host and port), not '${endpointText}'`);
  }
  const region = values.region ?? env.KEYHOLD_REGION ?? 'us-east-1';
  // The same rule as keyhold serve's --region.
  if (!/^([a-z]+-){2,3}\d+$/.test(region)) throw new CommandError(`--region ${region} is not an AWS region name (e.g. us-east-1)`);
  return { endpoint, region, dataDir: resolve(values['data-dir'] ?? env.KEYHOLD_DATA_DIR ?? '.keyhold') };
}
