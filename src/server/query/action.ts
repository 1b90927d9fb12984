// What an IAM or STS action module declares and receives (the AWS query protocol's counterpart of
// service/operation.ts). The endpoint authenticates and parses; an action authorises and acts.
import type { Identities } from '../../auth/identities.js';
import type { Principal } from '../../auth/principal.js';
import type { Origin, RequestFacts } from '../../auth/request-context.js';
import type { RootKey } from '../../backends/software/root-key.js';
import type { Clock, Random } from '../../core/clock.js';
import type { Store } from '../../store/store.js';
import type { QueryParams } from './form.js';
import type { XmlObject } from './xml.js';

export interface QueryDeps {
  readonly store: Store;
  /** Wraps the secrets of new access keys and sessions. */
  readonly root: RootKey;
  readonly identities: Identities;
  readonly clock: Clock;
  readonly random: Random;
}

export interface QueryCall {
  readonly params: QueryParams;
  readonly principal: Principal;
  readonly origin: Origin;
  readonly requestId: string;
  readonly deps: QueryDeps;
  /** Refuses with AccessDenied unless the caller's identity (and session) policies allow `action`
   *  on `resource` (an ARN or `*`); account roots are allowed. */
  readonly authorize: (action: string, resource: string, extra?: RequestFacts['extra']) => void;
}

export interface QueryAction {
  /** The Action parameter, e.g. `CreateUser`. */
  readonly name: string;
  /** The `<Action>Result` element's content, or undefined for an empty result. */
  run(call: QueryCall): Promise<XmlObject | undefined>;
}

/** The statuses of the IAM and STS errors keyhold returns (AWS IAM and STS API references). */
export const queryErrorStatus = {
  AccessDenied: 403,
  DeleteConflict: 409,
  EntityAlreadyExists: 409,
  ExpiredToken: 400,
  IncompleteSignature: 400,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  InvalidInput: 400,
  InvalidParameterValue: 400,
  LimitExceeded: 409,
  MalformedPolicyDocument: 400,
  MissingAction: 400,
  MissingAuthenticationToken: 403,
  MissingParameter: 400,
  NoSuchEntity: 404,
  PackedPolicyTooLarge: 400,
  RegionDisabledException: 403,
  ServiceFailure: 500,
  SignatureDoesNotMatch: 403,
  ValidationError: 400,
} as const satisfies Record<string, number>;

export type QueryErrorCode = keyof typeof queryErrorStatus;

/** An IAM or STS error for the client; like KmsError, its message must never hold a secret. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly code: QueryErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return queryErrorStatus[this.code];
  }
}

export function queryFail(code: QueryErrorCode, message: string): never {
  throw new QueryError(code, message);
}

/** Declares an action; the identity function exists for the type inference. */
export function defineAction(action: QueryAction): QueryAction {
  return action;
}
