// The bench's command line (`npm run bench -- --store postgres --nodes 1,2`); everything else is
// set from the environment (config.ts). Without arguments the bench runs as it always has.
import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** `postgres`: run the scale-out suite (PostgreSQL against SQLite, issue 7). */
  readonly store: 'sqlite' | 'postgres' | undefined;
  /** Node counts to measure on PostgreSQL, e.g. [1, 2]. */
  readonly nodes: readonly number[];
}

function parseNodes(raw: string): number[] {
  const nodes = raw.split(',').map((s) => Number(s.trim()));
  if (nodes.length === 0 || nodes.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) throw new Error(`--nodes ${raw}: expected a comma-separated list of counts from 1 to 8`);
  return [...new Set(nodes)];
}

export function benchArgs(argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  const { values } = parseArgs({ args: [...argv], options: { store: { type: 'string' }, nodes: { type: 'string' } }, strict: true });
  const store = values.store;
  if (store !== undefined && store !== 'sqlite' && store !== 'postgres') throw new Error(`--store ${store}: expected sqlite or postgres`);
  if (values.nodes !== undefined && store !== 'postgres') throw new Error('--nodes needs --store postgres');
  return { store, nodes: parseNodes(values.nodes ?? '1,2') };
}
