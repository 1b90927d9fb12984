// The administrator's credentials for the `keyhold accounts` commands: KEYHOLD_ADMIN_ACCESS_KEY_ID
// and KEYHOLD_ADMIN_SECRET_ACCESS_KEY (as `keyhold serve` takes them), else the credentials file
// `keyhold serve` wrote in its data dir when it generated them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminCredentials } from '../auth/bootstrap.js';
import { CommandError } from './command-error.js';
import { PROFILE } from './credentials-file.js';

export function adminCredentials(env: NodeJS.ProcessEnv, dataDir: string): AdminCredentials {
  const accessKeyId = env.KEYHOLD_ADMIN_ACCESS_KEY_ID;
  const secretAccessKey = env.KEYHOLD_ADMIN_SECRET_ACCESS_KEY;
  if (accessKeyId !== undefined && secretAccessKey !== undefined) return { accessKeyId, secretAccessKey };
  if (accessKeyId !== undefined || secretAccessKey !== undefined) {
    throw new CommandError('KEYHOLD_ADMIN_ACCESS_KEY_ID and KEYHOLD_ADMIN_SECRET_ACCESS_KEY go together');
  }
  const path = join(dataDir, 'credentials');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no' : 'cannot read the';
    throw new CommandError(
      `no administrator credentials: set KEYHOLD_ADMIN_ACCESS_KEY_ID and KEYHOLD_ADMIN_SECRET_ACCESS_KEY, ` +
        `or pass the server's --data-dir (${reason} credentials file ${path})`,
    );
  }
  const found = parseCredentialsFile(text);
  if (!found) throw new CommandError(`the credentials file ${path} has no [${PROFILE}] profile with aws_access_key_id and aws_secret_access_key`);
  return found;
}

/** The [keyhold] profile of an AWS shared-credentials file (INI: `[profile]`, `name = value`,
 *  `#` and `;` comments). Never reports what it read: the file holds a secret. */
export function parseCredentialsFile(text: string): AdminCredentials | undefined {
  let profile: string | undefined;
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*([^\]]*?)\s*\]$/.exec(line);
    if (section) profile = section[1];
    else if (profile === PROFILE) {
      const eq = line.indexOf('=');
      if (eq > 0) values.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
    }
  }
  const accessKeyId = values.get('aws_access_key_id');
  const secretAccessKey = values.get('aws_secret_access_key');
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}
