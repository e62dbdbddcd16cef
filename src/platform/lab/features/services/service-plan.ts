/**
 * The Services a trial programs, pure: the target (placement via-service) in front of the server
 * pod and its replicas, plus `unrelated` Services that carry no traffic but make the rule set as
 * large as a cluster's. Names, ClusterIPs (from the default Service CIDR 10.96.0.0/12) and
 * endpoint addresses follow from the spec alone, so every node gets identical rules.
 */
import type { ServicesSpec } from '../../../../topology/topology-spec.js';
import { createHash } from 'node:crypto';

export interface ServiceEndpoint {
  ip: string;
  port: number;
}

/** One Service port (kube-proxy programs one rule set per Service port). */
export interface PlannedService {
  namespace: string;
  name: string;
  portName: string;
  protocol: 'tcp';
  clusterIp: string;
  port: number;
  endpoints: ServiceEndpoint[];
}

/** The ClusterIP of the target Service (as a cluster's second well-known address). */
export const targetClusterIp = '10.96.0.10';
/** Endpoints per unrelated Service (a typical small Deployment). */
export const unrelatedEndpoints = 2;
/** kube-proxy drops rule comments above this many endpoints (its "large cluster mode"). */
export const largeClusterEndpoints = 1000;

/**
 * The i-th unrelated Service's ClusterIP: 10.96.1.1 upwards, skipping .0 and .255 (100 000
 * Services end in 10.97.138.x, well inside 10.96.0.0/12).
 */
export function unrelatedClusterIp(i: number): string {
  const block = Math.floor(i / 254) + 1;
  return `10.${96 + Math.floor(block / 256)}.${block % 256}.${(i % 254) + 1}`;
}

/** Endpoints of unrelated Services: addresses in 10.250.0.0/16, held by no pod. */
function unrelatedEndpoint(i: number, k: number): ServiceEndpoint {
  const n = i * unrelatedEndpoints + k;
  return { ip: `10.250.${Math.floor(n / 250) % 256}.${(n % 250) + 2}`, port: 8080 };
}

export function planServices(spec: ServicesSpec, podIp: (pod: string) => string): PlannedService[] {
  const services: PlannedService[] = [];
  for (let i = 0; i < spec.unrelated; i++) {
    services.push({
      namespace: 'bulk',
      name: `svc-${i}`,
      portName: 'http',
      protocol: 'tcp',
      clusterIp: unrelatedClusterIp(i),
      port: 80,
      endpoints: Array.from({ length: unrelatedEndpoints }, (_, k) => unrelatedEndpoint(i, k)),
    });
  }
  // The target goes last: a linear iptables lookup walks every other Service's rule before it
  // (the worst case, and the one the field's "iptables degrades linearly" claim is about).
  const target = spec.target;
  if (target !== undefined) {
    for (const p of target.ports) {
      services.push({
        namespace: 'default',
        name: target.name,
        portName: target.ports.length === 1 ? 'http' : `p${p.port}`,
        protocol: 'tcp',
        clusterIp: targetClusterIp,
        port: p.port,
        endpoints: target.endpoints.map((pod) => ({ ip: podIp(pod), port: p.targetPort })),
      });
    }
  }
  return services;
}

/** kube-proxy's service port name: `namespace/name:port`. */
export function servicePortName(s: PlannedService): string {
  return `${s.namespace}/${s.name}:${s.portName}`;
}

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding) of `bytes`; Node has no base32 codec built in. */
function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32Alphabet[(value << (5 - bits)) & 31];
  return out;
}

/**
 * A stable short hash for chain names, as kube-proxy makes them: the first `length` characters
 * of base32(sha256(text)). Chain names must be unique and at most 28 characters in iptables.
 */
export function chainHash(text: string, length: number): string {
  return base32(createHash('sha256').update(text).digest()).slice(0, length);
}
