// Writes generated administrator credentials once, 0600, in the AWS shared-credentials format.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminCredentials } from '../auth/bootstrap.js';

export const PROFILE = 'keyhold';

export function writeCredentialsFile(dataDir: string, creds: AdminCredentials): string {
  const path = join(dataDir, 'credentials');
  const text = `[${PROFILE}]\naws_access_key_id = ${creds.accessKeyId}\naws_secret_access_key = ${creds.secretAccessKey}\n`;
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}
