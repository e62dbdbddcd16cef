/**
 * The run's mesh PKI on disk, in the run's state directory (removed with the run): one CA per
 * run, created on first use, and one certificate per service account, issued by openssl. Keys are
 * readable by root only; proxies read them at startup, before a sidecar drops to uid 1337.
 */
import { access, chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessRunner } from '../../../../core/process-runner.js';
import { caArgv, workloadCertArgv } from '../../../../mesh/identity.js';

export interface MeshPki {
  caFile: string;
  certFile(serviceAccount: string): string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export function meshPki(meshDir: string): MeshPki {
  return {
    caFile: join(meshDir, 'ca', 'ca.pem'),
    certFile: (sa) => join(meshDir, 'certs', `${sa}.pem`),
  };
}

/** Creates the run's CA if it does not exist yet, then a certificate for each service account missing one. */
export async function issueCertificates(
  runner: ProcessRunner,
  meshDir: string,
  runId: string,
  serviceAccounts: readonly string[],
): Promise<MeshPki> {
  const pki = meshPki(meshDir);
  const caDir = join(meshDir, 'ca');
  const caKey = join(caDir, 'ca.key');
  await mkdir(caDir, { recursive: true, mode: 0o700 });
  await mkdir(join(meshDir, 'certs'), { recursive: true, mode: 0o700 });
  if (!(await exists(pki.caFile))) {
    await runner.run({
      argv: caArgv({ keyPath: caKey, certPath: pki.caFile, runId }),
      timeoutMs: 30_000,
    });
    await chmod(caKey, 0o600);
  }
  for (const sa of serviceAccounts) {
    const pem = pki.certFile(sa);
    if (await exists(pem)) continue;
    const key = `${pem}.key`;
    const crt = `${pem}.crt`;
    await runner.run({
      argv: workloadCertArgv({
        serviceAccount: sa,
        keyPath: key,
        certPath: crt,
        caKeyPath: caKey,
        caCertPath: pki.caFile,
      }),
      timeoutMs: 30_000,
    });
    // HAProxy wants the certificate and its key in one PEM.
    const combined = (await readFile(crt, 'utf8')) + (await readFile(key, 'utf8'));
    await writeFile(pem, combined, { mode: 0o600 });
    await rm(key);
    await rm(crt);
  }
  return pki;
}
