// The crypto ceiling of the keyed rows: Sign, Verify and GenerateMac done with node:crypto behind
// the same HTTP/JSON framing as KMS (read the body, JSON.parse, base64, crypto, JSON reply) and
// nothing else: no SigV4, no key lookup, no policy, no logging, no metrics. So keyhold/ceiling is
// keyhold against the raw crypto of the same key type, not against a minimal KMS. The KeyId picks
// the crypto mode, `ceiling/<sync|async>/<spec>` (raw-crypto.ts), and the bench keeps the faster.
// `ceiling/<mode>-sigv4/<spec>` also verifies SigV4 first, with keyhold's own verifier as
// ceiling.ts does: a minimal KMS, the reference that says what keyhold costs beyond SigV4.
// Run: node dist/bench/crypto-ceiling.js --port <port> --workers <n> --keys <file>
import { createSecretKey, webcrypto, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { keyPairOf, type CeilingKeyFile } from './ceiling-keys.js';
import { benchVerifier, readBody, reply, superviseWorkers } from './ceiling-server.js';
import { rawMac, rawSign, rawVerify, type CryptoMode } from './raw-crypto.js';

const { values } = parseArgs({ options: { port: { type: 'string' }, workers: { type: 'string' }, keys: { type: 'string' } } });
const port = Number(values.port);
const workers = Number(values.workers ?? 1);
if (!Number.isInteger(port) || port <= 0 || values.keys === undefined) throw new Error('--port <port> --keys <file> are required');
const keyFile = values.keys;

interface Key {
  readonly privateKey?: KeyObject;
  readonly publicKey?: KeyObject;
  readonly secret?: KeyObject;
  readonly webSecret?: webcrypto.CryptoKey;
}

async function loadKeys(): Promise<Map<string, Key>> {
  const file = JSON.parse(readFileSync(keyFile, 'utf8')) as CeilingKeyFile;
  const keys = new Map<string, Key>();
  for (const [spec, entry] of Object.entries(file.keys)) {
    if (entry.pkcs8 !== undefined) keys.set(spec, keyPairOf(entry.pkcs8));
    if (entry.secret !== undefined) {
      const raw = Buffer.from(entry.secret, 'base64');
      const webSecret = await webcrypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      keys.set(spec, { secret: createSecretKey(raw), webSecret });
    }
  }
  return keys;
}

async function serveWorker(): Promise<void> {
  const keys = await loadKeys();
  const verifier = benchVerifier();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET' && req.url === '/health') return reply(res, 200, { status: 'ok' });
    const body = await readBody(req);
    const request = JSON.parse(body.toString('utf8')) as Record<string, string>;
    const keyId = request['KeyId'] ?? '';
    const [, how = 'sync', spec = ''] = keyId.split('/');
    const [mode, sigv4] = how.split('-') as [CryptoMode, string | undefined];
    if (sigv4 === 'sigv4') await verifier.verify({ method: req.method ?? 'POST', url: req.url ?? '/', rawHeaders: req.rawHeaders, body });
    const key = keys.get(spec);
    const message = Buffer.from(request['Message'] ?? '', 'base64');
    const algorithm = request['SigningAlgorithm'] ?? request['MacAlgorithm'] ?? '';
    switch (req.headers['x-amz-target']) {
      case 'TrentService.Sign':
        if (key?.privateKey === undefined) break;
        return reply(res, 200, { KeyId: keyId, Signature: (await rawSign(mode, algorithm, key.privateKey, message)).toString('base64'), SigningAlgorithm: algorithm });
      case 'TrentService.Verify': {
        if (key?.publicKey === undefined) break;
        const valid = await rawVerify(mode, algorithm, key.publicKey, message, Buffer.from(request['Signature'] ?? '', 'base64'));
        return valid ? reply(res, 200, { KeyId: keyId, SignatureValid: true, SigningAlgorithm: algorithm }) : reply(res, 400, { __type: 'KMSInvalidSignatureException' });
      }
      case 'TrentService.GenerateMac':
        if (key?.secret === undefined || key.webSecret === undefined) break;
        return reply(res, 200, { Mac: (await rawMac(mode, key.secret, key.webSecret, message)).toString('base64'), MacAlgorithm: algorithm, KeyId: keyId });
    }
    reply(res, 400, { __type: 'UnsupportedOperationException', message: `the ceiling has no ${String(req.headers['x-amz-target'])} for ${keyId}` });
  };

  createServer((req, res) => {
    // Errors mean the bench is misconfigured; answer like KMS so the generator counts them.
    handle(req, res).catch((err: unknown) => reply(res, 500, { __type: 'InternalException', message: String(err) }));
  }).listen(port, '127.0.0.1');
}

await superviseWorkers('crypto ceiling', workers, workers <= 1, serveWorker);
