// A throwaway certificate authority and a server certificate for 127.0.0.1, made with the
// openssl command-line tool at test time (nothing secret is checked in).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestPki {
  /** PEM of the CA certificate: what a client must trust. */
  readonly caPem: string;
  readonly caCertFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
}

const openssl = (args: readonly string[]): void => void execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Creates `<name>-ca.{key,crt}` and a server key and certificate (IP SAN 127.0.0.1, valid for a day) in `dir`. */
export function makeTestPki(dir: string, name = 'keyhold-test'): TestPki {
  const caKeyFile = join(dir, `${name}-ca.key`);
  const caCertFile = join(dir, `${name}-ca.crt`);
  const serverKeyFile = join(dir, `${name}-server.key`);
  const csrFile = join(dir, `${name}-server.csr`);
  const serverCertFile = join(dir, `${name}-server.crt`);
  const extFile = join(dir, `${name}-server.ext`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl([
    'req', '-x509', ...ec, '-keyout', caKeyFile, '-out', caCertFile, '-days', '1', '-subj', `/CN=${name} CA`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl(['req', '-new', ...ec, '-keyout', serverKeyFile, '-out', csrFile, '-subj', '/CN=127.0.0.1']);
  writeFileSync(extFile, 'subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', csrFile, '-CA', caCertFile, '-CAkey', caKeyFile, '-CAcreateserial', '-out', serverCertFile, '-days', '1', '-sha256', '-extfile', extFile]);
  return { caPem: readFileSync(caCertFile, 'utf8'), caCertFile, serverCertFile, serverKeyFile };
}
