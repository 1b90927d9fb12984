// Alias name rules shared by CreateAlias, UpdateAlias and DeleteAlias (AWS API reference).
import { fail } from '../../core/errors.js';
import type { KeyRecord } from '../../core/keys.js';

const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]+$/;

export function checkAliasName(name: string): void {
  if (!name.startsWith('alias/')) fail('ValidationException', 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  if (name.startsWith('alias/aws/')) fail('InvalidAliasNameException', 'Alias names that begin with alias/aws/ are reserved for AWS managed keys.');
  if (!ALIAS_NAME.test(name)) fail('InvalidAliasNameException', `Alias name '${name}' may contain only alphanumerics, '/', '_' and '-' after alias/.`);
}

/** An alias may move only between keys of the same type and usage (AWS UpdateAlias). */
export function checkSameKind(from: KeyRecord, to: KeyRecord): void {
  if (from.keySpec !== to.keySpec || from.keyUsage !== to.keyUsage) {
    fail('ValidationException', `${to.arn} is not the same type of key as the alias's current key: both must have the same key spec and key usage.`);
  }
}
