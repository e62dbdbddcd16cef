import { describe, expect, it } from 'vitest';
import { NetbenchError } from '../../../src/core/errors.js';
import { parsePolicies } from '../../../src/policy/parse-policies.js';
import { np } from './helpers.js';

function rejected(yaml: string): NetbenchError {
  try {
    parsePolicies(yaml, 'policies.yaml');
  } catch (error) {
    if (error instanceof NetbenchError) return error;
    throw error;
  }
  throw new Error('expected the policies to be rejected');
}

function onlyProblem(yaml: string): { path: string; message: string; line?: number } {
  const e = rejected(yaml);
  expect(e.code).toBe('NB_POLICY_INVALID');
  expect(e.problems).toHaveLength(1);
  return e.problems[0]!;
}

describe('policy parser: accepted input', () => {
  it('reads many documents, a List and a NetworkPolicyList alike', () => {
    const list = `---
apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: in-list, namespace: y }
    spec: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicyList
items: []
`;
    const ps = parsePolicies(
      np('x', 'one', 'podSelector: {}') + np('x', 'two', 'podSelector: {}') + list,
      'p.yaml',
    );
    expect(ps.map((p) => `${p.namespace}/${p.name}`)).toEqual(['x/one', 'x/two', 'y/in-list']);
    expect(ps[2]!.source).toEqual({ file: 'p.yaml', document: 3, item: 0 });
  });

  it('puts policies without a namespace in the default namespace, or the one given', () => {
    const yaml = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\n';
    expect(parsePolicies(yaml, 'p.yaml')[0]!.namespace).toBe('default');
    expect(parsePolicies(yaml, 'p.yaml', { defaultNamespace: 'prod' })[0]!.namespace).toBe('prod');
  });

  it('reads a policy without spec as a default-deny of ingress for the whole namespace', () => {
    const [p] = parsePolicies(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p, namespace: x }\n',
      'p.yaml',
    );
    expect(p).toMatchObject({
      policyTypes: { ingress: true, egress: false },
      ingress: [],
      egress: [],
    });
    expect(p!.podSelector).toEqual({ matchLabels: {}, matchExpressions: [] });
  });

  it('defaults a port protocol to TCP and keeps named ports as names', () => {
    const [p] = parsePolicies(
      np('x', 'p', 'ingress: [{ ports: [{ port: 80 }, { port: http, protocol: UDP }, {}] }]'),
      'p.yaml',
    );
    expect(p!.ingress[0]!.ports).toEqual([
      { protocol: 'TCP', port: 80 },
      { protocol: 'UDP', port: 'http' },
      { protocol: 'TCP' },
    ]);
  });

  it('accepts metadata a cluster adds when policies are exported with kubectl', () => {
    const yaml = np('x', 'p', 'podSelector: {}').replace(
      'namespace: x',
      'namespace: x\n  uid: 1234\n  resourceVersion: "99"\n  creationTimestamp: "2024-01-01T00:00:00Z"\n  annotations: { a: b }',
    );
    expect(parsePolicies(yaml, 'p.yaml')).toHaveLength(1);
  });

  it('skips empty documents between separators', () => {
    expect(
      parsePolicies(`---\n---\n${np('x', 'p', 'podSelector: {}')}---\n`, 'p.yaml'),
    ).toHaveLength(1);
  });
});

describe('policy parser: what the API server rejects', () => {
  it('rejects a bad CIDR, naming the document, path, line and value', () => {
    const p = onlyProblem(
      np('x', 'bad-cidr', 'ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/33 } }] }]'),
    );
    expect(p.path).toBe('document 1 (x/bad-cidr) spec.ingress[0].from[0].ipBlock.cidr');
    expect(p.message).toContain('"10.0.0.0/33" is not a valid CIDR');
    expect(p.line).toBe(8);
  });

  it('rejects IPv4 octets with leading zeros as ambiguous', () => {
    expect(
      onlyProblem(np('x', 'p', 'ingress: [{ from: [{ ipBlock: { cidr: 010.0.0.0/8 } }] }]'))
        .message,
    ).toContain('leading zero');
  });

  it('rejects an except block outside the cidr, or as large as it', () => {
    const e = rejected(
      np(
        'x',
        'p',
        'ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/16, except: [10.1.0.0/24, 10.0.0.0/16, 10.0.5.0/24] } }] }]',
      ),
    );
    expect(e.problems.map((p) => p.path)).toEqual([
      'document 1 (x/p) spec.ingress[0].from[0].ipBlock.except[0]',
      'document 1 (x/p) spec.ingress[0].from[0].ipBlock.except[1]',
    ]);
    expect(e.problems[0]!.message).toBe(
      'except "10.1.0.0/24" is not a strict subset of cidr "10.0.0.0/16"',
    );
  });

  it('rejects ports out of range, endPort below port, endPort with a named port or without port', () => {
    const e = rejected(
      np(
        'x',
        'p',
        'ingress:\n  - ports:\n      - { port: 70000 }\n      - { port: 80, endPort: 70 }\n      - { port: http, endPort: 90 }\n      - { endPort: 90 }\n      - { port: 0 }',
      ),
    );
    expect(
      e.problems.map((p) => `${p.path.replace('document 1 (x/p) ', '')}: ${p.message}`),
    ).toEqual([
      'spec.ingress[0].ports[0].port: port 70000 is not between 1 and 65535',
      'spec.ingress[0].ports[1].endPort: endPort 70 is below port 80',
      'spec.ingress[0].ports[2].endPort: endPort 90 may not be used with the named port "http"',
      'spec.ingress[0].ports[3].endPort: endPort 90 may not be used without port',
      'spec.ingress[0].ports[4].port: port 0 is not between 1 and 65535',
    ]);
  });

  it('rejects a quoted number as a named port and says to drop the quotes', () => {
    const e = rejected(np('x', 'p', 'ingress: [{ ports: [{ port: "80" }] }]'));
    expect(e.problems[0]!.message).toContain('must contain at least one letter');
    expect(e.problems[0]!.hint).toBe('write the number without quotes: port: 80');
  });

  it('rejects an unknown protocol and suggests the right spelling', () => {
    const p = rejected(np('x', 'p', 'ingress: [{ ports: [{ port: 80, protocol: tcp }] }]'))
      .problems[0]!;
    expect(p.path).toBe('document 1 (x/p) spec.ingress[0].ports[0].protocol');
    expect(p.hint).toContain('did you mean "TCP"');
  });

  it('rejects ipBlock mixed with a selector in one peer, and an empty peer', () => {
    const e = rejected(
      np('x', 'p', 'ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 }, podSelector: {} }, {}] }]'),
    );
    expect(e.problems.map((p) => p.message)).toEqual([
      'ipBlock may not be combined with podSelector or namespaceSelector in one peer',
      'a peer must set podSelector, namespaceSelector or ipBlock',
    ]);
  });

  it('rejects unknown fields, with the closest known one', () => {
    const e = rejected(np('x', 'p', 'podSelector: {}\ningres: []'));
    expect(e.problems[0]).toMatchObject({
      path: 'document 1 (x/p) spec.ingres',
      message: 'unknown key "ingres"',
    });
    expect(e.problems[0]!.hint).toContain('did you mean "ingress"');
  });

  it('rejects bad label selectors: keys, values and operators with or without values', () => {
    const e = rejected(
      np(
        'x',
        'p',
        'podSelector:\n  matchLabels: { "bad key!": x }\n  matchExpressions:\n    - { key: a, operator: In }\n    - { key: b, operator: Exists, values: [x] }',
      ),
    );
    expect(e.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('label key "bad key!"'),
      'operator In needs at least one value',
      'operator Exists takes no values (got ["x"])',
    ]);
  });

  it('rejects a number where a label value must be a string, as strict decoding does', () => {
    const p = rejected(np('x', 'p', 'podSelector: { matchLabels: { tier: 1 } }')).problems[0]!;
    expect(p.message).toContain('expected string');
  });

  it('rejects more than two policyTypes and unknown ones', () => {
    expect(
      rejected(np('x', 'p', 'policyTypes: [Ingress, Egress, Ingress]')).problems[0]!.message,
    ).toContain('more than two policyTypes');
    expect(rejected(np('x', 'p', 'policyTypes: [ingress]')).problems[0]!.hint).toContain(
      'did you mean "Ingress"',
    );
  });

  it('rejects bad names, other kinds, old apiVersions and duplicates', () => {
    expect(rejected(np('x', 'Bad_Name', 'podSelector: {}')).problems[0]!.message).toContain(
      'name "Bad_Name"',
    );
    expect(
      rejected('apiVersion: v1\nkind: Service\nmetadata: { name: s }\n').problems[0]!.message,
    ).toBe('kind "Service" is not NetworkPolicy');
    expect(
      rejected('apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata: { name: p }\n')
        .problems[0]!.message,
    ).toContain('is not networking.k8s.io/v1');
    expect(
      rejected(np('x', 'p', 'podSelector: {}') + np('x', 'p', 'podSelector: {}')).problems[0]!
        .message,
    ).toBe('a NetworkPolicy x/p already exists (document 1)');
  });

  it('reports every problem of every document at once', () => {
    const e = rejected(
      np('x', 'a', 'ingress: [{ ports: [{ port: 0 }] }]') +
        np('x', 'b', 'egress: [{ to: [{ ipBlock: { cidr: nope } }] }]'),
    );
    expect(e.problems.map((p) => p.path)).toEqual([
      'document 1 (x/a) spec.ingress[0].ports[0].port',
      'document 2 (x/b) spec.egress[0].to[0].ipBlock.cidr',
    ]);
  });

  it('rejects YAML syntax errors with NB_SPEC_YAML', () => {
    expect(rejected('kind: [unclosed\n').code).toBe('NB_SPEC_YAML');
  });
});
