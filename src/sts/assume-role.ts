// AssumeRole: temporary credentials for a role whose trust policy allows the caller (STS API
// reference, AssumeRole). The session acts with the role's policies, narrowed by an optional
// session policy, until it expires or the role is deleted.
import type { Principal } from '../auth/principal.js';
import { DAY_MS } from '../core/clock.js';
import { parsePolicy } from '../policy/document.js';
import { defineAction, queryFail } from '../server/query/action.js';
import type { RoleRecord, SessionRecord } from '../store/identity-records.js';
import { MAX_SESSION_POLICY_CHARS, readAssumeRoleInput, type AssumeRoleInput } from './assume-role-input.js';
import { newTemporaryCredentials, storedSecrets } from './temporary-credentials.js';
import { trustingRole } from './trust.js';

/** "By default, the value is set to 3600 seconds" (AssumeRole, DurationSeconds). */
const DEFAULT_DURATION_SECONDS = 3600;
/** "Role chaining limits your … role session to a maximum of one hour" (ibid.). */
const ROLE_CHAINING_MAX_SECONDS = 3600;
/** Expired sessions stay a day, so that a client still using them hears ExpiredToken (which SDKs
 *  and people understand) rather than that the credentials never existed; then they go. */
const EXPIRED_SESSION_RETENTION_MS = DAY_MS;

export const AssumeRole = defineAction({
  name: 'AssumeRole',
  async run({ params, principal, origin, deps }) {
    const input = readAssumeRoleInput(params);
    // A malformed session policy is refused before anything else is looked at (MalformedPolicyDocument).
    if (input.policy !== undefined) parsePolicy(input.policy, 'session');
    const credentials = newTemporaryCredentials(deps.random, input.minimumTokenSize);
    const secrets = storedSecrets(deps.root, credentials);

    const session = await deps.store.transaction(async (tx) => {
      const now = deps.clock.now();
      const extra = { 'sts:rolesessionname': input.roleSessionName, ...(input.externalId === undefined ? {} : { 'sts:externalid': input.externalId }) };
      const role = await trustingRole(tx, { roleArn: input.roleArn, principal, now, origin, extra });
      const seconds = sessionSeconds(input, role, principal);
      const record: SessionRecord = {
        accessKeyId: credentials.accessKeyId,
        accountId: role.accountId,
        roleArn: role.arn,
        sessionName: input.roleSessionName,
        // Session ARNs name the role without its path (IAM identifiers, assumed-role ARNs).
        sessionArn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${input.roleSessionName}`,
        ...secrets,
        sessionPolicy: input.policy ?? null,
        issuedAt: now,
        expiresAt: new Date(now.getTime() + seconds * 1000),
      };
      await tx.insertSession(record);
      // Housekeeping in passing: the sessions_by_expiry index makes it cost what it removes.
      await tx.deleteExpiredSessions(new Date(now.getTime() - EXPIRED_SESSION_RETENTION_MS));
      return { record, roleId: role.roleId };
    });

    return {
      Credentials: {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: session.record.expiresAt,
      },
      AssumedRoleUser: { AssumedRoleId: `${session.roleId}:${input.roleSessionName}`, Arn: session.record.sessionArn },
      PackedPolicySize: input.policy === undefined ? undefined : packedPolicySize(input.policy),
      SessionTokenSize: Buffer.byteLength(credentials.sessionToken),
    };
  },
});

/** The session's lifetime. Checked only once the caller may assume the role: the role's
 *  MaxSessionDuration is the role's business (AWS's wording for both refusals). */
function sessionSeconds(input: AssumeRoleInput, role: RoleRecord, caller: Principal): number {
  const seconds = input.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  if (caller.type === 'AssumedRole' && seconds > ROLE_CHAINING_MAX_SECONDS) {
    queryFail('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (seconds > role.maxSessionDurationSeconds) queryFail('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  return seconds;
}

/** PackedPolicySize: how much of the allowed space the session policy takes, in percent (over
 *  100 fails, per the AssumeRole reference). AWS packs policies into a binary form whose budget
 *  it does not document; keyhold keeps the policy text in its store instead, so it reports the
 *  policy's compact JSON against the 2,048-character plaintext limit — never over 100, since
 *  longer text was already refused as a ValidationError. */
function packedPolicySize(policy: string): number {
  const compact = JSON.stringify(JSON.parse(policy));
  return Math.ceil((compact.length * 100) / MAX_SESSION_POLICY_CHARS);
}
