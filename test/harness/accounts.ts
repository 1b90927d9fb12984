// Accounts and SDK clients for permission tests: a new account made with the real
// `keyhold accounts create`, and official KMS/IAM/STS clients for any credentials.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import { keyholdBin, testCredentials, type RunningServer } from './server.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface Account {
  readonly accountId: string;
  readonly credentials: Credentials;
}

/** `keyhold accounts create --name NAME` against `server`, as the administrator. */
export async function createAccount(server: RunningServer, name: string): Promise<Account> {
  const { stdout } = await promisify(execFile)(process.execPath, [keyholdBin, 'accounts', 'create', '--name', name], {
    env: {
      ...process.env,
      KEYHOLD_ENDPOINT: server.url,
      KEYHOLD_ADMIN_ACCESS_KEY_ID: testCredentials.accessKeyId,
      KEYHOLD_ADMIN_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
    },
  });
  const printed = JSON.parse(stdout) as { AccountId: string; AccessKeyId: string; SecretAccessKey: string };
  return { accountId: printed.AccountId, credentials: { accessKeyId: printed.AccessKeyId, secretAccessKey: printed.SecretAccessKey } };
}

export interface Clients {
  readonly kms: KMSClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
}

/** Official clients signing with `credentials`; no retries, so every refusal is seen as it is. */
export function clientsFor(server: RunningServer, credentials: Credentials): Clients {
  const config = { endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 };
  return { kms: new KMSClient(config), iam: new IAMClient(config), sts: new STSClient(config) };
}
