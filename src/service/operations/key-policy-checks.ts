// Rules shared by the key policy operations: the only policy name is "default" (AWS API
// reference), and a new policy must parse and must not lock its caller out.
import type { Principal } from '../../auth/principal.js';
import { fail } from '../../core/errors.js';
import type { KeyRecord } from '../../core/keys.js';
import { parsePolicy } from '../../policy/document.js';
import { wouldLockOut } from '../../policy/evaluate.js';
import { requestContext } from '../../auth/request-context.js';

export const DEFAULT_POLICY_NAME = 'default';

export function checkPolicyName(key: KeyRecord, name: string | undefined): void {
  if (name !== undefined && name !== DEFAULT_POLICY_NAME) fail('NotFoundException', `Policy '${name}' of ${key.arn} does not exist: the only key policy name is "default".`);
}

/** Parses `text` as a key policy (MalformedPolicyDocumentException) and, unless `bypass`, refuses one
 *  that would not let `principal` change it again (the lockout safety check). */
export function checkNewKeyPolicy(text: string, key: KeyRecord, principal: Principal, now: Date, bypass: boolean | undefined): void {
  const document = parsePolicy(text, 'key');
  const ctx = requestContext({ principal, action: 'kms:PutKeyPolicy', resource: key.arn, now, origin: undefined });
  if (bypass !== true && wouldLockOut(document, ctx)) {
    fail('MalformedPolicyDocumentException', 'The new key policy will not allow you to update the key policy in the future.');
  }
}
