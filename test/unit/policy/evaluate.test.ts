import { describe, expect, it } from 'vitest';
import { explainVerdict } from '../../../src/policy/explain.js';
import { decider, model, np } from './helpers.js';

// A small hand-made cluster: two namespaces, three pods, a few declared ports.
const small = model(`
namespaces:
  - { name: x, labels: { team: red } }
  - { name: y, labels: { team: blue } }
pods:
  - namespace: x
    name: a
    labels: { pod: a, app: web }
    ip: 10.0.0.1
    ports:
      - { name: http, port: 80 }
      - { name: dns, port: 53, protocol: UDP }
      - { name: sig, port: 9000, protocol: SCTP }
  - { namespace: x, name: b, labels: { pod: b }, ip: 10.0.0.2 }
  - namespace: y
    name: a
    labels: { pod: a }
    ip: 10.0.1.1
    ports:
      - { name: http, port: 8080 }
`);

describe('policy evaluator: isolation', () => {
  it('allows everything when no policy exists, saying nothing isolates either side', () => {
    const v = decider(small, '')('x/b', 'y/a', 8080);
    expect(v.allowed).toBe(true);
    expect(v.egress.isolatedBy).toEqual([]);
    expect(explainVerdict(v)).toContain('not isolated');
  });

  it('isolates a pod only for the direction its policies list', () => {
    const decide = decider(small, np('x', 'deny-in', 'podSelector: {}\npolicyTypes: [Ingress]'));
    expect(decide('y/a', 'x/a').allowed).toBe(false);
    // x/a's egress is untouched by an Ingress-only policy.
    expect(decide('x/a', 'y/a', 8080).allowed).toBe(true);
  });

  it('does not isolate pods the policy does not select', () => {
    const decide = decider(small, np('x', 'deny-a', 'podSelector: { matchLabels: { pod: a } }'));
    expect(decide('y/a', 'x/a').allowed).toBe(false);
    expect(decide('y/a', 'x/b').allowed).toBe(true);
  });

  it('does not isolate pods of other namespaces even when their labels match', () => {
    const decide = decider(small, np('x', 'deny-a', 'podSelector: { matchLabels: { pod: a } }'));
    expect(decide('x/b', 'y/a', 8080).allowed).toBe(true);
  });

  it('allows the union of all rules of all policies selecting the pod', () => {
    const decide = decider(
      small,
      np(
        'x',
        'from-b',
        'podSelector: {}\ningress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }] }]',
      ) +
        np(
          'x',
          'from-y',
          'podSelector: {}\ningress: [{ from: [{ namespaceSelector: { matchLabels: { team: blue } } }] }]',
        ),
    );
    expect(decide('x/b', 'x/a').ingress.allowedBy.map((r) => r.policy)).toEqual(['x/from-b']);
    expect(decide('y/a', 'x/a').ingress.allowedBy.map((r) => r.policy)).toEqual(['x/from-y']);
  });

  it('requires the source egress AND the destination ingress to allow a connection', () => {
    const decide = decider(
      small,
      np(
        'x',
        'b-egress-only-to-x',
        'podSelector: { matchLabels: { pod: b } }\npolicyTypes: [Egress]\negress: [{ to: [{ podSelector: {} }] }]',
      ) + np('y', 'y-allows-all', 'podSelector: {}\ningress: [{}]'),
    );
    const v = decide('x/b', 'y/a', 8080);
    expect(v.ingress.allowed).toBe(true);
    expect(v.egress.allowed).toBe(false);
    expect(v.allowed).toBe(false);
    expect(explainVerdict(v)).toMatch(/egress from x\/b: isolated by x\/b-egress-only-to-x/);
  });
});

describe('policy evaluator: policyTypes defaulting', () => {
  it('defaults a policy with egress rules and no policyTypes to Ingress and Egress', () => {
    // Only egress rules are written, yet ingress is isolated too (SetDefaults_NetworkPolicy).
    const decide = decider(
      small,
      np('x', 'egress-rules', 'podSelector: { matchLabels: { pod: b } }\negress: [{}]'),
    );
    expect(decide('x/a', 'x/b').allowed).toBe(false);
    expect(decide('x/b', 'y/a', 8080).allowed).toBe(true);
  });

  it('defaults a policy with an empty egress list to Ingress only', () => {
    const decide = decider(small, np('x', 'empty-egress', 'podSelector: {}\negress: []'));
    expect(decide('x/a', 'y/a', 8080).allowed).toBe(true);
    expect(decide('y/a', 'x/a').allowed).toBe(false);
  });

  it('treats an empty policyTypes list like an absent one', () => {
    const decide = decider(small, np('x', 'empty-types', 'podSelector: {}\npolicyTypes: []'));
    expect(decide('y/a', 'x/a').allowed).toBe(false);
    expect(decide('x/a', 'y/a', 8080).allowed).toBe(true);
  });

  it('takes an explicit Egress-only policyTypes as written: ingress stays open', () => {
    const decide = decider(small, np('x', 'deny-out', 'podSelector: {}\npolicyTypes: [Egress]'));
    expect(decide('y/a', 'x/a').allowed).toBe(true);
    expect(decide('x/a', 'y/a', 8080).allowed).toBe(false);
  });

  it('ignores egress rules of a policy whose policyTypes omits Egress', () => {
    const decide = decider(
      small,
      np(
        'x',
        'ingress-only',
        'podSelector: {}\npolicyTypes: [Ingress]\negress: [{ to: [{ podSelector: {} }] }]',
      ),
    );
    expect(decide('x/a', 'y/a', 8080).egress.isolatedBy).toEqual([]);
  });
});

describe('policy evaluator: empty versus absent', () => {
  it('reads ingress: [] as deny-all and ingress: [{}] as allow-all', () => {
    expect(decider(small, np('x', 'p', 'podSelector: {}\ningress: []'))('y/a', 'x/a').allowed).toBe(
      false,
    );
    expect(
      decider(small, np('x', 'p', 'podSelector: {}\ningress: [{}]'))('y/a', 'x/a').allowed,
    ).toBe(true);
  });

  it('reads an absent or empty from list as every source, inside and outside the namespace', () => {
    for (const rule of ['{ ports: [{ port: 80 }] }', '{ from: [], ports: [{ port: 80 }] }']) {
      const decide = decider(small, np('x', 'p', `podSelector: {}\ningress: [${rule}]`));
      expect(decide('y/a', 'x/a').allowed).toBe(true);
      expect(decide('x/b', 'x/a').allowed).toBe(true);
    }
  });

  it('scopes a peer with only podSelector: {} to the policy namespace', () => {
    const decide = decider(
      small,
      np('x', 'p', 'podSelector: {}\ningress: [{ from: [{ podSelector: {} }] }]'),
    );
    expect(decide('x/b', 'x/a').allowed).toBe(true);
    expect(decide('y/a', 'x/a').allowed).toBe(false);
  });

  it('reads a peer with only namespaceSelector: {} as every pod of every namespace', () => {
    const decide = decider(
      small,
      np('x', 'p', 'podSelector: {}\ningress: [{ from: [{ namespaceSelector: {} }] }]'),
    );
    expect(decide('x/b', 'x/a').allowed).toBe(true);
    expect(decide('y/a', 'x/a').allowed).toBe(true);
  });

  it('selects every pod of the namespace with spec.podSelector: {} or an absent podSelector', () => {
    for (const spec of ['podSelector: {}\ningress: []', 'ingress: []']) {
      const decide = decider(small, np('x', 'p', spec));
      expect(decide('y/a', 'x/a').allowed).toBe(false);
      expect(decide('y/a', 'x/b').allowed).toBe(false);
    }
  });

  it('matches NotIn for pods that lack the key, and DoesNotExist only for them', () => {
    const decide = decider(
      small,
      np(
        'x',
        'p',
        'podSelector: {}\ningress: [{ from: [{ podSelector: { matchExpressions: [{ key: app, operator: NotIn, values: [web] }] } }] }]',
      ),
    );
    expect(decide('x/b', 'x/a').allowed).toBe(true); // x/b has no app label
    expect(decide('x/a', 'x/b').allowed).toBe(false); // x/a has app=web
  });
});

describe('policy evaluator: peers', () => {
  it('ANDs namespaceSelector and podSelector inside one peer', () => {
    const decide = decider(
      small,
      np(
        'x',
        'and',
        'podSelector: { matchLabels: { pod: b } }\ningress: [{ from: [{ namespaceSelector: { matchLabels: { team: blue } }, podSelector: { matchLabels: { pod: a } } }] }]',
      ),
    );
    expect(decide('y/a', 'x/b').allowed).toBe(true);
    // x/a has pod=a but lives in team=red: the AND fails.
    expect(decide('x/a', 'x/b').allowed).toBe(false);
  });

  it('ORs two peers written as separate list items', () => {
    const decide = decider(
      small,
      np(
        'x',
        'or',
        'podSelector: { matchLabels: { pod: b } }\ningress: [{ from: [{ namespaceSelector: { matchLabels: { team: blue } } }, { podSelector: { matchLabels: { pod: a } } }] }]',
      ),
    );
    expect(decide('y/a', 'x/b').allowed).toBe(true);
    expect(decide('x/a', 'x/b').allowed).toBe(true);
  });

  it('selects namespaces by the kubernetes.io/metadata.name label the API server adds', () => {
    const decide = decider(
      small,
      np(
        'x',
        'by-name',
        'podSelector: {}\ningress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: y } } }] }]',
      ),
    );
    expect(decide('y/a', 'x/a').allowed).toBe(true);
    expect(decide('x/b', 'x/a').allowed).toBe(false);
  });

  it('matches pod addresses with ipBlock and leaves out the except blocks', () => {
    const decide = decider(
      small,
      np(
        'x',
        'cidr',
        'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/16, except: [10.0.1.0/24] } }] }]',
      ),
    );
    expect(decide('x/b', 'x/a').allowed).toBe(true);
    expect(decide('y/a', 'x/a').allowed).toBe(false);
  });

  it('allows an address in an except block when another rule allows it', () => {
    const decide = decider(
      small,
      np(
        'x',
        'cidr-except',
        'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/16, except: [10.0.1.1/32] } }] }]',
      ) +
        np(
          'x',
          'exact',
          'podSelector: { matchLabels: { pod: a } }\ningress: [{ from: [{ ipBlock: { cidr: 10.0.1.1/32 } }] }]',
        ),
    );
    expect(decide('y/a', 'x/a').ingress.allowedBy.map((r) => r.policy)).toEqual(['x/exact']);
  });

  it('never matches a pod without an address against an ipBlock', () => {
    const m = model(`
namespaces: [{ name: x }]
pods:
  - { namespace: x, name: a }
  - { namespace: x, name: b }
`);
    const decide = decider(
      m,
      np('x', 'cidr', 'podSelector: {}\ningress: [{ from: [{ ipBlock: { cidr: 0.0.0.0/0 } }] }]'),
    );
    expect(decide('x/b', 'x/a').allowed).toBe(false);
  });
});

describe('policy evaluator: ports and protocols', () => {
  it('reads a port without protocol as TCP only', () => {
    const decide = decider(
      small,
      np('x', 'p', 'podSelector: {}\ningress: [{ ports: [{ port: 53 }] }]'),
    );
    expect(decide('y/a', 'x/a', 53, 'TCP').allowed).toBe(true);
    expect(decide('y/a', 'x/a', 53, 'UDP').allowed).toBe(false);
  });

  it('reads a protocol without port as every port of that protocol', () => {
    const decide = decider(
      small,
      np('x', 'p', 'podSelector: {}\ningress: [{ ports: [{ protocol: UDP }] }]'),
    );
    expect(decide('y/a', 'x/a', 53, 'UDP').allowed).toBe(true);
    expect(decide('y/a', 'x/a', 9999, 'UDP').allowed).toBe(true);
    expect(decide('y/a', 'x/a', 53, 'TCP').allowed).toBe(false);
  });

  it('includes both ends of an endPort range and nothing outside it', () => {
    const decide = decider(
      small,
      np('x', 'p', 'podSelector: {}\ningress: [{ ports: [{ port: 80, endPort: 90 }] }]'),
    );
    expect([79, 80, 85, 90, 91].map((port) => decide('y/a', 'x/a', port).allowed)).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
  });

  it('resolves a named port on the destination pod by name and protocol', () => {
    const decide = decider(
      small,
      np('x', 'named', 'podSelector: {}\ningress: [{ ports: [{ port: dns, protocol: UDP }] }]') +
        np('x', 'named-tcp', 'podSelector: {}\ningress: [{ ports: [{ port: dns }] }]'),
    );
    expect(decide('y/a', 'x/a', 53, 'UDP').ingress.allowedBy.map((r) => r.policy)).toEqual([
      'x/named',
    ]);
    // "dns" with the default protocol TCP names no TCP port of x/a: it matches nothing.
    expect(decide('y/a', 'x/a', 53, 'TCP').allowed).toBe(false);
    // x/b declares no port named dns.
    expect(decide('y/a', 'x/b', 53, 'UDP').allowed).toBe(false);
  });

  it('resolves an egress named port on the destination, not on the source', () => {
    // Both x/a and y/a name a port "http": 80 on x/a, 8080 on y/a.
    const decide = decider(
      small,
      np(
        'x',
        'out-http',
        'podSelector: { matchLabels: { pod: a } }\npolicyTypes: [Egress]\negress: [{ ports: [{ port: http }] }]',
      ),
    );
    expect(decide('x/a', 'y/a', 8080).allowed).toBe(true);
    expect(decide('x/a', 'y/a', 80).allowed).toBe(false);
  });

  it('keeps SCTP apart from TCP on the same port number', () => {
    const decide = decider(
      small,
      np('x', 'sctp', 'podSelector: {}\ningress: [{ ports: [{ port: 9000, protocol: SCTP }] }]'),
    );
    expect(decide('y/a', 'x/a', 9000, 'SCTP').allowed).toBe(true);
    expect(decide('y/a', 'x/a', 9000, 'TCP').allowed).toBe(false);
  });
});

describe('policy evaluator: self pairs and explanations', () => {
  it('allows a pod to reach itself even when policies deny it, and marks the pair', () => {
    const decide = decider(
      small,
      np('x', 'deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'),
    );
    const v = decide('x/a', 'x/a');
    expect(v).toMatchObject({ self: true, allowed: true, policyAllowed: false });
    expect(explainVerdict(v)).toMatch(/cannot block access to itself.*would say: denied/);
  });

  it('names the rule that allowed a connection', () => {
    const decide = decider(
      small,
      np(
        'x',
        'allow-b',
        'podSelector: {}\ningress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }] }]',
      ),
    );
    expect(explainVerdict(decide('x/b', 'x/a'))).toBe(
      'allowed — egress from x/b: not isolated (no policy selects it); ingress to x/a: allowed by x/allow-b ingress[0]',
    );
  });

  it('explains a denial with the isolating policies and the closest rule', () => {
    const decide = decider(
      small,
      np(
        'x',
        'b-on-80',
        'podSelector: {}\ningress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }], ports: [{ port: 80 }] }]',
      ),
    );
    expect(explainVerdict(decide('x/b', 'x/a', 81))).toBe(
      'denied — ingress to x/a: isolated by x/b-on-80 and no ingress rule allows TCP/81 from x/b (closest: x/b-on-80 ingress[0] matches the peer but allows only TCP/80)',
    );
    expect(explainVerdict(decide('y/a', 'x/a', 80))).toContain(
      'x/b-on-80 ingress[0] allows the port but only for pods pod=b in x',
    );
  });
});
