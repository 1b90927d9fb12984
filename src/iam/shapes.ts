// The XML shapes of IAM's User, Role and AccessKeyMetadata, with the elements the AWS SDKs read.
import type { XmlObject } from '../server/query/xml.js';
import type { RoleRecord, UserRecord } from '../store/identity-records.js';
import type { AccessKeyRecord } from '../store/store.js';

export const userXml = (user: UserRecord): XmlObject => ({
  Path: user.path,
  UserName: user.name,
  UserId: user.userId,
  Arn: user.arn,
  CreateDate: user.createdAt,
});

export const roleXml = (role: RoleRecord): XmlObject => ({
  Path: role.path,
  RoleName: role.name,
  RoleId: role.roleId,
  Arn: role.arn,
  CreateDate: role.createdAt,
  AssumeRolePolicyDocument: encodePolicyDocument(role.trustPolicy),
  // AWS leaves Description out when the role has none.
  Description: role.description === '' ? undefined : role.description,
  MaxSessionDuration: role.maxSessionDurationSeconds,
});

export const accessKeyMetadataXml = (key: AccessKeyRecord & { readonly userName: string }): XmlObject => ({
  UserName: key.userName,
  AccessKeyId: key.id,
  Status: key.status,
  CreateDate: key.createdAt,
});

/** "Policies returned by this operation are URL-encoded compliant with RFC 3986" (IAM API
 *  reference, GetUserPolicy, GetRolePolicy, GetRole): every byte but the unreserved characters
 *  (A–Z a–z 0–9 - . _ ~) as %XX of its UTF-8. The SDKs hand this text over undecoded. */
export function encodePolicyDocument(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
