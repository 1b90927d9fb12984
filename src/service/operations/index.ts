// Every AWS KMS operation, in one exhaustive table: a missing entry does not compile.
import type { OperationName } from '../model/kms-model.js';
import type { Operation } from '../operation.js';
import { CancelKeyDeletion } from './cancel-key-deletion.js';
import { CreateAlias } from './create-alias.js';
import { CreateGrant } from './create-grant.js';
import { CreateKey } from './create-key.js';
import { Decrypt } from './decrypt.js';
import { DeleteAlias } from './delete-alias.js';
import { DeleteImportedKeyMaterial } from './delete-imported-key-material.js';
import { DeriveSharedSecret } from './derive-shared-secret.js';
import { DescribeKey } from './describe-key.js';
import { DisableKey } from './disable-key.js';
import { DisableKeyRotation } from './disable-key-rotation.js';
import { EnableKey } from './enable-key.js';
import { EnableKeyRotation } from './enable-key-rotation.js';
import { Encrypt } from './encrypt.js';
import { GenerateDataKey } from './generate-data-key.js';
import { GenerateDataKeyPair } from './generate-data-key-pair.js';
import { GenerateDataKeyPairWithoutPlaintext } from './generate-data-key-pair-without-plaintext.js';
import { GenerateDataKeyWithoutPlaintext } from './generate-data-key-without-plaintext.js';
import { GenerateMac } from './generate-mac.js';
import { GenerateRandom } from './generate-random.js';
import { GetKeyPolicy } from './get-key-policy.js';
import { GetParametersForImport } from './get-parameters-for-import.js';
import { GetKeyRotationStatus } from './get-key-rotation-status.js';
import { GetPublicKey } from './get-public-key.js';
import { ImportKeyMaterial } from './import-key-material.js';
import { ListAliases } from './list-aliases.js';
import { ListGrants } from './list-grants.js';
import { ListKeyPolicies } from './list-key-policies.js';
import { ListKeyRotations } from './list-key-rotations.js';
import { ListKeys } from './list-keys.js';
import { ListResourceTags } from './list-resource-tags.js';
import { ListRetirableGrants } from './list-retirable-grants.js';
import { PutKeyPolicy } from './put-key-policy.js';
import { ReEncrypt } from './re-encrypt.js';
import { RetireGrant } from './retire-grant.js';
import { RevokeGrant } from './revoke-grant.js';
import { RotateKeyOnDemand } from './rotate-key-on-demand.js';
import { ScheduleKeyDeletion } from './schedule-key-deletion.js';
import { Sign } from './sign.js';
import { TagResource } from './tag-resource.js';
import { unsupported } from './unsupported.js';
import { UntagResource } from './untag-resource.js';
import { UpdateAlias } from './update-alias.js';
import { UpdateKeyDescription } from './update-key-description.js';
import { Verify } from './verify.js';
import { VerifyMac } from './verify-mac.js';
import { GetKeyLastUsage } from './get-key-last-usage.js';

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
  DeleteImportedKeyMaterial,
  DeriveSharedSecret,
  DescribeCustomKeyStores: unsupported('DescribeCustomKeyStores'),
  DescribeKey,
  DisableKey,
  DisableKeyRotation,
  DisconnectCustomKeyStore: unsupported('DisconnectCustomKeyStore'),
  EnableKey,
  EnableKeyRotation,
  Encrypt,
  GenerateDataKey,
  GenerateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext,
  GenerateDataKeyWithoutPlaintext,
  GenerateMac,
  GenerateRandom,
  GetKeyLastUsage,
  GetKeyPolicy,
  GetKeyRotationStatus,
  GetParametersForImport,
  GetPublicKey,
  ImportKeyMaterial,
  ListAliases,
  ListGrants,
  ListKeyPolicies,
  ListKeyRotations,
  ListKeys,
  ListResourceTags,
  ListRetirableGrants,
  PutKeyPolicy,
  ReEncrypt,
  ReplicateKey: unsupported('ReplicateKey'),
  RetireGrant,
  RevokeGrant,
  RotateKeyOnDemand,
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
