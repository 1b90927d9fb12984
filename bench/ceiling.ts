// The ceiling: the least work a KMS-compatible Encrypt can do (parse, verify SigV4, one AES-GCM),
// on the same number of cluster workers as keyhold, so keyhold/ceiling says what the rest costs.
// Run: node dist/bench/ceiling.js --port <port> --workers <n>
import { createCipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { KmsError } from '../src/core/errors.js';
import { benchVerifier, readBody, reply, superviseWorkers } from './ceiling-server.js';
import { config } from './config.js';

const { values } = parseArgs({ options: { port: { type: 'string' }, workers: { type: 'string' } } });
const port = Number(values.port);
const workers = Number(values.workers ?? config.workers);
if (!Number.isInteger(port) || port <= 0) throw new Error('--port <port> is required');

const KEY_ID = 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-00000000ceil';
/** The bytes to encrypt: Plaintext for Encrypt; for Decrypt the blob, for GenerateDataKey a
 *  fresh 32-byte key, so every operation costs one AES-GCM pass over a similar input. */
function inputOf(request: Record<string, unknown>): Buffer {
  if (typeof request['Plaintext'] === 'string') return Buffer.from(request['Plaintext'], 'base64');
  if (typeof request['CiphertextBlob'] === 'string') return Buffer.from(request['CiphertextBlob'], 'base64');
  return randomBytes(32);
}

function serveWorker(): void {
  const key = createSecretKey(randomBytes(32));
  const verifier = benchVerifier();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET' && req.url === '/health') return reply(res, 200, { status: 'ok' });
    const body = await readBody(req);
    const request = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    await verifier.verify({ method: req.method ?? 'POST', url: req.url ?? '/', rawHeaders: req.rawHeaders, body });
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const sealed = Buffer.concat([iv, cipher.update(inputOf(request)), cipher.final(), cipher.getAuthTag()]);
    reply(res, 200, { CiphertextBlob: sealed.toString('base64'), KeyId: KEY_ID, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  };

  createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Errors mean the bench is misconfigured; answer like KMS so the generator counts them.
      const type = err instanceof KmsError ? err.type : 'InternalException';
      reply(res, err instanceof KmsError ? err.status : 500, { __type: type, message: String(err) });
    });
  }).listen(port, '127.0.0.1');
}

await superviseWorkers('ceiling', workers, false, serveWorker);
