// The `keyhold` command.
import { RootKeyError } from '../backends/software/root-key.js';
import { accounts } from './accounts.js';
import { audit } from './audit.js';
import { CommandError } from './command-error.js';
import { ConfigError, serveUsage } from './config.js';
import { serve } from './serve.js';
import { services } from './services.js';

const usage = `Usage: keyhold <command>
Commands:
  serve     run the KMS server (keyhold serve --help)
  accounts  create, list, disable and enable accounts on a running server (keyhold accounts --help)
  services  register and list integrated services on a running server (keyhold services --help)
  audit     verify the audit trail, print its public key, look up and export events (keyhold audit --help)`;

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      if (rest.includes('--help')) return void console.log(serveUsage);
      return serve(rest, process.env);
    case 'accounts':
      return accounts(rest, process.env);
    case 'services':
      return services(rest, process.env);
    case 'audit':
      return audit(rest, process.env);
    case undefined:
    case '--help':
    case 'help':
      return void console.log(usage);
    default:
      throw new ConfigError(`unknown command '${command}'\n${usage}`);
  }
}

const argv = process.argv.slice(2);
main(argv).catch((err: unknown) => {
  // Refusals carry messages written for the operator; anything else is a bug.
  if (err instanceof ConfigError || err instanceof RootKeyError || err instanceof CommandError) console.error(`keyhold: ${err.message}`);
  else console.error(argv[0] === 'serve' ? 'keyhold: failed to start:' : 'keyhold: failed:', err);
  process.exitCode = 1;
});
