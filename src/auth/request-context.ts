// The condition keys a request carries into policy evaluation (names lower-cased, as the policy
// engine compares them): who calls and from where, what resource, and what the request asks.
import type { KeyRecord, Tag } from '../core/keys.js';
import type { ConditionValue, RequestContext } from '../policy/types.js';
import type { Principal } from './principal.js';

/** Where a request came from, for aws:SourceIp and aws:SecureTransport. */
export interface Origin {
  readonly sourceIp: string;
  readonly secureTransport: boolean;
}

/** The key a request acts on, with what its policies' conditions may ask about it. */
export interface KeyFacts {
  readonly record: KeyRecord;
  /** kms:ResourceAliases: the key's alias names. */
  readonly aliases: () => readonly string[];
  /** aws:ResourceTag/<key>. */
  readonly tags: () => readonly Tag[];
}

export interface RequestFacts {
  readonly principal: Principal;
  /** `kms:Encrypt`, `iam:CreateUser`, `sts:AssumeRole`… */
  readonly action: string;
  /** The ARN acted on (a key, a user, a role), or `*`. */
  readonly resource: string;
  readonly now: Date;
  readonly origin: Origin | undefined;
  readonly key?: KeyFacts | undefined;
  readonly encryptionContext?: Readonly<Record<string, string>> | undefined;
  /** Keys only this request has (kms:RequestAlias, kms:GrantOperations, aws:RequestTag/…,
   *  sts:ExternalId…), names already lower-cased. */
  readonly extra?: Readonly<Record<string, ConditionValue>> | undefined;
}

/** The context for one request. Its condition values are built on first use: a policy without
 *  conditions (the default key policy) never pays for them. */
export function requestContext(facts: RequestFacts): RequestContext {
  return new LazyContext(facts);
}

// A class rather than an object literal with a getter: this runs on every request, and V8 builds
// class instances far faster than accessor literals.
class LazyContext implements RequestContext {
  readonly principalArn: string;
  readonly principalAccount: string;
  readonly roleArn: string | undefined;
  readonly action: string;
  readonly resource: string;
  readonly #facts: RequestFacts;
  #values: ReadonlyMap<string, ConditionValue> | undefined;

  constructor(facts: RequestFacts) {
    this.principalArn = facts.principal.arn;
    this.principalAccount = facts.principal.accountId;
    this.roleArn = facts.principal.roleArn;
    this.action = facts.action;
    this.resource = facts.resource;
    this.#facts = facts;
  }

  get values(): ReadonlyMap<string, ConditionValue> {
    return (this.#values ??= conditionValues(this.#facts));
  }
}

function conditionValues(facts: RequestFacts): ReadonlyMap<string, ConditionValue> {
  const { principal, key, origin } = facts;
  const values = new Map<string, ConditionValue>([
    // A session's aws:PrincipalArn is its role's ARN (IAM: AWS global condition context keys).
    ['aws:principalarn', principal.roleArn ?? principal.arn],
    ['aws:principalaccount', principal.accountId],
    ['aws:principaltype', principal.type === 'Root' ? 'Account' : principal.type],
    ['aws:userid', principal.userId],
    ['aws:currenttime', facts.now.toISOString()],
    ['aws:epochtime', String(Math.floor(facts.now.getTime() / 1000))],
    ['aws:multifactorauthpresent', 'false'],
    ['kms:calleraccount', principal.accountId],
  ]);
  if (principal.type === 'IAMUser') values.set('aws:username', principal.arn.slice(principal.arn.lastIndexOf('/') + 1));
  if (principal.tokenIssuedAt !== undefined) values.set('aws:tokenissuetime', principal.tokenIssuedAt.toISOString());
  if (origin !== undefined) {
    values.set('aws:sourceip', origin.sourceIp);
    values.set('aws:securetransport', String(origin.secureTransport));
  }
  if (key !== undefined) {
    values.set('kms:keyspec', key.record.keySpec);
    values.set('kms:keyusage', key.record.keyUsage);
    values.set('kms:keyorigin', key.record.origin);
    values.set('kms:resourcealiases', key.aliases());
    // "The tag key … is not case sensitive" for aws:ResourceTag; values are.
    for (const tag of key.tags()) values.set(`aws:resourcetag/${tag.TagKey.toLowerCase()}`, tag.TagValue);
  }
  if (facts.encryptionContext !== undefined) {
    const keys = Object.keys(facts.encryptionContext);
    // "The key name in kms:EncryptionContext:context-key is not case sensitive"; values are.
    for (const k of keys) values.set(`kms:encryptioncontext:${k.toLowerCase()}`, facts.encryptionContext[k] ?? '');
    values.set('kms:encryptioncontextkeys', keys);
  }
  if (facts.extra !== undefined) for (const [k, v] of Object.entries(facts.extra)) values.set(k, v);
  return values;
}
