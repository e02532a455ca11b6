import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Certs {
  /** PEM of the throwaway CA (the Lambda child trusts it through NODE_EXTRA_CA_CERTS). */
  caFile: string;
  key: Buffer;
  cert: Buffer;
}

/**
 * A throwaway CA and one server certificate for `names`, made with the
 * openssl CLI in `dir` (valid for two days; never leaves the temp directory).
 */
export function makeCerts(dir: string, names: string[]): Certs {
  mkdirSync(dir, { recursive: true });
  const openssl = (args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const e = error as { code?: string; stderr?: Buffer };
      if (e.code === 'ENOENT')
        throw new Error(
          "e2e needs the openssl CLI to issue the local receivers' TLS certificates (apt-get install openssl)",
        );
      throw new Error(`openssl ${args[0]}: ${e.stderr?.toString() ?? String(error)}`);
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=guardduty-notify e2e throwaway CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=guardduty-notify e2e receivers']);
  writeFileSync(
    join(dir, 'server.ext'),
    `${[
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
    ].join('\n')}\n`,
  );
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  ]);
  return {
    caFile: join(dir, 'ca.pem'),
    key: readFileSync(join(dir, 'server.key')),
    cert: readFileSync(join(dir, 'server.pem')),
  };
}
