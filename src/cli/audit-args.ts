// `keyhold audit …` arguments: the subcommand, its flags, then environment, then defaults.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CommandError } from './command-error.js';

export const auditUsage = `Usage: keyhold audit <command> [options]
Commands (on the trail itself, the data dir's files or the PostgreSQL database; no server needed,
and a running one is not disturbed):
  verify       check every event's place in the hash chain, the lookup index and every signed
               digest; prints one line if the trail is intact (exit 0), else one line per problem (exit 1)
  public-key   print the audit public key (PEM) that digests are signed with, for auditors
Commands against a running server (keyhold audit lookup --help, keyhold audit export --help):
  lookup       the newest events matching filters (key, principal, account, operation, error,
               time range, request id), as JSON or a table
  export       every matching event as NDJSON, to a file or stdout
Options:
  --data-dir DIR       the server's data dir (KEYHOLD_DATA_DIR, default ./.keyhold)
  --store KIND         sqlite (the data dir's audit.db and keyhold.db) or postgres (the cluster's
                       database), as keyhold serve takes it (KEYHOLD_STORE, default sqlite)
  --postgres-url URL   with --store postgres: postgres://user:password@host:port/database
                       (KEYHOLD_POSTGRES_URL); read in one read-only snapshot
  --public-key FILE    verify: check the digests with this PEM public key (an auditor's own copy)
                       instead of the one stored in the data dir`;

const subcommandUsage = {
  verify: 'Usage: keyhold audit verify [--data-dir DIR | --store postgres --postgres-url URL] [--public-key FILE]',
  'public-key': 'Usage: keyhold audit public-key [--data-dir DIR | --store postgres --postgres-url URL]',
} as const;

type Subcommand = keyof typeof subcommandUsage;

/** Where the trail and the store's public key are: a data dir, or the cluster's PostgreSQL. */
export type TrailSource = { readonly kind: 'sqlite'; readonly dataDir: string } | { readonly kind: 'postgres'; readonly url: string };

export type AuditCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'verify'; readonly source: TrailSource; readonly publicKeyFile: string | undefined }
  | { readonly kind: 'public-key'; readonly source: TrailSource };

const isSubcommand = (name: string): name is Subcommand => Object.hasOwn(subcommandUsage, name);

export function parseAuditArgs(argv: readonly string[], env: NodeJS.ProcessEnv): AuditCommand {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === 'help') return { kind: 'help', text: auditUsage };
  if (!isSubcommand(sub)) throw new CommandError(`unknown audit command '${sub}'\n${auditUsage}`);
  const usage = subcommandUsage[sub];
  let values;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: {
        'data-dir': { type: 'string' }, 'public-key': { type: 'string' }, help: { type: 'boolean' },
        store: { type: 'string' }, 'postgres-url': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CommandError(`${(err as Error).message}\n${usage}`);
  }
  if (values.help === true) return { kind: 'help', text: usage };
  const source = sourceOf(values.store ?? env.KEYHOLD_STORE, values['postgres-url'] ?? env.KEYHOLD_POSTGRES_URL, values['data-dir'], env, usage);
  if (sub === 'public-key') {
    if (values['public-key'] !== undefined) throw new CommandError(`audit public-key takes no --public-key\n${usage}`);
    return { kind: 'public-key', source };
  }
  return { kind: 'verify', source, publicKeyFile: values['public-key'] === undefined ? undefined : resolve(values['public-key']) };
}

/** The store settings as `keyhold serve` reads them (config.ts): the same flags, variables and
 *  refusals. The URL may hold a password: messages name the setting, never its value. */
function sourceOf(kind: string | undefined, url: string | undefined, dataDirFlag: string | undefined, env: NodeJS.ProcessEnv, usage: string): TrailSource {
  if (kind === undefined || kind === 'sqlite') {
    if (url !== undefined) throw new CommandError(`--postgres-url needs --store postgres\n${usage}`);
    return { kind: 'sqlite', dataDir: resolve(dataDirFlag ?? env.KEYHOLD_DATA_DIR ?? '.keyhold') };
  }
  if (kind !== 'postgres') throw new CommandError(`--store ${kind}: expected sqlite or postgres\n${usage}`);
  if (url === undefined) throw new CommandError(`--store postgres needs --postgres-url (or KEYHOLD_POSTGRES_URL)\n${usage}`);
  if (!/^postgres(ql)?:\/\//.test(url)) throw new CommandError('--postgres-url must be a postgres:// URL');
  // A data dir would not be read: refuse the flag rather than let it look as if it were checked.
  if (dataDirFlag !== undefined) throw new CommandError(`--data-dir is not read with --store postgres: the trail and its public key are in the database\n${usage}`);
  return { kind: 'postgres', url };
}
