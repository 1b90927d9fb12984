// DryRun: an operation calls endDryRun once every check has passed (AWS: DryRunOperationException
// means the request would have succeeded; a request that would fail gets its real error).
import { fail } from '../core/errors.js';

export function endDryRun(input: { readonly DryRun?: boolean }): void {
  if (input.DryRun === true) fail('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
}
