// Every IAM action keyhold serves, by its Action name.
import type { QueryAction } from '../server/query/action.js';

export const iamActions: Readonly<Record<string, QueryAction>> = {};
