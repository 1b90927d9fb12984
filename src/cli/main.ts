// The `keyhold` command.
import { RootKeyError } from '../backends/software/root-key.js';
import { ConfigError, serveUsage } from './config.js';
import { serve } from './serve.js';

const usage = `Usage: keyhold <command>
Commands:
  serve     run the KMS server (keyhold serve --help)`;

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      if (rest.includes('--help')) return void console.log(serveUsage);
      return serve(rest, process.env);
    case undefined:
    case '--help':
    case 'help':
      return void console.log(usage);
    default:
      throw new ConfigError(`unknown command '${command}'\n${usage}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // Start-up refusals carry messages written for the operator; anything else is a bug.
  if (err instanceof ConfigError || err instanceof RootKeyError) console.error(`keyhold: ${err.message}`);
  else console.error('keyhold: failed to start:', err);
  process.exitCode = 1;
});
