import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate with its key, as files (for RACK_CA_FILE) and bytes (for a server's `tls` option). */
export interface TestCertificate {
  certFile: string;
  cert: Buffer;
  key: Buffer;
  /** SHA-256 of the DER certificate as openssl prints it (`AB:CD:…`), what RACK_TLS_PIN_SHA256 takes. */
  sha256: string;
}

export interface TestCertificates {
  /** A throwaway certificate authority. */
  ca: TestCertificate;
  /** A server certificate for 127.0.0.1 and localhost, signed by `ca`. */
  server: TestCertificate;
  /** A self-signed certificate for 127.0.0.1 and localhost, unrelated to `ca`. */
  selfSigned: TestCertificate;
  remove(): Promise<void>;
}

// P-256 keys: generated in milliseconds, where RSA would slow every test file that needs TLS.
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const SERVER_NAMES = 'subjectAltName=IP:127.0.0.1,DNS:localhost';

/**
 * Generates certificates with the `openssl` binary in a fresh temp dir (e2e tests only; `remove()` deletes
 * it). Valid for two days, so a clock a little off on CI does not matter.
 */
export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'rack-gateway-certs-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });

  // prettier-ignore
  await openssl(
    'req', '-x509', ...NEW_KEY, '-days', '2', '-subj', '/CN=rack-gateway test CA',
    '-keyout', file('ca.key'), '-out', file('ca.crt'),
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  );

  // prettier-ignore
  await openssl(
    'req', '-new', ...NEW_KEY, '-subj', '/CN=localhost',
    '-keyout', file('server.key'), '-out', file('server.csr'),
  );
  await writeFile(
    file('server.ext'),
    `${SERVER_NAMES}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
  );
  // prettier-ignore
  await openssl(
    'x509', '-req', '-in', file('server.csr'), '-days', '2', '-set_serial', '2',
    '-CA', file('ca.crt'), '-CAkey', file('ca.key'),
    '-extfile', file('server.ext'), '-out', file('server.crt'),
  );

  // prettier-ignore
  await openssl(
    'req', '-x509', ...NEW_KEY, '-days', '2', '-subj', '/CN=localhost',
    '-keyout', file('self-signed.key'), '-out', file('self-signed.crt'),
    '-addext', SERVER_NAMES,
  );

  const load = async (name: string): Promise<TestCertificate> => {
    const certFile = file(`${name}.crt`);
    const { stdout } = await openssl('x509', '-in', certFile, '-noout', '-fingerprint', '-sha256');
    return {
      certFile,
      cert: await readFile(certFile),
      key: await readFile(file(`${name}.key`)),
      sha256: stdout.trim().replace(/^.*=/, ''),
    };
  };
  return {
    ca: await load('ca'),
    server: await load('server'),
    selfSigned: await load('self-signed'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
