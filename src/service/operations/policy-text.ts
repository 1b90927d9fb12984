// Key policy documents as text: the default policy, and the well-formedness check CreateKey needs
// before policies are evaluated (issue 3).
import { fail } from '../../core/errors.js';

/** AWS's default key policy: the account's root may use and manage the key, and IAM policies apply. */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

/** Returns the policy text when it is a JSON object with a Statement; MalformedPolicyDocumentException otherwise. */
export function parsePolicy(text: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    fail('MalformedPolicyDocumentException', 'The new key policy is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !('Statement' in doc)) {
    fail('MalformedPolicyDocumentException', 'The new key policy must be a JSON object with a Statement.');
  }
  return text;
}
