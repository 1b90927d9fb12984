// Every administrator action keyhold serves (accounts, integrated services, audit digests), by its X-Amz-Target name (KeyholdAdmin.<name>).
import type { AdminAction } from './action.js';
import { CreateAccount } from './create-account.js';
import { CreateAuditDigest } from './create-audit-digest.js';
import { DisableAccount } from './disable-account.js';
import { EnableAccount } from './enable-account.js';
import { ListAccounts } from './list-accounts.js';
import { ListServices } from './list-services.js';
import { RegisterService } from './register-service.js';

export type AdminActionName = 'CreateAccount' | 'ListAccounts' | 'DisableAccount' | 'EnableAccount' | 'RegisterService' | 'ListServices' | 'CreateAuditDigest';

export const adminActions = { CreateAccount, ListAccounts, DisableAccount, EnableAccount, RegisterService, ListServices, CreateAuditDigest } as const satisfies Record<AdminActionName, AdminAction>;

export const isAdminActionName = (name: string): name is AdminActionName => Object.hasOwn(adminActions, name);
