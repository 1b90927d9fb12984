// Operations of the AWS KMS API that keyhold does not serve yet: a clear error, never a crash.
import { fail } from '../../core/errors.js';
import type { OperationName } from '../model/kms-model.js';
import type { Operation } from '../operation.js';

export function unsupported<N extends OperationName>(name: N): Operation<N> {
  return {
    name,
    run: () => fail('UnsupportedOperationException', `${name} is not supported by keyhold yet.`),
  };
}
