// AssumeRole's parameters, read and checked against the STS API reference's constraints, with
// AWS's "N validation errors detected: …" wording. Values are not echoed back (but for a role ARN
// that is not an ARN, as AWS does): an ExternalId or a session policy is not the error log's business.
import type { QueryParams } from '../server/query/form.js';
import { queryFail } from '../server/query/action.js';

export interface AssumeRoleInput {
  readonly roleArn: string;
  readonly roleSessionName: string;
  /** Absent when not asked for; the action then uses the default of 3600 seconds. */
  readonly durationSeconds: number | undefined;
  readonly externalId: string | undefined;
  /** The inline session policy's text, as given. */
  readonly policy: string | undefined;
  /** MinimumSessionTokenSize: pad the session token to at least this many bytes. */
  readonly minimumTokenSize: number;
}

/** "The plaintext that you use for both inline and managed session policies can't exceed 2,048
 *  characters" (STS API reference, AssumeRole). */
export const MAX_SESSION_POLICY_CHARS = 2048;

/** What the request may carry: the protocol's own fields and the parameters keyhold honours. */
const ACCEPTED = new Set(['Action', 'Version', 'RoleArn', 'RoleSessionName', 'DurationSeconds', 'ExternalId', 'Policy', 'MinimumSessionTokenSize']);

/** AssumeRole parameters keyhold does not implement, refused by name rather than ignored: each
 *  would change who the session is or what it may do (session tags, managed session policies,
 *  source identity, MFA, trusted contexts). */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  PolicyArns: 'managed session policies (PolicyArns); pass an inline Policy instead',
  Tags: 'session tags (Tags)',
  TransitiveTagKeys: 'session tags (TransitiveTagKeys)',
  SourceIdentity: 'source identity (SourceIdentity)',
  SerialNumber: 'MFA (SerialNumber)',
  TokenCode: 'MFA (TokenCode)',
  ProvidedContexts: 'trusted context assertions (ProvidedContexts)',
};

const ROLE_SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;
const INTEGER = /^-?\d{1,15}$/;

/** Reads and checks AssumeRole's parameters. Throws ValidationError: first for a parameter
 *  keyhold does not take, then listing every broken constraint of the API model, then for a
 *  role ARN that is not ARN-shaped. */
export function readAssumeRoleInput(params: QueryParams): AssumeRoleInput {
  refuseUnsupported(params);
  const problems: string[] = [];
  const at = (member: string, constraint: string): void => void problems.push(`Value at '${member}' failed to satisfy constraint: ${constraint}`);
  const required = (name: string, member: string): string | undefined => {
    const value = params.get(name);
    if (value === undefined) problems.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    return value;
  };
  const length = (value: string | undefined, member: string, min: number, max: number): void => {
    if (value === undefined) return;
    if (value.length < min) at(member, `Member must have length greater than or equal to ${min}`);
    if (value.length > max) at(member, `Member must have length less than or equal to ${max}`);
  };
  const pattern = (value: string | undefined, member: string, matches: (text: string) => boolean, shown: string): void => {
    if (value !== undefined && !matches(value)) at(member, `Member must satisfy regular expression pattern: ${shown}`);
  };

  const roleArn = required('RoleArn', 'roleArn');
  length(roleArn, 'roleArn', 20, 2048);
  const roleSessionName = required('RoleSessionName', 'roleSessionName');
  length(roleSessionName, 'roleSessionName', 2, 64);
  pattern(roleSessionName, 'roleSessionName', (t) => ROLE_SESSION_NAME.test(t), '[\\w+=,.@-]*');
  const durationSeconds = integer(params.get('DurationSeconds'), 'durationSeconds', 900, 43200, at);
  const externalId = params.get('ExternalId');
  length(externalId, 'externalId', 2, 1224);
  pattern(externalId, 'externalId', (t) => EXTERNAL_ID.test(t), '[\\w+=,.@:\\/-]*');
  const policy = params.get('Policy');
  length(policy, 'policy', 1, MAX_SESSION_POLICY_CHARS);
  if (policy !== undefined && policy.length > 0) pattern(policy, 'policy', isPolicyText, '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+');
  const minimumTokenSize = integer(params.get('MinimumSessionTokenSize'), 'minimumSessionTokenSize', 0, 4096, at) ?? 0;

  if (problems.length > 0 || roleArn === undefined || roleSessionName === undefined) {
    const n = problems.length;
    queryFail('ValidationError', `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
  /* An ARN that is not even ARN-shaped is refused as AWS does ("<arn> is invalid"); one that is
   * ARN-shaped but names no role of keyhold's is, like a missing role, AccessDenied later. */
  if (!/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/s.test(roleArn)) queryFail('ValidationError', `${roleArn} is invalid`);
  return { roleArn, roleSessionName, durationSeconds, externalId, policy, minimumTokenSize };
}

function refuseUnsupported(params: QueryParams): void {
  for (const name of params.names()) {
    if (ACCEPTED.has(name)) continue;
    const base = name.split('.', 1)[0] ?? name;
    // The query protocol sends an empty list as `Name=` with no members: nothing is asked.
    if (name === base && params.get(name) === '' && Object.hasOwn(UNSUPPORTED, base)) continue;
    const what = Object.hasOwn(UNSUPPORTED, base) ? UNSUPPORTED[base] : undefined;
    if (what !== undefined) queryFail('ValidationError', `keyhold does not support ${what} in AssumeRole.`);
    queryFail('ValidationError', `AssumeRole has no parameter named ${JSON.stringify(name.slice(0, 64))}.`);
  }
}

/** The Policy pattern, [\u0009\u000A\u000D\u0020-\u00FF]+: tab, newline, return, and U+0020 to U+00FF. */
function isPolicyText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c <= 0xff))) return false;
  }
  return true;
}

function integer(text: string | undefined, member: string, min: number, max: number, at: (member: string, constraint: string) => void): number | undefined {
  if (text === undefined) return undefined;
  if (!INTEGER.test(text)) {
    at(member, 'Member must be an integer');
    return undefined;
  }
  const value = Number(text);
  if (value < min) at(member, `Member must have value greater than or equal to ${min}`);
  if (value > max) at(member, `Member must have value less than or equal to ${max}`);
  return value;
}
