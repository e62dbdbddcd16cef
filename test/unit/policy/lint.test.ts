import { describe, expect, it } from 'vitest';
import { lintPolicies, parsePodCidrs, type LintRule } from '../../../src/policy/lint.js';
import { e2eModel, model, np, policies } from './helpers.js';

const m = e2eModel();

function rules(
  yaml: string,
  options: Parameters<typeof lintPolicies>[1] = { model: m },
): LintRule[] {
  return lintPolicies(policies(yaml), options).findings.map((f) => f.rule);
}

const denyAll = (ns: string): string =>
  np(
    ns,
    'deny-all',
    'podSelector: {}\npolicyTypes: [Ingress, Egress]\negress: [{ ports: [{ port: 53, protocol: UDP }] }]',
  );
const quiet = denyAll('x') + denyAll('y') + denyAll('z');

describe('policy lint', () => {
  it('finds nothing in namespaces that default-deny both ways and allow DNS', () => {
    expect(rules(quiet)).toEqual([]);
  });

  it('warns about namespaces without a default-deny, ingress as a warning and egress as info', () => {
    const findings = lintPolicies(
      policies(denyAll('x') + np('y', 'deny-in', 'podSelector: {}\ningress: []')),
      { model: m },
    ).findings;
    const noDeny = findings
      .filter((f) => f.rule === 'no-default-deny')
      .map((f) => `${f.severity} ${f.subject}: ${f.message.split(':')[0]}`);
    expect(noDeny).toEqual([
      'info namespace y: no policy isolates every pod of y for egress',
      'warning namespace z: no policy isolates every pod of z for ingress',
      'info namespace z: no policy isolates every pod of z for egress',
    ]);
  });

  it('warns about a policy whose podSelector selects no pod, and one in a namespace the model lacks', () => {
    const findings = lintPolicies(
      policies(
        quiet +
          np('x', 'typo', 'podSelector: { matchLabels: { pod: d } }') +
          np('w', 'elsewhere', 'podSelector: {}'),
      ),
      { model: m },
    ).findings.filter((f) => f.rule === 'selects-no-pods');
    expect(findings.map((f) => f.subject)).toEqual(['x/typo', 'w/elsewhere']);
    expect(findings[0]!.message).toBe('podSelector pod=d selects no pod of namespace x');
  });

  it('warns when pods are isolated for egress and nothing lets DNS out', () => {
    const findings = lintPolicies(
      policies(
        denyAll('x') +
          denyAll('y') +
          np(
            'z',
            'deny-out',
            'podSelector: {}\npolicyTypes: [Ingress, Egress]\negress: [{ ports: [{ port: 53 }] }]',
          ),
      ),
      { model: m },
    ).findings.filter((f) => f.rule === 'egress-without-dns');
    // TCP/53 alone is not DNS: lookups go over UDP first.
    expect(findings.map((f) => f.subject)).toEqual(['z/a, z/b, z/c']);
  });

  it('counts a named port as DNS when the destination declares it as UDP/53', () => {
    const dnsModel = model(`
namespaces: [{ name: x }, { name: kube-system }]
pods:
  - { namespace: x, name: app }
  - { namespace: kube-system, name: coredns, labels: { k8s-app: kube-dns }, ports: [{ name: dns, port: 53, protocol: UDP }] }
`);
    const yaml = np(
      'x',
      'out',
      'podSelector: {}\npolicyTypes: [Egress]\negress: [{ ports: [{ port: dns, protocol: UDP }] }]',
    );
    expect(rules(yaml, { model: dnsModel })).not.toContain('egress-without-dns');
  });

  it('warns about ipBlocks that also match pod addresses, by pod CIDR and by model pods', () => {
    const yaml =
      quiet +
      np(
        'x',
        'ext',
        'podSelector: {}\ningress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.244.2.0/24] } }, { ipBlock: { cidr: 192.168.0.0/16 } }] }]',
      );
    const { cidrs } = parsePodCidrs(['10.244.0.0/16']);
    const f = lintPolicies(policies(yaml), { model: m, podCidrs: cidrs }).findings.filter(
      (x) => x.rule === 'ipblock-overlaps-pods',
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.subject).toBe('x/ext ingress[0].from[0]');
    // The except removes node2's pods: only node1's pods are named.
    expect(f[0]!.message).toContain(
      'the pod CIDR 10.244.0.0/16 and pods x/a, x/c, y/b, z/a and 1 more',
    );
  });

  it('finds a rule shadowed by a broader one in another policy selecting a superset of pods', () => {
    const yaml =
      quiet +
      np(
        'x',
        'narrow',
        'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }], ports: [{ port: 80 }] }]',
      ) +
      np(
        'x',
        'broad',
        'podSelector: {}\ningress: [{ from: [{ podSelector: {} }], ports: [{ port: 80, endPort: 90 }] }]',
      );
    const f = lintPolicies(policies(yaml), { model: m }).findings.filter(
      (x) => x.rule === 'shadowed-rule',
    );
    expect(f.map((x) => `${x.subject} <- ${x.message}`)).toEqual([
      'x/narrow ingress[0] <- adds nothing: x/broad ingress[0] already allows all it allows (TCP/80) for every pod it applies to',
    ]);
  });

  it('reports only the later of two identical rules, and not a rule for other pods', () => {
    const yaml =
      quiet +
      np(
        'x',
        'one',
        'podSelector: { matchLabels: { pod: a } }\ningress: [{ ports: [{ port: 80 }] }, { ports: [{ port: 80 }] }]',
      ) +
      np('x', 'other-pods', 'podSelector: { matchLabels: { pod: b } }\ningress: [{}]');
    const f = lintPolicies(policies(yaml), { model: m }).findings.filter(
      (x) => x.rule === 'shadowed-rule',
    );
    expect(f.map((x) => x.subject)).toEqual(['x/one ingress[1]']);
  });

  it('treats ipBlocks by their addresses when looking for shadowed rules', () => {
    const yaml =
      quiet +
      np(
        'x',
        'cidrs',
        'podSelector: {}\ningress:\n  - from: [{ ipBlock: { cidr: 192.168.1.0/24 } }]\n  - from: [{ ipBlock: { cidr: 192.168.0.0/16, except: [192.168.2.0/24] } }]\n  - from: [{ ipBlock: { cidr: 192.168.2.0/25 } }]',
      );
    const f = lintPolicies(policies(yaml), { model: m }).findings.filter(
      (x) => x.rule === 'shadowed-rule',
    );
    expect(f.map((x) => x.subject)).toEqual(['x/cidrs ingress[0]']);
  });

  it('warns that egress rules are ignored when policyTypes leaves Egress out', () => {
    expect(
      rules(quiet + np('x', 'half', 'podSelector: {}\npolicyTypes: [Ingress]\negress: [{}]')),
    ).toContain('ignored-rules');
  });

  it('says policies on a CNI that does not enforce them are ignored, as an error', () => {
    const f = lintPolicies(policies(quiet), { model: m, cni: 'Flannel' }).findings[0]!;
    expect(f).toMatchObject({ severity: 'error', rule: 'cni-does-not-enforce' });
    expect(f.message).toContain('3 policies are accepted by the API server but not enforced');
    expect(rules(quiet, { model: m, cni: 'calico' })).toEqual([]);
    expect(rules(quiet, { model: m, cni: 'acme-net' })).toEqual(['cni-unknown']);
  });

  it('without a model, checks the namespaces policies live in and says what it skipped', () => {
    const r = lintPolicies(policies(np('x', 'out', 'podSelector: {}\npolicyTypes: [Egress]')));
    expect(r.findings.map((f) => `${f.rule} ${f.subject}`)).toEqual([
      'no-default-deny namespace x',
      'egress-without-dns namespace x',
    ]);
    expect(r.skipped).toEqual(['selects-no-pods and per-pod egress-without-dns need --model']);
  });
});
