import { describe, expect, it } from 'vitest';
import { NetbenchError } from '../../../src/core/errors.js';
import { parseClusterModel } from '../../../src/policy/model.js';
import { e2eModel } from './helpers.js';

function rejected(yaml: string): NetbenchError {
  try {
    parseClusterModel(yaml, 'model.yaml');
  } catch (error) {
    if (error instanceof NetbenchError) return error;
    throw error;
  }
  throw new Error('expected the model to be rejected');
}

describe('cluster model', () => {
  it('reads the e2e model: 3 namespaces, 9 pods, 6 named ports each', () => {
    const m = e2eModel();
    expect(m.namespaces.map((n) => n.name)).toEqual(['x', 'y', 'z']);
    expect(m.pods).toHaveLength(9);
    expect(m.pods[0]!.ports.map((p) => `${p.name}=${p.protocol}/${p.port}`)).toContain(
      'serve-81-sctp=SCTP/81',
    );
  });

  it('adds the kubernetes.io/metadata.name label to every namespace, as the API server does', () => {
    const m = parseClusterModel('namespaces: [{ name: x, labels: { team: a } }]\n', 'm.yaml');
    expect(m.namespaces[0]!.labels).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'x' });
  });

  it('defaults a declared port protocol to TCP and leaves the ip optional', () => {
    const m = parseClusterModel(
      'namespaces: [{ name: x }]\npods: [{ namespace: x, name: a, ports: [{ port: 80 }] }]\n',
      'm.yaml',
    );
    expect(m.pods[0]).toMatchObject({ id: 'x/a', ports: [{ port: 80, protocol: 'TCP' }] });
    expect(m.pods[0]!.ip).toBeUndefined();
  });

  it('reports every problem with its path: undeclared namespace, duplicate pod, bad ip, port, port name', () => {
    const e = rejected(`
namespaces: [{ name: x }]
pods:
  - { namespace: y, name: a }
  - { namespace: x, name: b, ip: 10.0.0.300 }
  - { namespace: x, name: b }
  - namespace: x
    name: c
    ports: [{ port: 0 }, { name: Web_Port, port: 80 }, { name: web, port: 81 }, { name: web, port: 82 }]
  - { namespace: x, name: d, ip: 10.0.0.1 }
  - { namespace: x, name: e, ip: 10.0.0.1 }
`);
    expect(e.code).toBe('NB_POLICY_MODEL_INVALID');
    expect(e.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'pods[0].namespace: namespace "y" of pod y/a is not declared',
      'pods[1].ip: "10.0.0.300" is not an IP address: octet 300 is above 255',
      'pods[2].name: pod x/b is listed twice',
      'pods[3].ports[0].port: port 0 is not between 1 and 65535',
      'pods[3].ports[1].name: port name "Web_Port" must be lowercase letters, digits and "-"',
      'pods[3].ports[3].name: port name "web" is used twice in pod x/c',
      "pods[5].ip: IP 10.0.0.1 is also pod x/d's",
    ]);
  });

  it('rejects unknown keys and says which keys exist', () => {
    const e = rejected('namespaces: []\npods: [{ namespace: x, name: a, label: {} }]\n');
    expect(e.problems[0]!.message).toBe('unknown key "label"');
    expect(e.problems[0]!.hint).toContain('did you mean "labels"');
  });
});
