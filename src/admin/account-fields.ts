// The rules for account names and ids in administrator requests, shared by the account actions.
import { stringField } from './input.js';

/** 1–64 printable characters (no control, format or unassigned code points, no line breaks), not
 *  starting or ending with a space: names are shown in tables and compared by people. */
export const accountNameField = stringField(true, {
  min: 1,
  max: 64,
  pattern: {
    regex: /^[^\p{C}\p{Z}](?:[^\p{C}\p{Zl}\p{Zp}]*[^\p{C}\p{Z}])?$/u,
    says: 'Member must consist of printable characters and must not start or end with a space',
  },
});

export const accountIdField = stringField(true, { min: 12, max: 12, pattern: { regex: /^\d{12}$/, says: 'Member must satisfy regular expression pattern: ^[0-9]{12}$' } });

/** Names are unique without regard to case, so "Payments" and "payments" cannot both exist. */
export const sameAccountName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
