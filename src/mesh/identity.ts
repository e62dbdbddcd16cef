/**
 * Workload identities and the openssl commands that issue them (pure: argv only, no I/O).
 *
 * Every run gets its own CA; every service account gets a certificate whose URI SAN is its
 * SPIFFE ID (spiffe://<trust domain>/ns/<namespace>/sa/<service account>), as Istio issues
 * them. HAProxy 2.6 cannot match URI SANs, so the same ID also sits in the subject CN, which
 * HAProxy checks with `verifyhost` (client side) and reads with `ssl_c_s_dn(CN)` (server side).
 * Keys are ECDSA P-256; certificates live one day, like Istio's default workload certificates.
 */

export const trustDomain = 'cluster.local';
/** The lab has no Kubernetes namespaces; every workload is in `default`. */
export const workloadNamespace = 'default';
export const certificateValidityDays = 1;

export function serviceAccountOf(pod: Pick<PodSpec, 'name' | 'serviceAccount'>): string {
  return pod.serviceAccount ?? pod.name;
}

export function spiffeId(serviceAccount: string): string {
  return `spiffe://${trustDomain}/ns/${workloadNamespace}/sa/${serviceAccount}`;
}

/** A distinguished name for `openssl -subj`, where `/` separates fields and must be escaped. */
export function opensslSubject(fields: readonly [string, string][]): string {
  return fields.map(([k, v]) => `/${k}=${v.replace(/[\\/+,=]/g, (c) => `\\${c}`)}`).join('');
}

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** A self-signed CA for one run. `-config /dev/null`: nothing from the host's openssl.cnf. */
export function caArgv(o: { keyPath: string; certPath: string; runId: string }): string[] {
  return [
    'openssl',
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    o.keyPath,
    '-out',
    o.certPath,
    '-days',
    String(certificateValidityDays),
    '-subj',
    opensslSubject([
      ['O', 'netbench'],
      ['CN', `netbench mesh CA ${o.runId}`],
    ]),
    '-config',
    '/dev/null',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-addext',
    'subjectKeyIdentifier=hash',
  ];
}

/** A workload certificate for `serviceAccount`, signed by the run's CA, usable both ways. */
export function workloadCertArgv(o: {
  serviceAccount: string;
  keyPath: string;
  certPath: string;
  caKeyPath: string;
  caCertPath: string;
}): string[] {
  const id = spiffeId(o.serviceAccount);
  return [
    'openssl',
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    o.keyPath,
    '-out',
    o.certPath,
    '-CA',
    o.caCertPath,
    '-CAkey',
    o.caKeyPath,
    '-days',
    String(certificateValidityDays),
    '-subj',
    opensslSubject([
      ['O', 'netbench'],
      ['CN', id],
    ]),
    '-config',
    '/dev/null',
    '-addext',
    `subjectAltName=URI:${id}`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'keyUsage=critical,digitalSignature',
    '-addext',
    'extendedKeyUsage=serverAuth,clientAuth',
  ];
}
import type { PodSpec } from '../topology/topology-spec.js';
