// The keyed rows: each workload on keyhold, then on the crypto ceiling in both crypto modes; the
// faster mode is the ceiling, so keyhold/ceiling never flatters keyhold by a slow choice of API.
// With a reference, the ceiling then runs once more in that mode with SigV4 verification (a
// minimal KMS), which tells keyhold's own overhead apart from the cost of authenticating.
import type { CeilingMode } from './ceiling-keys.js';
import type { KeyholdKeys } from './keyhold-keys.js';
import { keyedBody, type KeyFixture, type Workload } from './key-workloads.js';
import { measureRequests } from './measure-one.js';
import type { Server } from './processes.js';
import type { CryptoMode } from './raw-crypto.js';
import type { Measurement } from './result.js';
import type { Row } from './table.js';

export interface KeyedTargets {
  /** keyhold with its keys, or why it is absent. */
  readonly keyhold: { readonly server: Server; readonly keys: KeyholdKeys } | string;
  /** The crypto ceiling with its fixtures per mode and spec, or why it is absent. */
  readonly ceiling: { readonly server: Server; readonly fixture: (mode: CeilingMode, spec: Workload['spec']) => KeyFixture } | string;
}

type Cell = Measurement | string;

/** Measures every workload on both targets, one row each; `tag` names the setting in the log. */
export async function measureKeyedRows(targets: KeyedTargets, workloads: readonly Workload[], tag: string, withReference = false): Promise<Row[]> {
  const rows: Row[] = [];
  for (const w of workloads) {
    let keyhold: Cell = 'not run';
    if (typeof targets.keyhold !== 'string') {
      // A string says why keyhold has no key for this row (e.g. a build without Sign).
      const key = targets.keyhold.keys.get(w.spec) ?? `no ${w.spec} key`;
      keyhold = typeof key === 'string' ? key : await measureRequests(`keyhold ${tag} ${w.label}`, targets.keyhold.server, w.operation, keyedBody(w, key));
    }
    const c = targets.ceiling;
    if (typeof c === 'string') {
      rows.push({ label: w.label, keyhold, ceiling: 'not run' });
      continue;
    }
    const onCeiling = (mode: CeilingMode): Promise<Cell> => measureRequests(`ceiling ${tag} ${w.label} (${mode})`, c.server, w.operation, keyedBody(w, c.fixture(mode, w.spec)));
    let best: { ceiling: Cell; mode: CryptoMode } | undefined;
    for (const mode of ['sync', 'async'] as const) {
      const m = await onCeiling(mode);
      const better = best === undefined || typeof best.ceiling === 'string' || (typeof m !== 'string' && m.errors === 0 && m.rps > best.ceiling.rps);
      if (better) best = { ceiling: m, mode };
    }
    const { ceiling, mode } = best ?? { ceiling: 'not run', mode: 'sync' };
    const row: Row = { label: w.label, keyhold, ceiling, ceilingNote: mode };
    rows.push(withReference ? { ...row, reference: await onCeiling(`${mode}-sigv4`) } : row);
  }
  return rows;
}
