// `keyhold audit …` arguments: the subcommand, its flags, then environment, then defaults.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CommandError } from './command-error.js';

export const auditUsage = `Usage: keyhold audit <command> [options]
Commands (on the data dir's files; no server needed, and a running one is not disturbed):
  verify       check every event's place in the hash chain, the lookup index and every signed
               digest; prints one line if the trail is intact (exit 0), else one line per problem (exit 1)
  public-key   print the audit public key (PEM) that digests are signed with, for auditors
Commands against a running server (keyhold audit lookup --help, keyhold audit export --help):
  lookup       the newest events matching filters (key, principal, account, operation, error,
               time range, request id), as JSON or a table
  export       every matching event as NDJSON, to a file or stdout
Options:
  --data-dir DIR       the server's data dir (KEYHOLD_DATA_DIR, default ./.keyhold)
  --public-key FILE    verify: check the digests with this PEM public key (an auditor's own copy)
                       instead of the one stored in the data dir`;

const subcommandUsage = {
  verify: 'Usage: keyhold audit verify [--data-dir DIR] [--public-key FILE]',
  'public-key': 'Usage: keyhold audit public-key [--data-dir DIR]',
} as const;

type Subcommand = keyof typeof subcommandUsage;

export type AuditCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'verify'; readonly dataDir: string; readonly publicKeyFile: string | undefined }
  | { readonly kind: 'public-key'; readonly dataDir: string };

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
      options: { 'data-dir': { type: 'string' }, 'public-key': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CommandError(`${(err as Error).message}\n${usage}`);
  }
  if (values.help === true) return { kind: 'help', text: usage };
  const dataDir = resolve(values['data-dir'] ?? env.KEYHOLD_DATA_DIR ?? '.keyhold');
  if (sub === 'public-key') {
    if (values['public-key'] !== undefined) throw new CommandError(`audit public-key takes no --public-key\n${usage}`);
    return { kind: 'public-key', dataDir };
  }
  return { kind: 'verify', dataDir, publicKeyFile: values['public-key'] === undefined ? undefined : resolve(values['public-key']) };
}
