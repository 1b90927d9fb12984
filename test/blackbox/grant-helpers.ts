// Shared by the grant suites: IAM users made through the real IAM API, each with an access key
// and a KMS client signing as it (a user with no policy can do only what grants allow), and
// CreateGrant returning both of its results.
import assert from 'node:assert/strict';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { CreateGrantCommand, type CreateGrantCommandInput, type KMSClient } from '@aws-sdk/client-kms';
import { clientsFor } from '../harness/accounts.js';
import type { RunningServer } from '../harness/server.js';

export interface TestUser {
  readonly arn: string;
  readonly kms: KMSClient;
}

/** A new IAM user (through `iam`, so in that client's account) with an access key; `statements`
 *  become its inline policy when given. */
export async function newUser(server: RunningServer, iam: IAMClient, name: string, statements?: readonly object[]): Promise<TestUser> {
  const { User } = await iam.send(new CreateUserCommand({ UserName: name }));
  if (statements) {
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
  }
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  assert.ok(User?.Arn && AccessKey?.AccessKeyId && AccessKey.SecretAccessKey, 'CreateUser and CreateAccessKey answered');
  return { arn: User.Arn, kms: clientsFor(server, { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey }).kms };
}

/** CreateGrant, which must succeed; its GrantId and GrantToken. */
export async function createGrant(kms: KMSClient, input: CreateGrantCommandInput): Promise<{ GrantId: string; GrantToken: string }> {
  const { GrantId, GrantToken } = await kms.send(new CreateGrantCommand(input));
  assert.ok(GrantId !== undefined && GrantToken !== undefined, 'CreateGrant returned GrantId and GrantToken');
  return { GrantId, GrantToken };
}
