/**
 * The upstream Kubernetes e2e netpol suite (test/e2e/network/netpol/network_policy.go), case by
 * case: the same model (namespaces x, y, z; pods a, b, c; ports 80 and 81 over TCP, UDP, SCTP),
 * the same policies, the same expected reachability, built the way the suite builds it (all
 * allowed, then Expect/ExpectPeer/ExpectAllIngress/ExpectAllEgress). Like the suite, self pairs
 * are compared separately (upstream ignores loopback; Kubernetes says a pod cannot block itself).
 * The suite's helpers (SetSpecIngressRules/SetSpecEgressRules in netpol/policies.go) always write
 * policyTypes explicitly, so the translations here do too.
 */
import { describe, expect, it } from 'vitest';
import { createEvaluator } from '../../../src/policy/evaluate.js';
import type { Protocol } from '../../../src/policy/network-policy.js';
import { e2eModel, np, policies } from './helpers.js';

const m = e2eModel();
const pods = m.pods.map((p) => p.id);

interface Peer {
  namespace?: string;
  pod?: string;
}

/** The suite's Reachability: a truth table that starts all-allowed. */
class Reachability {
  readonly cells = new Map<string, boolean>();
  constructor() {
    for (const f of pods) for (const t of pods) this.cells.set(`${f}>${t}`, true);
  }
  private static matches(peer: Peer, id: string): boolean {
    const [ns, name] = id.split('/');
    return (
      (peer.namespace === undefined || peer.namespace === ns) &&
      (peer.pod === undefined || peer.pod === name)
    );
  }
  expect(from: string, to: string, allowed: boolean): this {
    this.cells.set(`${from}>${to}`, allowed);
    return this;
  }
  expectPeer(from: Peer, to: Peer, allowed: boolean): this {
    for (const f of pods) {
      for (const t of pods) {
        if (Reachability.matches(from, f) && Reachability.matches(to, t))
          this.expect(f, t, allowed);
      }
    }
    return this;
  }
  expectAllIngress(to: string, allowed: boolean): this {
    for (const f of pods) this.expect(f, to, allowed);
    return this;
  }
  expectAllEgress(from: string, allowed: boolean): this {
    for (const t of pods) this.expect(from, t, allowed);
    return this;
  }
}

/** Differences between the evaluator and the expected table (self pairs compared apart). */
function check(policyYaml: string, port: number, protocol: Protocol, r: Reachability): string[] {
  const ev = createEvaluator(m, policies(policyYaml));
  const wrong: string[] = [];
  for (const from of m.pods) {
    for (const to of m.pods) {
      const v = ev.evaluate({ from, to, port, protocol });
      if (from === to) {
        if (!v.allowed || !v.self) wrong.push(`${from.id} cannot reach itself`);
        continue;
      }
      const want = r.cells.get(`${from.id}>${to.id}`);
      if (v.allowed !== want)
        wrong.push(`${from.id} → ${to.id} ${protocol}/${port}: got ${v.allowed}, want ${want}`);
    }
  }
  return wrong;
}

const nsLabel = 'kubernetes.io/metadata.name';
const podA = 'podSelector: { matchLabels: { pod: a } }';

describe('upstream e2e netpol patterns', () => {
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
    it(`supports a default-deny-ingress policy (${protocol})`, () => {
      const r = new Reachability().expectPeer({}, { namespace: 'x' }, false);
      expect(
        check(np('x', 'deny-ingress', 'podSelector: {}\ningress: []'), 80, protocol, r),
      ).toEqual([]);
    });

    it(`enforces a policy based on ports, allowing namespace y on port 81 (${protocol})`, () => {
      const policy = np(
        'x',
        'allow-81',
        `${podA}\ningress:\n  - from: [{ namespaceSelector: { matchLabels: { ${nsLabel}: y } } }]\n    ports: [{ port: 81, protocol: ${protocol} }]`,
      );
      const r = new Reachability()
        .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
        .expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
      expect(check(policy, 81, protocol, r)).toEqual([]);
      // On port 80 nothing reaches x/a: the only rule is for 81.
      expect(
        check(policy, 80, protocol, new Reachability().expectAllIngress('x/a', false)),
      ).toEqual([]);
    });

    it(`allows only y/a into x/a with namespaceSelector AND podSelector in one peer (${protocol})`, () => {
      const policy = np(
        'x',
        'allow-y-a',
        `${podA}\ningress: [{ from: [{ namespaceSelector: { matchLabels: { ${nsLabel}: y } }, podSelector: { matchLabels: { pod: a } } }] }]`,
      );
      // The suite writes this rule without ports, so every protocol is allowed from y/a.
      const r = new Reachability().expectAllIngress('x/a', false).expect('y/a', 'x/a', true);
      expect(check(policy, 80, protocol, r)).toEqual([]);
    });
  }

  it('supports a default-deny-all policy', () => {
    const r = new Reachability()
      .expectPeer({}, { namespace: 'x' }, false)
      .expectPeer({ namespace: 'x' }, {}, false);
    expect(
      check(np('x', 'deny-all', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'), 80, 'TCP', r),
    ).toEqual([]);
  });

  it('allows traffic from pods within the server namespace based on podSelector', () => {
    const policy = np(
      'x',
      'x-a-allows-x-b',
      `${podA}\ningress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }] }]`,
    );
    const r = new Reachability().expectAllIngress('x/a', false).expect('x/b', 'x/a', true);
    expect(check(policy, 80, 'TCP', r)).toEqual([]);
  });

  it('allows ingress to one target on top of a default deny', () => {
    const policy =
      np('x', 'deny-all', 'podSelector: {}\ningress: []') +
      np(
        'x',
        'allow-all-to-a',
        `${podA}\ningress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }]`,
      );
    const r = new Reachability()
      .expectAllIngress('x/a', true)
      .expectAllIngress('x/b', false)
      .expectAllIngress('x/c', false);
    expect(check(policy, 80, 'TCP', r)).toEqual([]);
  });

  it('allows ingress from pods in all namespaces with namespaceSelector: {}', () => {
    const policy = np(
      'x',
      'allow-from-another-ns',
      `${podA}\ningress: [{ from: [{ namespaceSelector: { matchLabels: {} } }] }]`,
    );
    expect(check(policy, 80, 'TCP', new Reachability())).toEqual([]);
  });

  it('allows traffic only from a different namespace with a NamespaceSelector (matchLabels and matchExpressions)', () => {
    const r = new Reachability()
      .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
      .expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    for (const selector of [
      `{ matchLabels: { ${nsLabel}: y } }`,
      `{ matchExpressions: [{ key: ${nsLabel}, operator: In, values: [y] }] }`,
      '{ matchLabels: { ns: y } }',
    ]) {
      const policy = np(
        'x',
        'allow-ns-y',
        `${podA}\ningress: [{ from: [{ namespaceSelector: ${selector} }] }]`,
      );
      expect(check(policy, 80, 'TCP', r)).toEqual([]);
    }
  });

  it('enforces a podSelector with matchExpressions', () => {
    const policy = np(
      'x',
      'x-a-allows-x-b',
      `${podA}\ningress: [{ from: [{ podSelector: { matchExpressions: [{ key: pod, operator: In, values: [b] }] } }] }]`,
    );
    const r = new Reachability().expectAllIngress('x/a', false).expect('x/b', 'x/a', true);
    expect(check(policy, 80, 'TCP', r)).toEqual([]);
  });

  it('ORs a podSelector peer and a namespaceSelector peer', () => {
    const policy = np(
      'x',
      'or',
      `${podA}\ningress:\n  - from:\n      - namespaceSelector: { matchExpressions: [{ key: ${nsLabel}, operator: NotIn, values: [x] }] }\n      - podSelector: { matchLabels: { pod: b } }`,
    );
    // Upstream also expects x/a → x/a denied here but ignores loopback; we check self apart.
    const r = new Reachability().expect('x/c', 'x/a', false);
    expect(check(policy, 80, 'TCP', r)).toEqual([]);
  });

  it('ANDs a podSelector and a namespaceSelector in one peer', () => {
    const policy = np(
      'x',
      'and',
      `${podA}\ningress:\n  - from:\n      - namespaceSelector: { matchExpressions: [{ key: ${nsLabel}, operator: NotIn, values: [x] }] }\n        podSelector: { matchLabels: { pod: b } }`,
    );
    const r = new Reachability()
      .expectAllIngress('x/a', false)
      .expect('y/b', 'x/a', true)
      .expect('z/b', 'x/a', true);
    expect(check(policy, 80, 'TCP', r)).toEqual([]);
  });

  it('enforces multiple podSelectors and namespaceSelectors', () => {
    const policy = np(
      'x',
      'multi',
      `${podA}\ningress:\n  - from:\n      - namespaceSelector: { matchExpressions: [{ key: ${nsLabel}, operator: NotIn, values: [x] }] }\n        podSelector: { matchExpressions: [{ key: pod, operator: In, values: [b, c] }] }`,
    );
    const r = new Reachability()
      .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
      .expect('y/a', 'x/a', false)
      .expect('z/a', 'x/a', false);
    expect(check(policy, 80, 'TCP', r)).toEqual([]);
  });

  it('enforces any of several podSelectors', () => {
    const policy = np(
      'x',
      'b-or-c',
      `${podA}\ningress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }, { podSelector: { matchLabels: { pod: c } } }] }]`,
    );
    const r = new Reachability()
      .expectAllIngress('x/a', false)
      .expect('x/b', 'x/a', true)
      .expect('x/c', 'x/a', true);
    expect(check(policy, 80, 'TCP', r)).toEqual([]);
  });

  it('stacks overlapping policies: a second policy opens port 80', () => {
    const allow81 = np(
      'x',
      'allow-81',
      `${podA}\ningress:\n  - from: [{ namespaceSelector: { matchLabels: { ${nsLabel}: y } } }]\n    ports: [{ port: 81, protocol: TCP }]`,
    );
    const allow80 = np(
      'x',
      'allow-80',
      `${podA}\ningress:\n  - from: [{ namespaceSelector: { matchLabels: { ${nsLabel}: y } } }]\n    ports: [{ port: 80, protocol: TCP }]`,
    );
    const allowY = new Reachability()
      .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
      .expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    expect(check(allow81, 81, 'TCP', allowY)).toEqual([]);
    expect(check(allow81, 80, 'TCP', new Reachability().expectAllIngress('x/a', false))).toEqual(
      [],
    );
    expect(check(allow81 + allow80, 80, 'TCP', allowY)).toEqual([]);
  });

  it('supports an allow-all policy on both ports', () => {
    const policy = np('x', 'allow-all', 'podSelector: {}\ningress: [{}]');
    expect(check(policy, 80, 'TCP', new Reachability())).toEqual([]);
    expect(check(policy, 81, 'TCP', new Reachability())).toEqual([]);
  });

  it('allows ingress on one named port only', () => {
    const policy = np(
      'x',
      'allow-81-named',
      'podSelector: {}\ningress: [{ ports: [{ port: serve-81-tcp }] }]',
    );
    expect(check(policy, 81, 'TCP', new Reachability())).toEqual([]);
    expect(
      check(policy, 80, 'TCP', new Reachability().expectPeer({}, { namespace: 'x' }, false)),
    ).toEqual([]);
  });

  it('allows ingress from a namespace on one named port', () => {
    const policy = np(
      'x',
      'allow-y-80-named',
      `${podA}\ningress:\n  - from: [{ namespaceSelector: { matchLabels: { ${nsLabel}: y } } }]\n    ports: [{ port: serve-80-tcp, protocol: TCP }]`,
    );
    const r = new Reachability()
      .expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false)
      .expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    expect(check(policy, 80, 'TCP', r)).toEqual([]);
    expect(check(policy, 81, 'TCP', new Reachability().expectAllIngress('x/a', false))).toEqual([]);
  });

  it('allows egress on one named port', () => {
    const policy = np(
      'x',
      'allow-egress',
      'podSelector: {}\npolicyTypes: [Egress]\negress: [{ ports: [{ port: serve-80-tcp }] }]',
    );
    expect(check(policy, 80, 'TCP', new Reachability())).toEqual([]);
    expect(
      check(policy, 81, 'TCP', new Reachability().expectPeer({ namespace: 'x' }, {}, false)),
    ).toEqual([]);
  });

  it('denies ingress from pods of other namespaces with a same-namespace podSelector: {}', () => {
    const policy = np(
      'x',
      'deny-other-ns',
      'podSelector: {}\ningress: [{ from: [{ podSelector: { matchLabels: {} } }] }]',
    );
    const r = new Reachability()
      .expectPeer({ namespace: 'y' }, { namespace: 'x' }, false)
      .expectPeer({ namespace: 'z' }, { namespace: 'x' }, false);
    expect(check(policy, 80, 'TCP', r)).toEqual([]);
  });

  it('denies egress from pods based on podSelector, and from a whole namespace', () => {
    expect(
      check(
        np('x', 'deny-egress-a', `${podA}\npolicyTypes: [Egress]`),
        80,
        'TCP',
        new Reachability().expectAllEgress('x/a', false),
      ),
    ).toEqual([]);
    expect(
      check(
        np('x', 'deny-egress-x', 'podSelector: {}\npolicyTypes: [Egress]'),
        80,
        'TCP',
        new Reachability().expectPeer({ namespace: 'x' }, {}, false),
      ),
    ).toEqual([]);
  });

  it('works with Ingress and Egress specified together', () => {
    const policy = np(
      'x',
      'both',
      `${podA}\npolicyTypes: [Egress, Ingress]\ningress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }] }]\negress: [{ ports: [{ port: 80 }] }]`,
    );
    expect(
      check(
        policy,
        80,
        'TCP',
        new Reachability().expectAllIngress('x/a', false).expect('x/b', 'x/a', true),
      ),
    ).toEqual([]);
    const r81 = new Reachability()
      .expectAllIngress('x/a', false)
      .expectAllEgress('x/a', false)
      .expect('x/b', 'x/a', true);
    expect(check(policy, 81, 'TCP', r81)).toEqual([]);
  });

  it('denies egress on the client even when the server allows it', () => {
    const policy =
      np(
        'x',
        'to-y-a',
        `${podA}\npolicyTypes: [Egress]\negress: [{ to: [{ namespaceSelector: { matchLabels: { ${nsLabel}: y } }, podSelector: { matchLabels: { pod: a } } }] }]`,
      ) +
      np(
        'y',
        'ya-from-xa',
        `${podA}\ningress: [{ from: [{ namespaceSelector: { matchLabels: { ${nsLabel}: x } }, podSelector: { matchLabels: { pod: a } } }] }]`,
      ) +
      np(
        'y',
        'yb-from-xa',
        `podSelector: { matchLabels: { pod: b } }\ningress: [{ from: [{ namespaceSelector: { matchLabels: { ${nsLabel}: x } }, podSelector: { matchLabels: { pod: a } } }] }]`,
      );
    const r = new Reachability()
      .expectPeer({ namespace: 'x', pod: 'a' }, {}, false)
      .expectPeer({}, { namespace: 'y', pod: 'a' }, false)
      .expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y', pod: 'a' }, true)
      .expectPeer({}, { namespace: 'y', pod: 'b' }, false);
    expect(check(policy, 80, 'TCP', r)).toEqual([]);
  });

  it('allows ingress on any port of one protocol only', () => {
    const policy = np('x', 'by-proto', `${podA}\ningress: [{ ports: [{ protocol: TCP }] }]`);
    expect(check(policy, 80, 'TCP', new Reachability())).toEqual([]);
    expect(check(policy, 80, 'UDP', new Reachability().expectAllIngress('x/a', false))).toEqual([]);
  });

  it('lets an allow-all ingress or egress policy take precedence over a narrower one', () => {
    const in80 = np('x', 'in-80', 'podSelector: {}\ningress: [{ ports: [{ port: 80 }] }]');
    expect(
      check(in80, 81, 'TCP', new Reachability().expectPeer({}, { namespace: 'x' }, false)),
    ).toEqual([]);
    expect(
      check(
        in80 + np('x', 'in-all', 'podSelector: {}\ningress: [{}]'),
        81,
        'TCP',
        new Reachability(),
      ),
    ).toEqual([]);
    const out80 = np('x', 'out-80', 'podSelector: {}\negress: [{ ports: [{ port: 80 }] }]');
    // Defaulted policyTypes: egress rules make it [Ingress, Egress]; its empty ingress denies all.
    const r = new Reachability()
      .expectPeer({ namespace: 'x' }, {}, false)
      .expectPeer({}, { namespace: 'x' }, false);
    expect(check(out80, 81, 'TCP', r)).toEqual([]);
    const outExplicit = np(
      'x',
      'out-80',
      'podSelector: {}\npolicyTypes: [Egress]\negress: [{ ports: [{ port: 80 }] }]',
    );
    expect(
      check(outExplicit, 81, 'TCP', new Reachability().expectPeer({ namespace: 'x' }, {}, false)),
    ).toEqual([]);
    expect(
      check(
        outExplicit + np('x', 'out-all', 'podSelector: {}\npolicyTypes: [Egress]\negress: [{}]'),
        81,
        'TCP',
        new Reachability(),
      ),
    ).toEqual([]);
  });

  it('allows egress to a server in a CIDR block (the pod address /32)', () => {
    const policy = np(
      'x',
      'to-cidr',
      `${podA}\npolicyTypes: [Egress]\negress: [{ to: [{ ipBlock: { cidr: 10.244.1.12/32 } }] }]`,
    );
    const r = new Reachability().expectAllEgress('x/a', false).expect('x/a', 'y/b', true);
    expect(check(policy, 80, 'TCP', r)).toEqual([]);
    // Written without policyTypes (as people often do), the same policy also isolates ingress.
    const defaulted = np(
      'x',
      'to-cidr',
      `${podA}\negress: [{ to: [{ ipBlock: { cidr: 10.244.1.12/32 } }] }]`,
    );
    expect(check(defaulted, 80, 'TCP', r.expectAllIngress('x/a', false))).toEqual([]);
  });

  it('enforces the except clause of a CIDR block, and another rule can re-allow the excepted pod', () => {
    const except = np(
      'x',
      'cidr-except',
      `${podA}\npolicyTypes: [Egress]\negress: [{ to: [{ ipBlock: { cidr: 10.244.2.10/24, except: [10.244.2.10/32] } }] }]`,
    );
    // x/b is 10.244.2.10: excepted. Pods on node1's CIDR (10.244.1.0/24) are outside the block.
    const r = new Reachability().expectAllEgress('x/a', false);
    for (const id of ['y/a', 'y/c', 'z/b']) r.expect('x/a', id, true);
    expect(check(except, 80, 'TCP', r)).toEqual([]);
    const reallow = np(
      'x',
      'to-x-b',
      `${podA}\npolicyTypes: [Egress]\negress: [{ to: [{ ipBlock: { cidr: 10.244.2.10/32 } }] }]`,
    );
    expect(check(except + reallow, 80, 'TCP', r.expect('x/a', 'x/b', true))).toEqual([]);
  });

  it('controls ingress and egress of a pod independently', () => {
    const egress = np('x', 'allow-egress', `${podA}\npolicyTypes: [Egress]\negress: [{}]`);
    expect(check(egress, 80, 'TCP', new Reachability())).toEqual([]);
    const deny = np('x', 'deny-ingress', `${podA}\npolicyTypes: [Ingress]`);
    expect(
      check(egress + deny, 80, 'TCP', new Reachability().expectAllIngress('x/a', false)),
    ).toEqual([]);
  });

  it('does not treat protocol SCTP as TCP', () => {
    const policy =
      np('x', 'deny-ingress', 'podSelector: {}\ningress: []') +
      np('x', 'sctp-81', `${podA}\ningress: [{ ports: [{ port: 81, protocol: SCTP }] }]`);
    expect(
      check(policy, 81, 'TCP', new Reachability().expectPeer({}, { namespace: 'x' }, false)),
    ).toEqual([]);
    expect(
      check(
        policy,
        81,
        'SCTP',
        new Reachability()
          .expectPeer({}, { namespace: 'x', pod: 'b' }, false)
          .expectPeer({}, { namespace: 'x', pod: 'c' }, false),
      ),
    ).toEqual([]);
  });

  it('isolates pods selected by an SCTP-only or UDP-only policy for TCP', () => {
    for (const proto of ['SCTP', 'UDP']) {
      const policy = np(
        'x',
        'only',
        `${podA}\ningress: [{ ports: [{ port: 80, protocol: ${proto} }] }]`,
      );
      expect(check(policy, 81, 'TCP', new Reachability().expectAllIngress('x/a', false))).toEqual(
        [],
      );
    }
  });

  it('selects namespaces with NotIn on the default namespace label for egress', () => {
    const policy = np(
      'x',
      'not-y',
      `${podA}\npolicyTypes: [Egress]\negress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: ${nsLabel}, operator: NotIn, values: [y] }] } }] }]`,
    );
    expect(
      check(
        policy,
        80,
        'TCP',
        new Reachability().expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y' }, false),
      ),
    ).toEqual([]);
  });
});
