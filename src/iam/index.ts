// Every IAM action keyhold serves, by its Action name. The names are listed once in IamAction,
// and `satisfies` makes a listed action without a module (or a typo) fail to compile.
import type { QueryAction } from '../server/query/action.js';
import { CreateAccessKey, DeleteAccessKey, ListAccessKeys, UpdateAccessKey } from './access-keys.js';
import {
  DeleteRolePolicy, DeleteUserPolicy, GetRolePolicy, GetUserPolicy, ListRolePolicies, ListUserPolicies, PutRolePolicy, PutUserPolicy,
} from './inline-policies.js';
import { CreateRole, DeleteRole, GetRole, ListRoles, UpdateAssumeRolePolicy } from './roles.js';
import { CreateUser, DeleteUser, GetUser, ListUsers } from './users.js';

export type IamAction =
  | 'CreateUser' | 'DeleteUser' | 'GetUser' | 'ListUsers'
  | 'CreateAccessKey' | 'DeleteAccessKey' | 'ListAccessKeys' | 'UpdateAccessKey'
  | 'CreateRole' | 'DeleteRole' | 'GetRole' | 'ListRoles' | 'UpdateAssumeRolePolicy'
  | 'PutUserPolicy' | 'GetUserPolicy' | 'DeleteUserPolicy' | 'ListUserPolicies'
  | 'PutRolePolicy' | 'GetRolePolicy' | 'DeleteRolePolicy' | 'ListRolePolicies';

export const iamActions: Readonly<Record<string, QueryAction>> = {
  CreateUser, DeleteUser, GetUser, ListUsers,
  CreateAccessKey, DeleteAccessKey, ListAccessKeys, UpdateAccessKey,
  CreateRole, DeleteRole, GetRole, ListRoles, UpdateAssumeRolePolicy,
  PutUserPolicy, GetUserPolicy, DeleteUserPolicy, ListUserPolicies,
  PutRolePolicy, GetRolePolicy, DeleteRolePolicy, ListRolePolicies,
} satisfies Record<IamAction, QueryAction>;
