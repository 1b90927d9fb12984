// Which key states each kind of operation accepts, and AWS's errors for the others
// (the key-state table of the AWS KMS Developer Guide).
import { fail } from '../core/errors.js';
import type { KeyRecord, KeyState } from '../core/keys.js';

export type StateRule =
  | 'any'
  /** Cryptographic use: Enabled only; Disabled is DisabledException, the rest KMSInvalidStateException. */
  | 'crypto'
  /** Management of a live key: every state but PendingDeletion (and PendingImport where listed). */
  | readonly KeyState[];

const words: Record<KeyState, string> = {
  Creating: 'being created',
  Enabled: 'enabled',
  Disabled: 'disabled',
  PendingDeletion: 'pending deletion',
  PendingImport: 'pending import',
  PendingReplicaDeletion: 'pending replica deletion',
  Unavailable: 'unavailable',
  Updating: 'being updated',
};

export const MANAGE: readonly KeyState[] = ['Enabled', 'Disabled', 'PendingImport'];
export const ENABLE_DISABLE: readonly KeyState[] = ['Enabled', 'Disabled'];

/** `now` matters for imported material: from its ValidTo on, the key is pending import for
 *  cryptographic use even before the scheduler records it (import-expiry.ts). */
export function checkState(rule: StateRule, key: KeyRecord, now?: Date): void {
  if (rule === 'any') return;
  if (rule === 'crypto') {
    if (key.state === 'Enabled' && (key.validTo === null || now === undefined || now < key.validTo)) return;
    if (key.state === 'Enabled') fail('KMSInvalidStateException', `${key.arn} is ${words.PendingImport}.`);
    if (key.state === 'Disabled') fail('DisabledException', `${key.arn} is disabled.`);
    fail('KMSInvalidStateException', `${key.arn} is ${words[key.state]}.`);
  }
  if (rule.includes(key.state)) return;
  if (rule.length === 1 && rule[0] === 'PendingDeletion') fail('KMSInvalidStateException', `${key.arn} is not pending deletion.`);
  fail('KMSInvalidStateException', `${key.arn} is ${words[key.state]}.`);
}
