import { describe, expect, it } from 'vitest';
import {
  caArgv,
  opensslSubject,
  serviceAccountOf,
  spiffeId,
  workloadCertArgv,
} from '../../../src/mesh/identity.js';

describe('workload identity', () => {
  it('is a SPIFFE ID built from the service account, defaulting to the pod name', () => {
    expect(spiffeId(serviceAccountOf({ name: 'client' }))).toBe(
      'spiffe://cluster.local/ns/default/sa/client',
    );
    expect(serviceAccountOf({ name: 'server', serviceAccount: 'api' })).toBe('api');
  });

  it('escapes slashes so openssl keeps a SPIFFE ID in one CN', () => {
    expect(opensslSubject([['CN', 'spiffe://cluster.local/ns/default/sa/x']])).toBe(
      '/CN=spiffe:\\/\\/cluster.local\\/ns\\/default\\/sa\\/x',
    );
  });

  it('makes a CA that ignores the host openssl.cnf', () => {
    const argv = caArgv({ keyPath: '/k', certPath: '/c', runId: 'abcde' });
    expect(argv.slice(0, 3)).toEqual(['openssl', 'req', '-x509']);
    expect(argv).toContain('basicConstraints=critical,CA:TRUE');
    expect(argv[argv.indexOf('-config') + 1]).toBe('/dev/null');
    expect(argv[argv.indexOf('-subj') + 1]).toBe('/O=netbench/CN=netbench mesh CA abcde');
  });

  it('issues a leaf for both client and server use with the ID as URI SAN and CN', () => {
    const argv = workloadCertArgv({
      serviceAccount: 'server',
      keyPath: '/k',
      certPath: '/c',
      caKeyPath: '/ca.key',
      caCertPath: '/ca.pem',
    });
    expect(argv).toEqual(
      expect.arrayContaining([
        'subjectAltName=URI:spiffe://cluster.local/ns/default/sa/server',
        'extendedKeyUsage=serverAuth,clientAuth',
        'basicConstraints=critical,CA:FALSE',
      ]),
    );
    expect(argv[argv.indexOf('-CA') + 1]).toBe('/ca.pem');
    expect(argv[argv.indexOf('-subj') + 1]).toContain('CN=spiffe:\\/\\/cluster.local');
  });
});
