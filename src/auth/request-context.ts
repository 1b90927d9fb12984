// The condition keys a request carries into policy evaluation (names lower-cased, as the policy
// engine compares them): who calls and from where, what resource, and what the request asks.
import type { KeyRecord, Tag } from '../core/keys.js';
import type { ConditionValue, ConditionValues, RequestContext } from '../policy/types.js';
import type { Principal } from './principal.js';

/** Where a request came from, for aws:SourceIp, aws:SecureTransport and kms:ViaService. */
export interface Origin {
  readonly sourceIp: string;
  readonly secureTransport: boolean;
  /** kms:ViaService (`<service>.<region>.amazonaws.com`) when the request proved it came through a
   *  registered integrated service; absent otherwise. */
  readonly viaService?: string | undefined;
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

/** The context for one request. Each condition value is computed when a policy asks for it: a
 *  policy without conditions (the default key policy) never pays for any. */
export function requestContext(facts: RequestFacts): RequestContext {
  return new LazyContext(facts);
}

// A class rather than an object literal: this runs on every request, and V8 builds class
// instances far faster than literals with accessors.
class LazyContext implements RequestContext, ConditionValues {
  readonly principalArn: string;
  readonly principalAccount: string;
  readonly roleArn: string | undefined;
  readonly action: string;
  readonly resource: string;
  readonly #facts: RequestFacts;

  constructor(facts: RequestFacts) {
    this.principalArn = facts.principal.arn;
    this.principalAccount = facts.principal.accountId;
    this.roleArn = facts.principal.roleArn;
    this.action = facts.action;
    this.resource = facts.resource;
    this.#facts = facts;
  }

  get values(): ConditionValues {
    return this;
  }

  get(name: string): ConditionValue | undefined {
    const { extra } = this.#facts;
    if (extra !== undefined && Object.hasOwn(extra, name)) return extra[name];
    return conditionValue(this.#facts, name);
  }
}

const EC_PREFIX = 'kms:encryptioncontext:';
const RESOURCE_TAG_PREFIX = 'aws:resourcetag/';

/** One condition key's value for the request (`name` lower-cased), or undefined when absent. */
function conditionValue(facts: RequestFacts, name: string): ConditionValue | undefined {
  const { principal, key, origin } = facts;
  switch (name) {
    // A session's aws:PrincipalArn is its role's ARN (IAM: AWS global condition context keys).
    case 'aws:principalarn': return principal.roleArn ?? principal.arn;
    case 'aws:principalaccount': return principal.accountId;
    case 'aws:principaltype': return principal.type === 'Root' ? 'Account' : principal.type;
    case 'aws:userid': return principal.userId;
    case 'aws:username': return principal.type === 'IAMUser' ? principal.arn.slice(principal.arn.lastIndexOf('/') + 1) : undefined;
    case 'aws:currenttime': return facts.now.toISOString();
    case 'aws:epochtime': return String(Math.floor(facts.now.getTime() / 1000));
    case 'aws:multifactorauthpresent': return 'false';
    case 'aws:tokenissuetime': return principal.tokenIssuedAt?.toISOString();
    case 'aws:sourceip': return origin?.sourceIp;
    case 'aws:securetransport': return origin === undefined ? undefined : String(origin.secureTransport);
    case 'kms:calleraccount': return principal.accountId;
    case 'kms:viaservice': return origin?.viaService;
    case 'kms:keyspec': return key?.record.keySpec;
    case 'kms:keyusage': return key?.record.keyUsage;
    case 'kms:keyorigin': return key?.record.origin;
    case 'kms:resourcealiases': return key?.aliases();
    case 'kms:encryptioncontextkeys': return facts.encryptionContext === undefined ? undefined : Object.keys(facts.encryptionContext);
  }
  // "The key name in kms:EncryptionContext:context-key is not case sensitive"; values are.
  if (name.startsWith(EC_PREFIX)) return lastCaseInsensitive(facts.encryptionContext, name.slice(EC_PREFIX.length));
  // "The tag key … is not case sensitive" for aws:ResourceTag; values are.
  if (name.startsWith(RESOURCE_TAG_PREFIX) && key !== undefined) {
    const wanted = name.slice(RESOURCE_TAG_PREFIX.length);
    let found: string | undefined;
    for (const tag of key.tags()) if (tag.TagKey.toLowerCase() === wanted) found = tag.TagValue;
    return found;
  }
  return undefined;
}

/** The value of the last key equal to `lowerName` ignoring case (a context may hold `A` and `a`). */
function lastCaseInsensitive(record: Readonly<Record<string, string>> | undefined, lowerName: string): string | undefined {
  if (record === undefined) return undefined;
  let found: string | undefined;
  for (const k in record) if (k.toLowerCase() === lowerName) found = record[k];
  return found;
}
