// The rule for integrated service names in administrator requests.
import { SERVICE_NAME } from '../auth/service-tokens.js';
import { stringField } from './input.js';

/** A lower-case letter, then 1–62 lower-case letters, digits or hyphens: the name appears in
 *  `alias/aws/<name>` and in the host-like kms:ViaService value `<name>.<region>.amazonaws.com`. */
export const serviceNameField = stringField(true, {
  min: 2,
  max: 63,
  pattern: { regex: SERVICE_NAME, says: 'Member must satisfy regular expression pattern: ^[a-z][a-z0-9-]{1,62}$' },
});
