import { readFileSync } from 'node:fs';
import { ConfigMap, Namespace, Pod, Service } from 'kubernetes-models/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { describe, expect, it } from 'vitest';
import { topologyFor } from '../../../src/matrix/topology.js';
import { expandMatrix } from '../../../src/matrix/expand.js';
import { packAgentBundle } from '../../../src/platform/kubernetes/agent-bundle.js';
import { defaultAgentImage, resolveImages } from '../../../src/platform/kubernetes/images.js';
import type { KubernetesObject, V1Pod } from '../../../src/platform/kubernetes/kube-types.js';
import {
  agentConfigMap,
  environmentObjectList,
  environmentObjects,
  namespaceObject,
} from '../../../src/platform/kubernetes/manifests.js';
import { parseScenario } from '../../../src/spec/load-scenario.js';
import { defaultDimensions, type TrialDimensions } from '../../../src/spec/dimensions.js';

const bundle = packAgentBundle(
  new Map([['dist/agent/bundle/agent.js', Buffer.from('export {};')]]),
);
const owner = { host: 'test', pid: 1, startedAt: '2026-01-01T00:00:00.000Z', purpose: 'test' };
const images = resolveImages({});
const nodeNames = { node1: 'worker-a', node2: 'worker-b' };

function objectsFor(d: Partial<TrialDimensions>, environment = 1): KubernetesObject[] {
  const topology = topologyFor({ ...defaultDimensions(), ...d });
  const run = { runId: 'abcde', owner, bundle, hostNetwork: topology.datapath === 'host' };
  return [
    namespaceObject(run),
    agentConfigMap(run),
    ...environmentObjectList(
      environmentObjects(topology, {
        runId: 'abcde',
        environment,
        nodeNames,
        images,
        bundleSha256: bundle.sha256,
      }),
    ),
  ];
}

const models: Record<string, new (data: never) => { validate(): void }> = {
  Namespace: Namespace,
  ConfigMap: ConfigMap,
  Pod: Pod,
  Service: Service,
  NetworkPolicy: NetworkPolicy,
};

function validate(object: KubernetesObject): void {
  const Model = models[object.kind ?? ''];
  if (Model === undefined) throw new Error(`no schema for ${object.kind}`);
  new Model(object as never).validate();
}

const pods = (objects: KubernetesObject[]): V1Pod[] => objects.filter((o) => o.kind === 'Pod');

describe('kubernetes manifests', () => {
  const scenario = parseScenario(
    readFileSync('examples/kubernetes.yaml', 'utf8'),
    'examples/kubernetes.yaml',
  );
  const trials = expandMatrix(scenario);

  it('every object of every trial of the example passes the Kubernetes schema', () => {
    expect(trials.length).toBeGreaterThan(5);
    for (const t of trials) for (const object of objectsFor(t.dimensions)) validate(object);
  });

  it('every object carries the managed-by and run labels', () => {
    for (const t of trials) {
      for (const object of objectsFor(t.dimensions)) {
        expect(object.metadata?.labels).toMatchObject({
          'app.kubernetes.io/managed-by': 'netbench',
          'netbench.io/run': 'abcde',
        });
      }
    }
  });

  it('every pod is bare, pinned to its node, quick to stop, and runs images pinned by digest', () => {
    for (const t of trials) {
      for (const pod of pods(objectsFor(t.dimensions))) {
        expect(pod.metadata?.namespace).toBe('nb-abcde');
        expect(pod.spec?.restartPolicy).toBe('Never');
        expect(pod.spec?.terminationGracePeriodSeconds).toBe(1);
        expect(['worker-a', 'worker-b']).toContain(pod.spec?.nodeName);
        for (const c of pod.spec?.containers ?? []) {
          expect(c.image).toMatch(/@sha256:[0-9a-f]{64}$/);
          expect(c.imagePullPolicy).toBe('IfNotPresent');
        }
      }
    }
    expect(images.agent).toBe(defaultAgentImage);
  });

  it('cross-node puts the server on the second node and same-node on the first', () => {
    const node = (d: Partial<TrialDimensions>, pod: string): string | undefined =>
      pods(objectsFor(d)).find((p) => p.metadata?.name === `e1-${pod}`)?.spec?.nodeName;
    expect(node({ placement: 'cross-node' }, 'server')).toBe('worker-b');
    expect(node({ placement: 'same-node' }, 'server')).toBe('worker-a');
  });

  it('pods outside a mesh carry explicit Istio and Linkerd opt-outs and no ambient label', () => {
    for (const pod of pods(objectsFor({ mesh: 'none' }))) {
      expect(pod.metadata?.labels?.['sidecar.istio.io/inject']).toBe('false');
      expect(pod.metadata?.annotations?.['linkerd.io/inject']).toBe('disabled');
      expect(pod.metadata?.labels?.['istio.io/dataplane-mode']).toBeUndefined();
    }
  });

  it('sidecar pods enroll by the Istio convention, node-proxy pods by the ambient label', () => {
    for (const pod of pods(objectsFor({ mesh: 'sidecar' }))) {
      expect(pod.metadata?.labels?.['sidecar.istio.io/inject']).toBe('true');
    }
    for (const pod of pods(objectsFor({ mesh: 'node-proxy' }))) {
      expect(pod.metadata?.labels?.['istio.io/dataplane-mode']).toBe('ambient');
    }
  });

  it('uses the host network only for datapath host, whose namespace allows privileged pods', () => {
    for (const t of trials) {
      const objects = objectsFor(t.dimensions);
      const host = t.dimensions.datapath === 'host';
      for (const pod of pods(objects)) expect(pod.spec?.hostNetwork === true).toBe(host);
      const ns = objects.find((o) => o.kind === 'Namespace');
      expect(ns?.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe(
        host ? 'privileged' : undefined,
      );
    }
  });

  it('via-service creates one ClusterIP Service selecting the server and its replica', () => {
    const objects = objectsFor({ placement: 'via-service' });
    const services = objects.filter((o) => o.kind === 'Service') as {
      spec?: { type?: string; selector?: Record<string, string> };
    }[];
    expect(services).toHaveLength(1);
    expect(services[0]?.spec?.type).toBe('ClusterIP');
    const selector = services[0]?.spec?.selector ?? {};
    const selected = pods(objects).filter((p) =>
      Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v),
    );
    expect(selected.map((p) => p.metadata?.name).sort()).toEqual(['e1-server', 'e1-server2']);
  });

  it('the policy dimension becomes NetworkPolicies scoped to the environment, with the lab policy set', () => {
    const objects = objectsFor({ policy: 'scale-3' }, 2);
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as {
      metadata?: { name?: string };
      spec?: {
        podSelector?: { matchLabels?: Record<string, string> };
        ingress?: { from?: unknown[] }[];
      };
    }[];
    expect(policies.map((p) => p.metadata?.name)).toEqual([
      'e2-default-deny',
      'e2-server-unrelated-3',
      'e2-client-to-server',
      'e2-server-from-client',
    ]);
    for (const p of policies)
      expect(p.spec?.podSelector?.matchLabels?.['netbench.io/environment']).toBe('e2');
    expect(policies[1]?.spec?.ingress).toHaveLength(3);
    const server = pods(objects).find((p) => p.metadata?.name === 'e2-server');
    expect(server?.metadata?.labels?.app).toBe('server');
  });
});
