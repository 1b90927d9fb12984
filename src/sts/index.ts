// Every STS action keyhold serves, by its Action name.
import type { QueryAction } from '../server/query/action.js';
import { AssumeRole } from './assume-role.js';
import { GetCallerIdentity } from './get-caller-identity.js';

export const stsActions: Readonly<Record<string, QueryAction>> = {
  AssumeRole,
  GetCallerIdentity,
};
