// CreateAccessKey, UpdateAccessKey, DeleteAccessKey, ListAccessKeys: an IAM user's long-term
// credentials. A new secret is returned once and stored only wrapped under the root key; a key
// made inactive or deleted stops signing on every worker's next request (identities are cached
// per store generation).
import { accessKeyWrapContext } from '../auth/identities.js';
import { generateCredentials } from '../auth/bootstrap.js';
import { defineAction, queryFail, type QueryCall } from '../server/query/action.js';
import type { UserRecord } from '../store/identity-records.js';
import type { AccessKeyRecord, StoreTx } from '../store/store.js';
import { authorizedUser } from './entities.js';
import { ACCESS_KEY_ID, ACCESS_KEY_STATUSES, USER_NAME } from './fields.js';
import { optional, readInput, required, requiredEnum } from './input.js';
import { DEFAULT_MAX_ITEMS, listInMemory, listXml, pagingFields } from './pagination.js';
import { accessKeyMetadataXml } from './shapes.js';

/** "Cannot exceed quota for AccessKeysPerUser: 2" (IAM and AWS STS quotas: access keys per user). */
const ACCESS_KEYS_PER_USER = 2;

export const CreateAccessKey = defineAction({
  name: 'CreateAccessKey',
  async run(call) {
    const { UserName } = readInput(call.params, { UserName: optional(USER_NAME) });
    const name = targetUserName(call, UserName);
    const { deps } = call;
    const { accessKeyId, secretAccessKey } = generateCredentials();
    return deps.store.transaction(async (tx) => {
      const user = await authorizedUser(call, tx, 'iam:CreateAccessKey', name);
      /* Precondition: the user has fewer than two access keys, active or not. */
      if ((await tx.listAccessKeys(user.accountId, user.name)).length >= ACCESS_KEYS_PER_USER) {
        queryFail('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
      }
      const plain = Buffer.from(secretAccessKey, 'utf8');
      const wrappedSecret = deps.root.wrap(plain, accessKeyWrapContext(accessKeyId));
      plain.fill(0);
      const createdAt = deps.clock.now();
      await tx.insertAccessKey({
        id: accessKeyId, accountId: user.accountId, principalArn: user.arn, userName: user.name, wrappedSecret, status: 'Active', isAdmin: false, createdAt,
      });
      // The only time the secret leaves keyhold: "you cannot recover the secret later" (CreateAccessKey).
      return { AccessKey: { UserName: user.name, AccessKeyId: accessKeyId, Status: 'Active', SecretAccessKey: secretAccessKey, CreateDate: createdAt } };
    });
  },
});

export const UpdateAccessKey = defineAction({
  name: 'UpdateAccessKey',
  async run(call) {
    const input = readInput(call.params, { AccessKeyId: required(ACCESS_KEY_ID), Status: requiredEnum(ACCESS_KEY_STATUSES), UserName: optional(USER_NAME) });
    const name = targetUserName(call, input.UserName);
    return call.deps.store.transaction(async (tx) => {
      const user = await authorizedUser(call, tx, 'iam:UpdateAccessKey', name);
      const key = await userAccessKey(tx, user, input.AccessKeyId);
      await tx.setAccessKeyStatus(key.id, input.Status);
      return undefined;
    });
  },
});

export const DeleteAccessKey = defineAction({
  name: 'DeleteAccessKey',
  async run(call) {
    const input = readInput(call.params, { AccessKeyId: required(ACCESS_KEY_ID), UserName: optional(USER_NAME) });
    const name = targetUserName(call, input.UserName);
    return call.deps.store.transaction(async (tx) => {
      const user = await authorizedUser(call, tx, 'iam:DeleteAccessKey', name);
      const key = await userAccessKey(tx, user, input.AccessKeyId);
      await tx.deleteAccessKey(key.id);
      return undefined;
    });
  },
});

export const ListAccessKeys = defineAction({
  name: 'ListAccessKeys',
  async run(call) {
    const input = readInput(call.params, { UserName: optional(USER_NAME), ...pagingFields });
    const name = targetUserName(call, input.UserName);
    return call.deps.store.read(async (tx) => {
      const user = await authorizedUser(call, tx, 'iam:ListAccessKeys', name);
      const keys = (await tx.listAccessKeys(user.accountId, user.name)).map((k) => ({ ...k, userName: user.name }));
      const listed = listInMemory(keys, (k) => k.id, input.Marker, input.MaxItems ?? DEFAULT_MAX_ITEMS);
      return listXml('AccessKeyMetadata', listed, accessKeyMetadataXml);
    });
  },
});

/** The user an access-key action is about: the one named, or else the caller. "If you do not
 *  specify a user name, IAM determines the user name implicitly based on the AWS access key ID
 *  signing the request" (CreateAccessKey); role sessions must name one, as in AWS.
 *  keyhold differs from AWS for the account root: AWS would act on the root user's own access
 *  keys, but keyhold's root keys are the administrator's credentials, set by `keyhold serve`
 *  (KEYHOLD_ADMIN_*); IAM refuses to create, list, deactivate or delete them, so no request can
 *  lock the operator out. */
function targetUserName(call: QueryCall, given: string | undefined): string {
  if (given !== undefined) return given;
  const { principal } = call;
  if (principal.type === 'IAMUser') return principal.arn.slice(principal.arn.lastIndexOf('/') + 1);
  if (principal.type === 'Root') queryFail('ValidationError', 'Must specify userName: keyhold does not manage the account root user\'s access keys through IAM.');
  return queryFail('ValidationError', 'Must specify userName when calling with non-User credentials');
}

/** The user's access key `id`; any other key (another user's, a root key, another account's,
 *  none) is the same NoSuchEntity, so the answer reveals nothing about keys not the user's. */
async function userAccessKey(tx: StoreTx, user: UserRecord, id: string): Promise<AccessKeyRecord> {
  const key = await tx.getAccessKey(id);
  if (key === undefined || key.accountId !== user.accountId || key.userName?.toLowerCase() !== user.name.toLowerCase()) queryFail('NoSuchEntity', `The Access Key with id ${id} cannot be found.`);
  return key;
}
