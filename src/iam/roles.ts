// CreateRole, GetRole, DeleteRole, ListRoles, UpdateAssumeRolePolicy: IAM roles of the caller's
// account and their trust policies (who may assume them).
import { defineAction, queryFail } from '../server/query/action.js';
import type { RoleRecord } from '../store/identity-records.js';
import { authorizedRole, roleArn, uniqueId } from './entities.js';
import { DEFAULT_MAX_SESSION_DURATION, MAX_SESSION_DURATION, PATH, PATH_PREFIX, POLICY_DOCUMENT, ROLE_DESCRIPTION, ROLE_NAME } from './fields.js';
import { optional, optionalInteger, readInput, refuseUnsupported, required } from './input.js';
import { DEFAULT_MAX_ITEMS, listFromStore, listXml, pagingFields } from './pagination.js';
import { checkTrustPolicy } from './policy-quotas.js';
import { roleXml } from './shapes.js';

export const CreateRole = defineAction({
  name: 'CreateRole',
  async run({ params, principal, deps, authorize }) {
    const input = readInput(params, {
      RoleName: required(ROLE_NAME),
      AssumeRolePolicyDocument: required(POLICY_DOCUMENT),
      Path: optional(PATH),
      Description: optional(ROLE_DESCRIPTION),
      MaxSessionDuration: optionalInteger(MAX_SESSION_DURATION),
    });
    refuseUnsupported(params, 'CreateRole', ['PermissionsBoundary', 'Tags']);
    const path = input.Path ?? '/';
    const arn = roleArn(principal.accountId, path, input.RoleName);
    authorize('iam:CreateRole', arn);
    checkTrustPolicy(input.AssumeRolePolicyDocument);
    return deps.store.transaction(async (tx) => {
      /* Precondition: role names are unique in the account without regard to case. */
      if (await tx.getRole(principal.accountId, input.RoleName)) queryFail('EntityAlreadyExists', `Role with name ${input.RoleName} already exists.`);
      const role: RoleRecord = {
        accountId: principal.accountId,
        name: input.RoleName,
        roleId: uniqueId('AROA', deps.random),
        path,
        arn,
        trustPolicy: input.AssumeRolePolicyDocument,
        description: input.Description ?? '',
        maxSessionDurationSeconds: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
        createdAt: deps.clock.now(),
      };
      await tx.insertRole(role);
      return { Role: roleXml(role) };
    });
  },
});

export const GetRole = defineAction({
  name: 'GetRole',
  async run(call) {
    const { RoleName } = readInput(call.params, { RoleName: required(ROLE_NAME) });
    const role = await call.deps.store.read((tx) => authorizedRole(call, tx, 'iam:GetRole', RoleName));
    // keyhold does not record when roles are used: an empty RoleLastUsed, as AWS shows for a role never used.
    return { Role: { ...roleXml(role), RoleLastUsed: {} } };
  },
});

export const DeleteRole = defineAction({
  name: 'DeleteRole',
  async run(call) {
    const { RoleName } = readInput(call.params, { RoleName: required(ROLE_NAME) });
    return call.deps.store.transaction(async (tx) => {
      const role = await authorizedRole(call, tx, 'iam:DeleteRole', RoleName);
      /* Precondition: the role's inline policies were deleted first (DeleteRole). Its sessions
       * end with it: identities refuse a session whose role is gone. */
      const owner = { kind: 'role', accountId: role.accountId, name: role.name } as const;
      if ((await tx.listInlinePolicies(owner)).length > 0) queryFail('DeleteConflict', 'Cannot delete entity, must delete policies first.');
      await tx.deleteRole(role.accountId, role.name);
      return undefined;
    });
  },
});

export const ListRoles = defineAction({
  name: 'ListRoles',
  async run({ params, principal, deps, authorize }) {
    const input = readInput(params, { PathPrefix: optional(PATH_PREFIX), ...pagingFields });
    authorize('iam:ListRoles', '*');
    const prefix = input.PathPrefix ?? '/';
    const listed = await deps.store.read((tx) => listFromStore(
      (after, limit) => tx.listRoles(principal.accountId, after, limit),
      (role) => role.name,
      (role) => role.path.startsWith(prefix),
      input.Marker,
      input.MaxItems ?? DEFAULT_MAX_ITEMS,
    ));
    return listXml('Roles', listed, roleXml);
  },
});

export const UpdateAssumeRolePolicy = defineAction({
  name: 'UpdateAssumeRolePolicy',
  async run(call) {
    const input = readInput(call.params, { RoleName: required(ROLE_NAME), PolicyDocument: required(POLICY_DOCUMENT) });
    return call.deps.store.transaction(async (tx) => {
      const role = await authorizedRole(call, tx, 'iam:UpdateAssumeRolePolicy', input.RoleName);
      checkTrustPolicy(input.PolicyDocument);
      await tx.setRoleTrustPolicy(role.accountId, role.name, input.PolicyDocument);
      return undefined;
    });
  },
});
