// Shared helpers for the black-box API suites (test/blackbox/api-*.test.ts).
import assert from 'node:assert/strict';
import { CreateKeyCommand, type CreateKeyCommandInput, type KeyMetadata, type KMSClient } from '@aws-sdk/client-kms';

/** The error an SDK call rejected with: its `name` and the HTTP status in `$metadata`. */
export interface SdkFailure {
  readonly name: string;
  readonly status: number | undefined;
  readonly message: string;
  /** The x-amzn-requestid of the failed request (its audit event's requestID). */
  readonly requestId: string | undefined;
}

/** Awaits `call`, which must reject with a service error named `name` and HTTP status `status`. */
export async function expectError(call: Promise<unknown>, name: string, status: number): Promise<SdkFailure> {
  let caught: unknown;
  try {
    await call;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught !== undefined, `expected ${name} (${status}) but the call succeeded`);
  assert.ok(caught instanceof Error, `expected an Error, got ${typeof caught}`);
  const meta = (caught as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
  const failure: SdkFailure = { name: caught.name, status: meta?.httpStatusCode, message: caught.message, requestId: meta?.requestId };
  assert.deepEqual({ name: failure.name, status: failure.status }, { name, status }, `unexpected error: ${caught.name}: ${caught.message}`);
  return failure;
}

/** Creates a symmetric key and returns its metadata (KeyId and Arn always set). */
export async function createKey(kms: KMSClient, input: CreateKeyCommandInput = {}): Promise<KeyMetadata & { KeyId: string; Arn: string }> {
  const { KeyMetadata: md } = await kms.send(new CreateKeyCommand(input));
  assert.ok(md?.KeyId && md.Arn, 'CreateKey returned KeyId and Arn');
  return md as KeyMetadata & { KeyId: string; Arn: string };
}

/** A fresh alias name, unique within a test run. */
let aliasCounter = 0;
export const uniqueAlias = (label: string): string => `alias/${label}-${process.pid}-${++aliasCounter}`;

export const text = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('utf8');

/** The account id in a KMS ARN. */
export const accountOf = (arn: string): string => arn.split(':')[4] ?? '';

/** A well-formed key id that names no key. */
export const UNKNOWN_KEY_ID = '00000000-0000-4000-8000-000000000000';
