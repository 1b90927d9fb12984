// Keys for the keyed rows on a running keyhold, made through the SDK, and the signatures of
// VERIFY_MESSAGE its Verify rows check (made by keyhold's own Sign). A keyhold built before Sign
// existed answers UnsupportedOperationException: its Sign and Verify rows then say so.
import { CreateKeyCommand, SignCommand, type KeyUsageType } from '@aws-sdk/client-kms';
import { benchKms } from './keyhold.js';
import { VERIFY_MESSAGE, type BenchKeySpec, type KeyFixture, type Workload } from './key-workloads.js';

/** Per spec, the key's fixture, or why the rows of that spec cannot run on this keyhold. */
export type KeyholdKeys = ReadonlyMap<BenchKeySpec, KeyFixture | string>;

const describe = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export async function makeKeyholdKeys(port: number, workloads: readonly Workload[]): Promise<KeyholdKeys> {
  const kms = benchKms(port);
  const out = new Map<BenchKeySpec, KeyFixture | string>();
  try {
    for (const spec of new Set(workloads.map((w) => w.spec))) {
      const usage: KeyUsageType = spec.startsWith('HMAC_') ? 'GENERATE_VERIFY_MAC' : 'SIGN_VERIFY';
      const created = await kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage, Description: `keyhold bench ${spec}` }));
      const keyId = created.KeyMetadata?.Arn;
      if (keyId === undefined) throw new Error(`CreateKey ${spec} returned no KeyMetadata.Arn`);
      const signatures: Record<string, string> = {};
      try {
        for (const w of workloads.filter((x) => x.spec === spec && x.operation !== 'GenerateMac')) {
          const signed = await kms.send(new SignCommand({ KeyId: keyId, Message: VERIFY_MESSAGE, MessageType: 'RAW', SigningAlgorithm: w.algorithm as never }));
          if (signed.Signature === undefined) throw new Error(`Sign ${spec} returned no Signature`);
          signatures[w.algorithm] = Buffer.from(signed.Signature).toString('base64');
        }
        out.set(spec, { keyId, signatures });
      } catch (err) {
        out.set(spec, `keyhold cannot sign with ${spec} (${describe(err)})`);
      }
    }
  } finally {
    kms.destroy();
  }
  return out;
}
