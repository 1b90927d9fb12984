// `keyhold services …` arguments: the subcommand, its flags, then environment, then defaults.
import { parseArgs } from 'node:util';
import { SERVICE_NAME } from '../auth/service-tokens.js';
import { serverOptions, type ServerOptions } from './accounts-args.js';
import { CommandError } from './command-error.js';

export const servicesUsage = `Usage: keyhold services <command> [options]
Commands (the administrator's, against a running server):
  register --name NAME        register an integrated service; prints its service token as JSON, once
  list [--output json|table]  list every registered service (default json)
Options:
  --endpoint URL     the server (KEYHOLD_ENDPOINT, default http://127.0.0.1:4599)
  --region REGION    the region the server answers as (KEYHOLD_REGION, default us-east-1)
  --data-dir DIR     the server's data dir, for its credentials file (KEYHOLD_DATA_DIR, default ./.keyhold)
Credentials: as for keyhold accounts (KEYHOLD_ADMIN_ACCESS_KEY_ID and KEYHOLD_ADMIN_SECRET_ACCESS_KEY,
  else the [keyhold] profile of DIR/credentials).`;

const subcommandUsage = {
  register: 'Usage: keyhold services register --name NAME [--endpoint URL] [--region REGION] [--data-dir DIR]\n  NAME: a lower-case letter, then 1–62 lower-case letters, digits or hyphens (e.g. media)',
  list: 'Usage: keyhold services list [--output json|table] [--endpoint URL] [--region REGION] [--data-dir DIR]',
} as const;

type Subcommand = keyof typeof subcommandUsage;

export type ServicesCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'register'; readonly name: string; readonly server: ServerOptions }
  | { readonly kind: 'list'; readonly output: 'json' | 'table'; readonly server: ServerOptions };

const isSubcommand = (name: string): name is Subcommand => Object.hasOwn(subcommandUsage, name);

export function parseServicesArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ServicesCommand {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === 'help') return { kind: 'help', text: servicesUsage };
  if (!isSubcommand(sub)) throw new CommandError(`unknown services command '${sub}'\n${servicesUsage}`);
  const usage = subcommandUsage[sub];
  let values;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: {
        name: { type: 'string' }, output: { type: 'string' },
        endpoint: { type: 'string' }, region: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CommandError(`${(err as Error).message}\n${usage}`);
  }
  if (values.help === true) return { kind: 'help', text: usage };
  if (sub === 'register' && values.output !== undefined) throw new CommandError(`services register takes no --output\n${usage}`);
  if (sub === 'list' && values.name !== undefined) throw new CommandError(`services list takes no --name\n${usage}`);
  const server = serverOptions(values, env);
  if (sub === 'register') {
    if (values.name === undefined) throw new CommandError(`services register needs --name\n${usage}`);
    // Checked here too, so a typo is explained without a round trip; the server checks again.
    if (!SERVICE_NAME.test(values.name)) throw new CommandError(`--name must be a lower-case letter, then 1–62 lower-case letters, digits or hyphens, not '${values.name}'`);
    return { kind: 'register', name: values.name, server };
  }
  const output = values.output ?? 'json';
  if (output !== 'json' && output !== 'table') throw new CommandError(`--output must be json or table, not '${output}'`);
  return { kind: 'list', output, server };
}
