import { describe, expect, it } from 'vitest';
import type { V1DaemonSet, V1Node } from '@kubernetes/client-node';
import { detectCluster, type ClusterListing } from '../../../src/platform/kubernetes/detect.js';
import { kubeError } from '../../../src/platform/kubernetes/kube-errors.js';
import { parseResourceMetrics } from '../../../src/platform/kubernetes/kubelet-metrics.js';
import { placeNodes } from '../../../src/platform/kubernetes/placement.js';
import { thrown } from '../../helpers/errors.js';

function node(
  name: string,
  o: {
    zone?: string;
    taint?: boolean;
    ready?: boolean;
    labels?: Record<string, string>;
    providerID?: string;
  } = {},
): V1Node {
  return {
    metadata: {
      name,
      labels: {
        'kubernetes.io/os': 'linux',
        ...(o.zone === undefined ? {} : { 'topology.kubernetes.io/zone': o.zone }),
        ...o.labels,
      },
    },
    spec: {
      ...(o.taint === true ? { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] } : {}),
      ...(o.providerID === undefined ? {} : { providerID: o.providerID }),
    },
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

function ds(name: string, image = `example/${name}:v1.2.3`): V1DaemonSet {
  return {
    metadata: { name, namespace: 'kube-system' },
    spec: { selector: {}, template: { spec: { containers: [{ name, image }] } } },
  };
}

function listing(o: Partial<ClusterListing>): ClusterListing {
  return {
    context: 'prod',
    server: 'https://10.0.0.1',
    version: 'v1.30.4',
    nodes: [],
    daemonSets: [],
    meshPods: [],
    ...o,
  };
}

describe('cluster detection', () => {
  it('recognises EKS from its API server URL and the AWS VPC CNI, which enforces policy only with its agent', () => {
    const c = detectCluster(
      listing({
        server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
        daemonSets: [ds('aws-node'), ds('kube-proxy')],
        kubeProxyConfig: 'mode: "ipvs"\n',
      }),
    );
    expect(c.flavour).toBe('eks');
    expect(c.cni).toMatchObject({ name: 'aws-vpc-cni', version: 'v1.2.3', enforcesPolicy: false });
    expect(c.kubeProxy).toBe('ipvs');
    expect(c.warnings).toContain(
      'aws-vpc-cni does not enforce NetworkPolicy: policy trials are refused',
    );
  });

  it('records Cilium replacing kube-proxy and its routing mode from cilium-config', () => {
    const c = detectCluster(
      listing({
        nodes: [node('n', { labels: { 'cloud.google.com/gke-nodepool': 'p' } })],
        daemonSets: [ds('cilium')],
        ciliumConfig: {
          'kube-proxy-replacement': 'true',
          'routing-mode': 'tunnel',
          'tunnel-protocol': 'geneve',
        },
      }),
    );
    expect(c.flavour).toBe('gke');
    expect(c.kubeProxy).toBe('replaced (cilium)');
    expect(c.cni.mode).toBe('routing-mode tunnel, tunnel geneve');
  });

  it('warns that Weave Net is archived and that Flannel does not enforce NetworkPolicy', () => {
    expect(detectCluster(listing({ daemonSets: [ds('weave-net')] })).warnings[0]).toContain(
      'archived',
    );
    const flannel = detectCluster(
      listing({ context: 'minikube', daemonSets: [ds('kube-flannel-ds')] }),
    );
    expect(flannel.flavour).toBe('minikube');
    expect(flannel.cni.enforcesPolicy).toBe(false);
  });

  it('finds Istio ambient from its ztunnel pods and reads the version from the image', () => {
    const ztunnel = {
      metadata: { labels: { app: 'ztunnel' } },
      spec: { containers: [{ name: 'istio-proxy', image: 'docker.io/istio/ztunnel:1.24.0' }] },
    };
    expect(detectCluster(listing({ meshPods: [ztunnel] })).mesh).toEqual({
      name: 'istio',
      version: '1.24.0',
      ambient: true,
    });
  });
});

describe('node placement', () => {
  it('picks two Ready untainted nodes of one zone where the CNI runs, skipping the rest', () => {
    const nodes = [
      node('a1', { zone: 'a' }),
      node('b1', { zone: 'b' }),
      node('b2', { zone: 'b' }),
      node('b3', { zone: 'b', taint: true }),
      node('b4', { zone: 'b' }),
    ];
    const p = placeNodes(['node1', 'node2'], nodes, undefined, new Set(['a1', 'b1', 'b2', 'b3']));
    expect(p.nodeNames).toEqual({ node1: 'b1', node2: 'b2' });
    expect(p.warnings).toEqual([]);
  });

  it('warns when the nodes asked for sit in different zones', () => {
    const p = placeNodes(
      ['node1', 'node2'],
      [node('a1', { zone: 'a' }), node('b1', { zone: 'b' })],
      ['a1', 'b1'],
      undefined,
    );
    expect(p.warnings[0]).toContain('different zones');
  });

  it('refuses a node asked for that is not Ready, naming it and why', () => {
    const e = thrown(() => placeNodes(['node1'], [node('x', { ready: false })], ['x'], undefined));
    expect(e.code).toBe('NB_K8S_NODES_UNSUITABLE');
    expect(e.message).toBe('node x cannot host benchmark pods: not Ready');
  });
});

describe('kubelet resource metrics', () => {
  it('reads cumulative CPU and the working set of every container', () => {
    const text = [
      '# TYPE container_cpu_usage_seconds_total counter',
      'container_cpu_usage_seconds_total{container="netbench",namespace="nb-ab",pod="e1-client"} 1.5 1700000000000',
      'container_memory_working_set_bytes{container="netbench",namespace="nb-ab",pod="e1-client"} 2048 1700000000000',
      'node_cpu_usage_seconds_total 99 1700000000000',
    ].join('\n');
    expect(parseResourceMetrics(text)).toEqual([
      {
        namespace: 'nb-ab',
        pod: 'e1-client',
        container: 'netbench',
        cpuSeconds: 1.5,
        workingSetBytes: 2048,
      },
    ]);
  });
});

describe('Kubernetes API errors', () => {
  const action = { verb: 'create', resource: 'pods', namespace: 'nb-ab' };
  it('a 403 names the verb, resource and namespace and how to check the permission', () => {
    const e = kubeError(
      {
        code: 403,
        body: '{"message":"pods is forbidden: User \\"u\\" cannot create resource \\"pods\\""}',
      },
      action,
      'https://k',
    );
    expect(e.code).toBe('NB_K8S_FORBIDDEN');
    expect(e.message).toContain('cannot create pods in nb-ab');
    expect(e.hint).toContain('kubectl auth can-i create pods -n nb-ab');
  });

  it('a refused connection is unreachable, whatever wraps it', () => {
    const e = kubeError(
      new Error('request to https://k failed', { cause: { code: 'ECONNREFUSED' } }),
      action,
      'https://k',
    );
    expect(e.code).toBe('NB_K8S_UNREACHABLE');
  });
});
