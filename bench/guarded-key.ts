// The authorization workload: a key whose policy looks like a real customer's (10 statements,
// most with conditions) and which carries 50 grants to other principals, so every Encrypt on it
// evaluates all of them. Compared with Encrypt on a key under the default policy.
import { CreateGrantCommand, CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { ENCRYPTION_CONTEXT } from './payloads.js';

export const GRANTS_ON_GUARDED_KEY = 50;
const ACCOUNT = '000000000000';
const PARTNER = '111122223333';
const role = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/** Ten statements as a customer writes them: admin and app roles, context and network
 *  conditions, guard-rail denies that apply to every request and must be evaluated each time. */
export function realisticPolicy(): string {
  const statements = [
    { Sid: 'RootWithinAccount', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } },
    { Sid: 'KeyAdministrators', Effect: 'Allow', Principal: { AWS: role('KeyAdmins') }, Resource: '*',
      Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'] },
    { Sid: 'AppEncrypts', Effect: 'Allow', Principal: { AWS: role('app-encrypt') }, Action: ['kms:Encrypt', 'kms:GenerateDataKey*'], Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:tenant': ENCRYPTION_CONTEXT.tenant } } },
    { Sid: 'AppDecrypts', Effect: 'Allow', Principal: { AWS: role('app-decrypt') }, Action: 'kms:Decrypt', Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:tenant': ENCRYPTION_CONTEXT.tenant }, IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '127.0.0.0/8'] } } },
    { Sid: 'Auditors', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/auditor` }, Action: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:ListGrants'], Resource: '*' },
    { Sid: 'ProviderGrants', Effect: 'Allow', Principal: { AWS: role('provider') }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } } },
    { Sid: 'NotAfter2099', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*',
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' } } },
    { Sid: 'TenantContextRequired', Effect: 'Deny', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*',
      Condition: { Null: { 'kms:EncryptionContext:tenant': 'true' } } },
    { Sid: 'KnownAccountsOnly', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*',
      Condition: { StringNotEqualsIfExists: { 'aws:PrincipalAccount': [ACCOUNT, PARTNER] } } },
    { Sid: 'PartnerWithKnownContext', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*',
      Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenant', 'purpose'] } } },
  ];
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Creates the guarded key through the real SDK and returns its id. */
export async function createGuardedKey(kms: KMSClient): Promise<string> {
  const created = await kms.send(new CreateKeyCommand({ Description: 'keyhold bench: realistic policy and 50 grants', Policy: realisticPolicy() }));
  const keyId = created.KeyMetadata?.KeyId;
  if (keyId === undefined) throw new Error('CreateKey returned no KeyMetadata.KeyId');
  for (let i = 0; i < GRANTS_ON_GUARDED_KEY; i++) {
    await kms.send(new CreateGrantCommand({
      KeyId: keyId,
      GranteePrincipal: role(`grantee-${i}`),
      Operations: ['Encrypt', 'Decrypt', 'GenerateDataKey'],
      Constraints: { EncryptionContextSubset: { tenant: `tenant-${i}` } },
    }));
  }
  return keyId;
}
