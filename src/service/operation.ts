// What an operation module declares and receives. The pipeline does the shared steps
// (decode, authenticate, resolve, authorise, state check, dry run); a module supplies its own step.
import type { Principal } from '../auth/principal.js';
import type { LastUsage } from './last-usage.js';
import type { Origin } from '../auth/request-context.js';
import type { ConditionValue } from '../policy/types.js';
import type { Clock, Random } from '../core/clock.js';
import type { KeyBackend } from '../backends/key-backend.js';
import type { CryptoPool } from '../crypto/worker-pool.js';
import type { Store } from '../store/store.js';
import type { CachedKey, KeyCache } from './key-cache.js';
import type { StateRule } from './key-states.js';
import type { GrantTokens } from './operations/grant-token.js';
import type { ImportTokens } from './import-token.js';
import type { OperationName, OperationTypes } from './model/kms-model.js';

export type Input<N extends OperationName> = OperationTypes[N]['input'];
export type Output<N extends OperationName> = OperationTypes[N]['output'];

export interface ServiceDeps {
  readonly store: Store;
  readonly backend: KeyBackend;
  readonly keys: KeyCache;
  readonly clock: Clock;
  readonly random: Random;
  readonly region: string;
  /** Threads for cryptography too slow for the event loop; without it, everything runs inline. */
  readonly crypto?: CryptoPool;
  /** Where keys' last uses are noted (GetKeyLastUsage); absent in tests that do not track. */
  readonly lastUsage?: LastUsage;
}

export interface RequestInfo {
  readonly requestId: string;
  readonly principal: Principal;
  /** Where the request came from (aws:SourceIp, aws:SecureTransport). */
  readonly origin: Origin;
  /** The keys the request resolved, for its audit event (filled in by useKey). */
  readonly keysUsed?: { arn: string; accountId: string }[];
  /** What to do once the request's audit event is durable (e.g. note the key's last use). */
  readonly afterRecorded?: (() => void)[];
}

/** Condition keys only this request has (kms:EncryptionAlgorithm, aws:RequestTag/…), lower-cased. */
export type ExtraConditions = Readonly<Record<string, ConditionValue>>;

/** How a key named in a request is found and checked. */
export interface KeyUse {
  /** IAM action checked against the key, e.g. `kms:Encrypt`. */
  readonly action: string;
  readonly states: StateRule;
  /** Whether alias names and alias ARNs are accepted (AWS accepts them for cryptographic operations). */
  readonly aliases: boolean;
  /** The request's encryption context, for the kms:EncryptionContext condition keys. */
  readonly context?: Readonly<Record<string, string>> | undefined;
  /** The key id came from a ciphertext blob: the key may be in any account (authorisation
   *  decides), and a missing key is a bad ciphertext, not NotFoundException. */
  readonly fromCiphertext?: boolean;
  readonly extra?: ExtraConditions | undefined;
}

export interface Call<N extends OperationName> {
  readonly input: Input<N>;
  readonly deps: ServiceDeps;
  readonly request: RequestInfo;
  /** Resolves, authorises and state-checks a further key (e.g. ReEncrypt's destination). */
  readonly useKey: (keyId: string, use: KeyUse) => Promise<CachedKey>;
  /** Authorises an action on a resource that has no resource policy (`*`, an alias ARN) from the
   *  caller's identity and session policies; account roots are allowed. */
  readonly authorizeIdentity: (action: string, resource: string, extra?: ExtraConditions) => void;
  /** Issues grant tokens (CreateGrant) and opens them (RetireGrant). */
  readonly grantTokens: GrantTokens;
  /** Issues import tokens (GetParametersForImport) and opens them (ImportKeyMaterial). */
  readonly importTokens: ImportTokens;
}

/** An operation on one key the request names: resolved, authorised and checked before `run`. */
export interface KeyedOperation<N extends OperationName> {
  readonly name: N;
  readonly key: KeyUse & {
    readonly from: (input: Input<N>) => string;
    /** The encryption context the request carries, for policy conditions. */
    readonly contextOf?: (input: Input<N>) => Readonly<Record<string, string>> | undefined;
    /** Where one request resolves its key differently from the rest (Decrypt of a raw asymmetric
     *  ciphertext resolves the caller's KeyId, not a key named by a blob). */
    readonly useOf?: (input: Input<N>) => Partial<KeyUse> | undefined;
    /** Further condition keys the request carries. */
    readonly extraOf?: (input: Input<N>) => ExtraConditions | undefined;
  };
  run(call: Call<N>, key: CachedKey): Promise<Output<N>>;
}

/** An operation that names no key up front (CreateKey, ListKeys, GenerateRandom…). */
export interface PlainOperation<N extends OperationName> {
  readonly name: N;
  readonly key?: undefined;
  run(call: Call<N>): Promise<Output<N>>;
}

export type Operation<N extends OperationName = OperationName> = KeyedOperation<N> | PlainOperation<N>;

/** Declares an operation; the identity function exists for the type inference. */
export function defineOperation<N extends OperationName>(op: Operation<N>): Operation<N> {
  return op;
}
