// The pipeline every KMS request goes through: decode the input against the service model,
// resolve, authorise and state-check the key, then run the operation's own step.
import { operations as model, type OperationName } from './model/kms-model.js';
import { operations } from './operations/index.js';
import type { Call, Input, Operation, RequestInfo, ServiceDeps } from './operation.js';
import { authorizeIdentity } from './authorize.js';
import { GrantTokens } from './operations/grant-token.js';
import { ImportTokens } from './import-token.js';
import { trackedOperations } from './last-usage.js';
import { refuseOnServiceManagedKey } from './managed-key-guard.js';
import { useKey } from './resolve.js';
import { decodeInput } from './validate.js';

export class KmsService {
  readonly deps: ServiceDeps;
  readonly #grantTokens: GrantTokens;
  readonly #importTokens: ImportTokens;

  constructor(deps: ServiceDeps) {
    this.deps = deps;
    this.#grantTokens = new GrantTokens(deps.store, deps.backend, deps.random);
    this.#importTokens = new ImportTokens(deps.store, deps.backend, deps.random);
  }

  /** Whether `target` (the part of X-Amz-Target after "TrentService.") names an operation. */
  static isOperation(target: string): target is OperationName {
    return Object.hasOwn(operations, target);
  }

  /** Runs one request. Throws KmsError for anything the client should see. */
  async execute<N extends OperationName>(name: N, body: unknown, request: RequestInfo): Promise<unknown> {
    const inputShape = model[name].input;
    const input = decodeInput(inputShape, body) as Input<N>; // decodeInput checked it against the model
    const call: Call<N> = {
      input,
      deps: this.deps,
      request,
      useKey: (keyId, use) => useKey(this.deps, request, keyId, use),
      authorizeIdentity: (action, resource, extra) => authorizeIdentity(request.principal, action, resource, this.deps.clock.now(), request.origin, extra),
      grantTokens: this.#grantTokens,
      importTokens: this.#importTokens,
    };
    const op: Operation<N> = operations[name];
    // Every operation that takes GrantTokens refuses a token keyhold did not issue (AWS:
    // InvalidGrantTokenException), once its key is found and the caller authorised; a valid token
    // adds nothing, as grants are in force on the next request.
    const grantTokens = (input as { readonly GrantTokens?: readonly string[] }).GrantTokens;
    if (op.key) {
      const key = await call.useKey(op.key.from(input), { ...op.key, ...op.key.useOf?.(input), context: op.key.contextOf?.(input), extra: op.key.extraOf?.(input) });
      refuseOnServiceManagedKey(name, key.record);
      await this.#grantTokens.requireIssued(grantTokens);
      const result = await op.run(call, key);
      if (trackedOperations.has(name)) {
        // Noted once the request is in the audit trail (the endpoint calls back), so GetKeyLastUsage
        // never names a use the trail lacks; without an endpoint (tests), at once.
        const note = (): void => this.deps.lastUsage?.note(key.record.id, name, request.requestId);
        if (request.afterRecorded) request.afterRecorded.push(note);
        else note();
      }
      return result;
    }
    await this.#grantTokens.requireIssued(grantTokens);
    return op.run(call);
  }
}

