// CreateUser, GetUser, DeleteUser, ListUsers: IAM users of the caller's account.
import { defineAction, queryFail, type QueryCall } from '../server/query/action.js';
import type { XmlObject } from '../server/query/xml.js';
import type { UserRecord } from '../store/identity-records.js';
import { authorizedUser, uniqueId, userArn } from './entities.js';
import { PATH, PATH_PREFIX, USER_NAME } from './fields.js';
import { optional, readInput, refuseUnsupported, required } from './input.js';
import { DEFAULT_MAX_ITEMS, listFromStore, listXml, pagingFields } from './pagination.js';
import { userXml } from './shapes.js';

export const CreateUser = defineAction({
  name: 'CreateUser',
  async run({ params, principal, deps, authorize }) {
    const input = readInput(params, { UserName: required(USER_NAME), Path: optional(PATH) });
    refuseUnsupported(params, 'CreateUser', ['PermissionsBoundary', 'Tags']);
    const path = input.Path ?? '/';
    const arn = userArn(principal.accountId, path, input.UserName);
    authorize('iam:CreateUser', arn);
    return deps.store.transaction(async (tx) => {
      /* Precondition: names are unique in the account without regard to case (IAM User Guide, IAM identifiers). */
      if (await tx.getUser(principal.accountId, input.UserName)) queryFail('EntityAlreadyExists', `User with name ${input.UserName} already exists.`);
      const user: UserRecord = {
        accountId: principal.accountId, name: input.UserName, userId: uniqueId('AIDA', deps.random), path, arn, createdAt: deps.clock.now(),
      };
      await tx.insertUser(user);
      return { User: userXml(user) };
    });
  },
});

export const GetUser = defineAction({
  name: 'GetUser',
  async run(call) {
    const { UserName } = readInput(call.params, { UserName: optional(USER_NAME) });
    if (UserName === undefined) return { User: await callerAsUser(call) };
    return call.deps.store.read(async (tx) => ({ User: userXml(await authorizedUser(call, tx, 'iam:GetUser', UserName)) }));
  },
});

/** "If you do not specify a user name, IAM determines the user name implicitly based on the AWS
 *  access key ID used to sign the request" (GetUser); for the root user AWS returns its id, ARN
 *  and creation date, and refuses role sessions. */
async function callerAsUser(call: QueryCall): Promise<XmlObject> {
  const { principal, deps } = call;
  call.authorize('iam:GetUser', principal.arn);
  if (principal.type === 'AssumedRole') queryFail('ValidationError', 'Must specify userName when calling with non-User credentials');
  return deps.store.read(async (tx) => {
    if (principal.type === 'IAMUser') {
      const user = await tx.getUser(principal.accountId, principal.arn.slice(principal.arn.lastIndexOf('/') + 1));
      // The caller's own user was deleted after this request's credentials were resolved.
      if (!user) queryFail('NoSuchEntity', 'The user of the signing credentials cannot be found.');
      return userXml(user);
    }
    const account = await tx.getAccount(principal.accountId);
    return { UserId: principal.accountId, Arn: principal.arn, CreateDate: account?.createdAt };
  });
}

export const DeleteUser = defineAction({
  name: 'DeleteUser',
  async run(call) {
    const { UserName } = readInput(call.params, { UserName: required(USER_NAME) });
    return call.deps.store.transaction(async (tx) => {
      const user = await authorizedUser(call, tx, 'iam:DeleteUser', UserName);
      /* Precondition: "you must delete the items attached to the user manually" first
       * (DeleteUser): access keys, then inline policies, as the console deletes them. */
      if ((await tx.listAccessKeys(user.accountId, user.name)).length > 0) queryFail('DeleteConflict', 'Cannot delete entity, must delete access keys first.');
      const owner = { kind: 'user', accountId: user.accountId, name: user.name } as const;
      if ((await tx.listInlinePolicies(owner)).length > 0) queryFail('DeleteConflict', 'Cannot delete entity, must delete policies first.');
      await tx.deleteUser(user.accountId, user.name);
      return undefined;
    });
  },
});

export const ListUsers = defineAction({
  name: 'ListUsers',
  async run({ params, principal, deps, authorize }) {
    const input = readInput(params, { PathPrefix: optional(PATH_PREFIX), ...pagingFields });
    authorize('iam:ListUsers', '*');
    const prefix = input.PathPrefix ?? '/';
    const listed = await deps.store.read((tx) => listFromStore(
      (after, limit) => tx.listUsers(principal.accountId, after, limit),
      (user) => user.name,
      (user) => user.path.startsWith(prefix),
      input.Marker,
      input.MaxItems ?? DEFAULT_MAX_ITEMS,
    ));
    return listXml('Users', listed, userXml);
  },
});
