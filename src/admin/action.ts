// What an administrator action module declares and receives (the admin API's counterpart of
// service/operation.ts). The endpoint has already proved the caller is the keyhold administrator
// and parsed the JSON body; an action decodes its own input and acts.
import type { Principal } from '../auth/principal.js';
import type { RootKey } from '../backends/software/root-key.js';
import type { Clock, Random } from '../core/clock.js';
import type { Store } from '../store/store.js';
import type { DigestBody } from '../audit/digest-body.js';

export interface AdminDeps {
  readonly store: Store;
  /** Wraps the secrets of new accounts' root access keys. */
  readonly root: RootKey;
  readonly clock: Clock;
  readonly random: Random;
  /** Signs a digest of the audit chain head now; absent when the trail is off. */
  readonly auditDigest?: (() => Promise<DigestBody | undefined>) | undefined;
}

export interface AdminCall {
  /** The request body as parsed JSON, not yet validated. */
  readonly input: unknown;
  /** Always the administrator (`isAdmin`). */
  readonly principal: Principal;
  readonly deps: AdminDeps;
}

export interface AdminAction {
  /** The JSON response body. */
  run(call: AdminCall): Promise<object>;
}
