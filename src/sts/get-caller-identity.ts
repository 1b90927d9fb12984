// GetCallerIdentity: who the credentials belong to. Needs no permission, as in AWS.
import { defineAction } from '../server/query/action.js';

export const GetCallerIdentity = defineAction({
  name: 'GetCallerIdentity',
  async run({ principal }) {
    return { UserId: principal.userId, Account: principal.accountId, Arn: principal.arn };
  },
});
