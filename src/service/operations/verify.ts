// Verify: not built yet (issue 4). Its module is in place so the table does not change when it lands.
import { unsupported } from './unsupported.js';

export const Verify = unsupported('Verify');
