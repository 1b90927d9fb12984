// Every AWS KMS operation, in one exhaustive table: a missing entry does not compile.
import type { OperationName } from '../model/kms-model.js';
import type { Operation } from '../operation.js';
import { CancelKeyDeletion } from './cancel-key-deletion.js';
import { CreateAlias } from './create-alias.js';
import { CreateGrant } from './create-grant.js';
import { CreateKey } from './create-key.js';
import { Decrypt } from './decrypt.js';
import { DeleteAlias } from './delete-alias.js';
import { DescribeKey } from './describe-key.js';
import { DisableKey } from './disable-key.js';
import { EnableKey } from './enable-key.js';
import { Encrypt } from './encrypt.js';
import { GenerateDataKey } from './generate-data-key.js';
import { GenerateDataKeyWithoutPlaintext } from './generate-data-key-without-plaintext.js';
import { GenerateRandom } from './generate-random.js';
import { ListAliases } from './list-aliases.js';
import { ListGrants } from './list-grants.js';
import { ListKeys } from './list-keys.js';
import { ListResourceTags } from './list-resource-tags.js';
import { ListRetirableGrants } from './list-retirable-grants.js';
import { ReEncrypt } from './re-encrypt.js';
import { RetireGrant } from './retire-grant.js';
import { RevokeGrant } from './revoke-grant.js';
import { ScheduleKeyDeletion } from './schedule-key-deletion.js';
import { TagResource } from './tag-resource.js';
import { UntagResource } from './untag-resource.js';
import { UpdateAlias } from './update-alias.js';
import { UpdateKeyDescription } from './update-key-description.js';
import { PutKeyPolicy } from './put-key-policy.js';
import { GetKeyPolicy } from './get-key-policy.js';
import { ListKeyPolicies } from './list-key-policies.js';
import { unsupported } from './unsupported.js';
import { DeriveSharedSecret } from './derive-shared-secret.js';
import { GenerateDataKeyPair } from './generate-data-key-pair.js';
import { GenerateDataKeyPairWithoutPlaintext } from './generate-data-key-pair-without-plaintext.js';
import { GenerateMac } from './generate-mac.js';
import { GetPublicKey } from './get-public-key.js';
import { Sign } from './sign.js';
import { Verify } from './verify.js';
import { VerifyMac } from './verify-mac.js';

export const operations: { readonly [N in OperationName]: Operation<N> } = {
  CancelKeyDeletion,
  ConnectCustomKeyStore: unsupported('ConnectCustomKeyStore'),
  CreateAlias,
  CreateCustomKeyStore: unsupported('CreateCustomKeyStore'),
  CreateGrant,
  CreateKey,
  Decrypt,
  DeleteAlias,
  DeleteCustomKeyStore: unsupported('DeleteCustomKeyStore'),
  DeleteImportedKeyMaterial: unsupported('DeleteImportedKeyMaterial'),
  DeriveSharedSecret,
  DescribeCustomKeyStores: unsupported('DescribeCustomKeyStores'),
  DescribeKey,
  DisableKey,
  DisableKeyRotation: unsupported('DisableKeyRotation'),
  DisconnectCustomKeyStore: unsupported('DisconnectCustomKeyStore'),
  EnableKey,
  EnableKeyRotation: unsupported('EnableKeyRotation'),
  Encrypt,
  GenerateDataKey,
  GenerateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext,
  GenerateDataKeyWithoutPlaintext,
  GenerateMac,
  GenerateRandom,
  GetKeyLastUsage: unsupported('GetKeyLastUsage'),
  GetKeyPolicy,
  GetKeyRotationStatus: unsupported('GetKeyRotationStatus'),
  GetParametersForImport: unsupported('GetParametersForImport'),
  GetPublicKey,
  ImportKeyMaterial: unsupported('ImportKeyMaterial'),
  ListAliases,
  ListGrants,
  ListKeyPolicies,
  ListKeyRotations: unsupported('ListKeyRotations'),
  ListKeys,
  ListResourceTags,
  ListRetirableGrants,
  PutKeyPolicy,
  ReEncrypt,
  ReplicateKey: unsupported('ReplicateKey'),
  RetireGrant,
  RevokeGrant,
  RotateKeyOnDemand: unsupported('RotateKeyOnDemand'),
  ScheduleKeyDeletion,
  Sign,
  TagResource,
  UntagResource,
  UpdateAlias,
  UpdateCustomKeyStore: unsupported('UpdateCustomKeyStore'),
  UpdateKeyDescription,
  UpdatePrimaryRegion: unsupported('UpdatePrimaryRegion'),
  Verify,
  VerifyMac,
};
