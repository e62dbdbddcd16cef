/**
 * Random clusters and policy sets for property tests: small enough to compare every pair with
 * the pairwise evaluator, varied enough to hit every rule (selectors with every operator,
 * ipBlocks with except, named and numbered ports, endPort, both policy types, absent and empty
 * lists). Deterministic per seed; written as YAML and parsed, so defaults come from the parser.
 */
import { stringify } from 'yaml';
import { createRandom, type Random } from '../../../src/stats/random.js';
import type { ClusterModel } from '../../../src/policy/model.js';
import type { NetworkPolicy } from '../../../src/policy/network-policy.js';
import { model as parseModel, policies as parsePolicyYaml } from './helpers.js';

type Rng = Random;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: Rng, p: number): boolean => r() < p;
const upTo = (r: Rng, n: number): number => Math.floor(r() * (n + 1));

const labelValues: Record<string, string[]> = {
  app: ['web', 'db', 'cache'],
  tier: ['front', 'back'],
  team: ['red', 'blue'],
};
const namespaceNames = ['x', 'y', 'z', 'w'];
const portNames = ['http', 'dns', 'metrics'];
const portNumbers = [53, 80, 81, 8080];
const protocolNames = ['TCP', 'UDP', 'SCTP'] as const;

/** ipBlocks as `[cidr, strict subsets usable as except]`, around the pods' addresses. */
const blocks: [string, string[]][] = [
  ['10.0.0.0/16', ['10.0.1.0/24', '10.0.0.4/30']],
  ['10.0.0.0/24', ['10.0.0.0/29', '10.0.0.6/32']],
  ['10.0.1.0/24', ['10.0.1.0/30']],
  ['10.0.0.8/29', ['10.0.0.12/31']],
  ['0.0.0.0/0', ['10.0.0.0/8']],
];

function labels(r: Rng): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, vs] of Object.entries(labelValues)) if (chance(r, 0.6)) out[k] = pick(r, vs);
  return out;
}

function selector(r: Rng): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (chance(r, 0.4)) {
    const k = pick(r, Object.keys(labelValues));
    out.matchLabels = { [k]: pick(r, labelValues[k]!) };
  }
  if (chance(r, 0.5)) {
    out.matchExpressions = Array.from({ length: 1 + upTo(r, 1) }, () => {
      const key = pick(r, Object.keys(labelValues));
      const operator = pick(r, ['In', 'NotIn', 'Exists', 'DoesNotExist']);
      const values = [...new Set([pick(r, labelValues[key]!), pick(r, labelValues[key]!)])];
      return operator === 'In' || operator === 'NotIn'
        ? { key, operator, values }
        : { key, operator };
    });
  }
  return out;
}

function peer(r: Rng): Record<string, unknown> {
  if (chance(r, 0.3)) {
    const [cidr, subsets] = pick(r, blocks);
    const except = subsets.filter(() => chance(r, 0.5));
    return { ipBlock: except.length === 0 ? { cidr } : { cidr, except } };
  }
  const which = pick(r, ['pod', 'namespace', 'both']);
  const out: Record<string, unknown> = {};
  if (which !== 'namespace') out.podSelector = selector(r);
  if (which !== 'pod') {
    out.namespaceSelector = chance(r, 0.3)
      ? { matchLabels: { 'kubernetes.io/metadata.name': pick(r, namespaceNames) } }
      : selector(r);
  }
  return out;
}

function policyPort(r: Rng): Record<string, unknown> {
  const protocol = chance(r, 0.3) ? undefined : pick(r, protocolNames);
  const base = protocol === undefined ? {} : { protocol };
  switch (pick(r, ['any', 'number', 'named', 'range'])) {
    case 'any':
      return base;
    case 'number':
      return { ...base, port: pick(r, portNumbers) };
    case 'named':
      return { ...base, port: pick(r, portNames) };
    default: {
      const port = pick(r, portNumbers);
      return { ...base, port, endPort: port + upTo(r, 8000) };
    }
  }
}

function rules(r: Rng, peerKey: 'from' | 'to'): Record<string, unknown>[] {
  return Array.from({ length: upTo(r, 2) }, () => {
    const rule: Record<string, unknown> = {};
    if (chance(r, 0.7)) rule[peerKey] = Array.from({ length: upTo(r, 2) }, () => peer(r));
    if (chance(r, 0.6)) rule.ports = Array.from({ length: upTo(r, 2) }, () => policyPort(r));
    return rule;
  });
}

function policyManifest(r: Rng, i: number): Record<string, unknown> {
  const spec: Record<string, unknown> = { podSelector: selector(r) };
  const types = pick(r, [[], ['Ingress'], ['Egress'], ['Ingress', 'Egress'], undefined]);
  if (types !== undefined) spec.policyTypes = types;
  if (chance(r, 0.7)) spec.ingress = rules(r, 'from');
  if (chance(r, 0.6)) spec.egress = rules(r, 'to');
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `p${i}`, namespace: pick(r, namespaceNames) },
    spec,
  };
}

function podSpec(r: Rng, i: number, ips: Set<string>): Record<string, unknown> {
  const ports: Record<string, unknown>[] = [];
  for (let j = upTo(r, 3); j > 0; j--) {
    const port = pick(r, portNumbers);
    const protocol = pick(r, protocolNames);
    const name = chance(r, 0.6) ? pick(r, portNames) : undefined;
    if (
      ports.some((p) => (p.port === port && p.protocol === protocol) || (name && p.name === name))
    )
      continue;
    ports.push(name === undefined ? { port, protocol } : { name, port, protocol });
  }
  const out: Record<string, unknown> = {
    namespace: pick(r, namespaceNames.slice(0, 3)),
    name: `pod${i}`,
    labels: labels(r),
    ports,
  };
  // Few distinct addresses, so several pods land in one ipBlock and classes still merge.
  const ip = chance(r, 0.5)
    ? `10.0.0.${upTo(r, 15)}`
    : chance(r, 0.6)
      ? `10.0.1.${upTo(r, 7)}`
      : undefined;
  if (ip !== undefined && !ips.has(ip)) {
    ips.add(ip);
    out.ip = ip;
  }
  return out;
}

/** A random model of up to 12 pods in namespaces x, y, z, and up to 7 policies. */
export function randomCase(seed: number): { model: ClusterModel; policies: NetworkPolicy[] } {
  const r = createRandom(seed);
  const ips = new Set<string>();
  const namespaces = namespaceNames.slice(0, 3).map((name) => ({ name, labels: labels(r) }));
  const pods = Array.from({ length: 1 + upTo(r, 11) }, (_, i) => podSpec(r, i, ips));
  const manifests = Array.from({ length: upTo(r, 7) }, (_, i) => policyManifest(r, i));
  return {
    model: parseModel(stringify({ namespaces, pods })),
    policies:
      manifests.length === 0
        ? []
        : parsePolicyYaml(manifests.map((m) => stringify(m)).join('---\n')),
  };
}
