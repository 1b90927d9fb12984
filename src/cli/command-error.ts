// An error whose message is written for the operator: main prints it as `keyhold: <message>` and
// exits with 1. Its message must never hold a secret.
export class CommandError extends Error {
  override readonly name = 'CommandError';
}
