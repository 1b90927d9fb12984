// Put/Get/Delete/List of inline policies, for users (PutUserPolicy…) and roles (PutRolePolicy…):
// the same four actions over two kinds of owner. A changed policy is in force on every worker's
// next request (identities are cached per store generation).
import { defineAction, queryFail, type QueryAction, type QueryCall } from '../server/query/action.js';
import type { PolicyOwner } from '../store/identity-records.js';
import type { StoreTx } from '../store/store.js';
import { authorizedRole, authorizedUser } from './entities.js';
import { POLICY_DOCUMENT, POLICY_NAME, ROLE_NAME, USER_NAME } from './fields.js';
import { fromParam, readInput, required, type TextRule } from './input.js';
import { DEFAULT_MAX_ITEMS, listInMemory, listXml, pagingFields } from './pagination.js';
import { checkInlinePolicy } from './policy-quotas.js';
import { encodePolicyDocument } from './shapes.js';

interface OwnerKind {
  readonly kind: PolicyOwner['kind'];
  /** `User` or `Role`: in action names, parameters (`UserName`) and IAM actions (`iam:PutUserPolicy`). */
  readonly label: 'User' | 'Role';
  readonly nameRule: TextRule;
  /** The owner's exact name once `action` is authorised on it, or NoSuchEntity. */
  find(call: QueryCall, tx: StoreTx, action: string, name: string): Promise<string>;
}

const USER: OwnerKind = {
  kind: 'user', label: 'User', nameRule: USER_NAME,
  find: async (call, tx, action, name) => (await authorizedUser(call, tx, action, name)).name,
};

const ROLE: OwnerKind = {
  kind: 'role', label: 'Role', nameRule: ROLE_NAME,
  find: async (call, tx, action, name) => (await authorizedRole(call, tx, action, name)).name,
};

function inlinePolicyActions(owner: OwnerKind): Record<'put' | 'get' | 'delete' | 'list', QueryAction> {
  const { label } = owner;
  const ownerName = fromParam(`${label}Name`, required(owner.nameRule));
  const ownerOf = (call: QueryCall, name: string): PolicyOwner => ({ kind: owner.kind, accountId: call.principal.accountId, name });
  const notFound = (policyName: string): never => queryFail('NoSuchEntity', `The ${owner.kind} policy with name ${policyName} cannot be found.`);

  return {
    put: defineAction({
      name: `Put${label}Policy`,
      async run(call) {
        const input = readInput(call.params, { Owner: ownerName, PolicyName: required(POLICY_NAME), PolicyDocument: required(POLICY_DOCUMENT) });
        return call.deps.store.transaction(async (tx) => {
          const name = await owner.find(call, tx, `iam:Put${label}Policy`, input.Owner);
          // The quota is on all of the owner's inline policies together; the one replaced no longer counts.
          const others = (await tx.listInlinePolicies(ownerOf(call, name))).filter((p) => p.policyName !== input.PolicyName);
          checkInlinePolicy(owner.kind, input.PolicyDocument, others);
          await tx.putInlinePolicy({ owner: ownerOf(call, name), policyName: input.PolicyName, document: input.PolicyDocument });
          return undefined;
        });
      },
    }),
    get: defineAction({
      name: `Get${label}Policy`,
      async run(call) {
        const input = readInput(call.params, { Owner: ownerName, PolicyName: required(POLICY_NAME) });
        return call.deps.store.read(async (tx) => {
          const name = await owner.find(call, tx, `iam:Get${label}Policy`, input.Owner);
          const policy = (await tx.getInlinePolicy(ownerOf(call, name), input.PolicyName)) ?? notFound(input.PolicyName);
          return { [`${label}Name`]: name, PolicyName: policy.policyName, PolicyDocument: encodePolicyDocument(policy.document) };
        });
      },
    }),
    delete: defineAction({
      name: `Delete${label}Policy`,
      async run(call) {
        const input = readInput(call.params, { Owner: ownerName, PolicyName: required(POLICY_NAME) });
        return call.deps.store.transaction(async (tx) => {
          const name = await owner.find(call, tx, `iam:Delete${label}Policy`, input.Owner);
          const policy = (await tx.getInlinePolicy(ownerOf(call, name), input.PolicyName)) ?? notFound(input.PolicyName);
          await tx.deleteInlinePolicy(policy.owner, policy.policyName);
          return undefined;
        });
      },
    }),
    list: defineAction({
      name: `List${label}Policies`,
      async run(call) {
        const input = readInput(call.params, { Owner: ownerName, ...pagingFields });
        return call.deps.store.read(async (tx) => {
          const name = await owner.find(call, tx, `iam:List${label}Policies`, input.Owner);
          const names = (await tx.listInlinePolicies(ownerOf(call, name))).map((p) => p.policyName);
          const listed = listInMemory(names, (n) => n, input.Marker, input.MaxItems ?? DEFAULT_MAX_ITEMS);
          return listXml('PolicyNames', listed, (n) => n);
        });
      },
    }),
  };
}

const forUsers = inlinePolicyActions(USER);
const forRoles = inlinePolicyActions(ROLE);

export const PutUserPolicy = forUsers.put;
export const GetUserPolicy = forUsers.get;
export const DeleteUserPolicy = forUsers.delete;
export const ListUserPolicies = forUsers.list;
export const PutRolePolicy = forRoles.put;
export const GetRolePolicy = forRoles.get;
export const DeleteRolePolicy = forRoles.delete;
export const ListRolePolicies = forRoles.list;
