// The event-loop goal (issue 4): while RSA-4096 signing saturates keyhold, a light Encrypt stream
// keeps a p99 under 20 ms. RSA-4096 signing costs about 4.5 ms of CPU here; done on the event loop,
// every request queued behind a few of them would wait that long and more.
import { CreateKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { config } from './config.js';
import { benchKms, type Keyhold } from './keyhold.js';
import { keyedBody, RSA_4096_SIGN, VERIFY_MESSAGE } from './key-workloads.js';
import { measure } from './load.js';
import { describe, log } from './measure-one.js';
import { pacedStream, type StreamResult } from './paced-stream.js';
import { bodyFor } from './payloads.js';
import type { Measurement } from './result.js';
import { signRequests } from './sign.js';

/** Encrypt requests a second in the light stream: well under 2% of what keyhold serves. */
export const STREAM_RATE = 100;
export const STREAM_P99_GOAL_MS = 20;
const IDLE_SECONDS = 5;

export interface Responsiveness {
  readonly load: Measurement;
  readonly idle: StreamResult;
  readonly underLoad: StreamResult;
}

/** Runs the phase on `keyhold`; a string says why it could not. */
export async function measureResponsiveness(keyhold: Keyhold): Promise<Responsiveness | string> {
  const target = { host: '127.0.0.1', port: keyhold.port };
  const kms = benchKms(keyhold.port);
  let keyId: string;
  try {
    const created = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY', Description: 'keyhold bench RSA_4096' }));
    keyId = created.KeyMetadata?.Arn ?? '';
    // One Sign first: a keyhold without Sign would measure only errors.
    await kms.send(new SignCommand({ KeyId: keyId, Message: VERIFY_MESSAGE, MessageType: 'RAW', SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
  } catch (err) {
    return `keyhold cannot sign with RSA_4096 (${describe(err)})`;
  } finally {
    kms.destroy();
  }
  const stream = await signRequests(target, 'Encrypt', config.signedRequests, bodyFor('Encrypt', keyhold.fixture));
  log(`responsiveness: Encrypt stream at ${STREAM_RATE} req/s alone for ${IDLE_SECONDS}s`);
  const idle = await pacedStream(keyhold.port, stream, STREAM_RATE, IDLE_SECONDS);
  const signs = await signRequests(target, 'Sign', config.signedRequests, keyedBody(RSA_4096_SIGN, { keyId, signatures: {} }));
  log(`responsiveness: ${RSA_4096_SIGN.label} on ${config.connections} connections (${config.warmupSeconds}s warm-up + ${config.durationSeconds}s), the stream during the measured part`);
  const loading = measure(keyhold.port, keyhold.pid, signs);
  // The stream runs inside the measured window: it starts after the warm-up, ends before the end.
  await new Promise((r) => setTimeout(r, config.warmupSeconds * 1000 + 500));
  const underLoad = await pacedStream(keyhold.port, stream, STREAM_RATE, Math.max(1, config.durationSeconds - 1.5));
  const load = await loading;
  return { load, idle, underLoad };
}

/** One line for the report. */
export function responsivenessLine(r: Responsiveness | string): string {
  if (typeof r === 'string') return `Event loop under RSA_4096 signing: n/a (${r})`;
  const s = (x: StreamResult): string =>
    `p50 ${x.p50Ms.toFixed(2)} ms, p99 ${x.p99Ms.toFixed(2)} ms, max ${x.maxMs.toFixed(1)} ms, ${x.errors}/${x.sent} errors; ` +
    `the client's own event-loop delay p99 ${x.clientDelayP99Ms.toFixed(1)} ms, max ${x.clientDelayMaxMs.toFixed(1)} ms`;
  const verdict = r.underLoad.errors === 0 && r.underLoad.p99Ms < STREAM_P99_GOAL_MS ? 'met' : 'missed';
  return `Event loop under RSA_4096 RSASSA_PSS_SHA_256 Sign load (${r.load.rps.toFixed(0)} req/s, p50 ${r.load.p50Ms.toFixed(1)} ms, ${r.load.errors} errors): ` +
    `Encrypt stream at ${STREAM_RATE} req/s ${s(r.underLoad)} (alone: ${s(r.idle)}); goal p99 < ${STREAM_P99_GOAL_MS} ms: ${verdict}.`;
}
