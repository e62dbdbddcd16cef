import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePolicySet, type EndpointProgram } from '../../../src/policy/compile.js';
import type { PolicySetSpec } from '../../../src/policy/policy-set.js';
import { e2eModel, fixtures, np, policies } from './helpers.js';

const m = e2eModel();

/** A policy set over the e2e model, lab pods named after the model pods (x/a → xa). */
function setOf(yaml: string): { spec: PolicySetSpec; addresses: Record<string, string> } {
  const pods = m.pods.map((model) => ({ pod: model.id.replace('/', ''), model }));
  return {
    spec: {
      enforcer: 'iptables',
      label: 'test',
      namespaces: m.namespaces,
      pods,
      policies: policies(yaml),
    },
    addresses: Object.fromEntries(pods.map((p) => [p.pod, p.model.ip!.text])),
  };
}

function endpoint(programs: readonly EndpointProgram[], pod: string): EndpointProgram {
  const e = programs.find((p) => p.pod === pod);
  if (e === undefined) throw new Error(`no endpoint ${pod}`);
  return e;
}

describe('policy compiler', () => {
  it('leaves pods no policy selects unisolated, and isolates with an empty list when nothing is allowed', () => {
    const { spec, addresses } = setOf(np('x', 'deny', 'podSelector: { matchLabels: { pod: a } }'));
    const c = compilePolicySet(spec, addresses);
    expect(endpoint(c.endpoints, 'xa')).toEqual({ pod: 'xa', ip: '10.244.1.10', ingress: [] });
    expect(endpoint(c.endpoints, 'xb')).toEqual({ pod: 'xb', ip: '10.244.2.10' });
  });

  it('resolves selectors to the current pod addresses and keeps the rule each entry came from', () => {
    const { spec, addresses } = setOf(
      np(
        'x',
        'from-b',
        'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: b } } }], ports: [{ port: 80, endPort: 81 }] }]',
      ),
    );
    expect(endpoint(compilePolicySet(spec, addresses).endpoints, 'xa').ingress).toEqual(
      ['10.244.2.10', '10.244.1.12', '10.244.2.13'].map((ip) => ({
        cidr: `${ip}/32`,
        protocol: 'TCP',
        ports: [80, 81],
        rule: 'x/from-b ingress[0]',
      })),
    );
  });

  it('resolves an egress named port on each destination pod, and an ingress one on the pod itself', () => {
    const m2 = e2eModel();
    // Give y/a a different number behind the same port name.
    m2.pods.find((p) => p.id === 'y/a')!.ports = [
      { name: 'serve-80-tcp', port: 8080, protocol: 'TCP' },
    ];
    const pods = m2.pods.map((model) => ({ pod: model.id.replace('/', ''), model }));
    const spec: PolicySetSpec = {
      enforcer: 'nftables',
      label: 'test',
      namespaces: m2.namespaces,
      pods,
      policies: policies(
        np(
          'x',
          'out',
          'podSelector: { matchLabels: { pod: a } }\npolicyTypes: [Egress]\negress: [{ to: [{ namespaceSelector: { matchLabels: { ns: y } } }], ports: [{ port: serve-80-tcp }] }]',
        ),
      ),
    };
    const addresses = Object.fromEntries(pods.map((p) => [p.pod, p.model.ip!.text]));
    const egress = endpoint(compilePolicySet(spec, addresses).endpoints, 'xa').egress!;
    expect(egress.map((e) => `${e.cidr} ${e.protocol}/${e.ports!.join('-')}`)).toEqual([
      '10.244.2.11/32 TCP/8080-8080',
      '10.244.1.12/32 TCP/80-80',
      '10.244.2.12/32 TCP/80-80',
    ]);
  });

  it('turns an ipBlock with except into the prefixes that remain, and a rule without ports into any protocol', () => {
    const { spec, addresses } = setOf(
      np(
        'x',
        'cidr',
        'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ ipBlock: { cidr: 192.168.0.0/30, except: [192.168.0.1/32] } }] }]',
      ),
    );
    expect(
      endpoint(compilePolicySet(spec, addresses).endpoints, 'xa').ingress!.map((e) => e.cidr),
    ).toEqual(['192.168.0.0/32', '192.168.0.2/31']);
  });

  it('notes IPv6 ipBlocks it cannot apply in the IPv4 lab', () => {
    const { spec, addresses } = setOf(
      np('x', 'v6', 'ingress: [{ from: [{ ipBlock: { cidr: 2001:db8::/64 } }] }]'),
    );
    expect(compilePolicySet(spec, addresses).notes).toEqual([
      'IPv6 ipBlock 2001:db8::/64 has no effect in this IPv4 lab',
    ]);
  });

  it('compiles the e2e fixture policies into a stable number of entries', () => {
    const { spec, addresses } = setOf(readFileSync(`${fixtures}e2e-policies.yaml`, 'utf8'));
    const c = compilePolicySet(spec, addresses);
    expect(c.endpoints.filter((e) => e.ingress !== undefined).map((e) => e.pod)).toEqual([
      'xa',
      'xb',
      'xc',
      'yb',
      'za',
      'zb',
      'zc',
    ]);
    expect(c.endpoints.filter((e) => e.egress !== undefined).map((e) => e.pod)).toEqual([
      'yc',
      'za',
      'zb',
      'zc',
    ]);
  });
});
