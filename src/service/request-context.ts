// The condition keys a KMS request carries into policy evaluation (names lower-cased, as the
// policy engine compares them): who calls, what key, and the request's encryption context.
import type { Principal } from '../auth/principal.js';
import type { KeyRecord } from '../core/keys.js';
import type { ConditionValue, RequestContext } from '../policy/types.js';

export interface RequestFacts {
  readonly principal: Principal;
  readonly action: string;
  readonly key: KeyRecord;
  readonly now: Date;
  readonly encryptionContext: Readonly<Record<string, string>> | undefined;
}

/** The context for one request. Its condition values are built on first use: a policy without
 *  conditions (the default key policy) never pays for them. */
export function requestContext(facts: RequestFacts): RequestContext {
  let values: ReadonlyMap<string, ConditionValue> | undefined;
  return {
    principalArn: facts.principal.arn,
    principalAccount: facts.principal.accountId,
    roleArn: undefined,
    action: facts.action,
    resource: facts.key.arn,
    get values() {
      return (values ??= conditionValues(facts));
    },
  };
}

function conditionValues(facts: RequestFacts): ReadonlyMap<string, ConditionValue> {
  const { principal, key } = facts;
  const values = new Map<string, ConditionValue>([
    ['aws:principalarn', principal.arn],
    ['aws:principalaccount', principal.accountId],
    ['aws:principaltype', principal.type === 'Root' ? 'Account' : principal.type],
    ['aws:currenttime', facts.now.toISOString()],
    ['aws:epochtime', String(Math.floor(facts.now.getTime() / 1000))],
    ['kms:calleraccount', principal.accountId],
    ['kms:keyspec', key.keySpec],
    ['kms:keyusage', key.keyUsage],
    ['kms:keyorigin', key.origin],
  ]);
  if (facts.encryptionContext !== undefined) {
    const keys = Object.keys(facts.encryptionContext);
    // "The key name in kms:EncryptionContext:context-key is not case sensitive"; values are.
    for (const k of keys) values.set(`kms:encryptioncontext:${k.toLowerCase()}`, facts.encryptionContext[k] ?? '');
    values.set('kms:encryptioncontextkeys', keys);
  }
  return values;
}
