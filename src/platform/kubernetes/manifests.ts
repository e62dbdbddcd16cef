/**
 * Every object a run creates on a cluster, as pure data (no client, no I/O): the run's
 * namespace and agent ConfigMap, and per deployed topology its pods, Service and NetworkPolicies.
 * `netbench plan --manifests` writes exactly these; the platform applies exactly these.
 *
 * Pods are bare (`restartPolicy: Never`): a Deployment would reschedule a pod mid-repetition and
 * the measurement would silently span two pods. They are pinned by `nodeName`, so same-node and
 * cross-node mean what they say, and the grace period is 1 s so teardown is quick.
 */
import type { PodSpec, TopologySpec } from '../../topology/topology-spec.js';
import type { RunId } from '../../core/run-id.js';
import {
  agentConfigMapName,
  podAgentRoot,
  unpackScript,
  type AgentBundle,
} from './agent-bundle.js';
import type { ImageSet } from './images.js';
import type {
  KubernetesObject,
  V1ConfigMap,
  V1Container,
  V1Namespace,
  V1NetworkPolicy,
  V1Pod,
  V1Service,
} from './kube-types.js';
import {
  clusterPodName,
  environmentLabel,
  ownerAnnotation,
  podLabel,
  podSecurityEnforceLabel,
  runLabels,
  runNamespace,
  type RunOwner,
} from './labels.js';
import { networkPolicyObjects, policyLabelsOf } from './network-policies.js';

/** The meshes netbench can enroll pods in. */
export type MeshKind = 'istio' | 'linkerd';

/** The label of pods behind the run's Service. */
export const serviceLabel = 'netbench.io/service';
/** Istio's per-pod sidecar switch. */
export const istioInjectLabel = 'sidecar.istio.io/inject';
/** Linkerd's per-pod proxy switch (an annotation). */
export const linkerdInjectAnnotation = 'linkerd.io/inject';
/** Istio ambient enrollment (ztunnel redirects the pod's traffic). */
export const ambientLabel = 'istio.io/dataplane-mode';
/** The Pod annotation on the agent bundle's digest. */
export const bundleAnnotation = 'netbench.io/agent-bundle-sha256';

export interface RunObjectOptions {
  runId: RunId;
  owner: RunOwner;
  bundle: AgentBundle;
  /** Any topology of the run uses the host network (the namespace must allow it). */
  hostNetwork: boolean;
}

export interface EnvironmentObjectOptions {
  runId: RunId;
  /** 1-based deployment number within the run; prefixes pod and object names. */
  environment: number;
  /** Topology node name → cluster node name. */
  nodeNames: Readonly<Record<string, string>>;
  images: ImageSet;
  bundleSha256: string;
  /** The mesh that enrolls sidecars (detected; `plan` assumes istio). @default "istio" */
  meshKind?: MeshKind;
}

/** The objects of one deployed topology, in the order they are applied. */
export interface EnvironmentObjects {
  pods: V1Pod[];
  services: V1Service[];
  networkPolicies: V1NetworkPolicy[];
}

export const netbenchContainer = 'netbench';
export const toolsContainer = 'tools';
const bundleMount = '/netbench/bundle';

export function namespaceObject(o: RunObjectOptions): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: runNamespace(o.runId),
      labels: {
        ...runLabels(o.runId),
        // hostNetwork pods are refused by the baseline and restricted Pod Security levels.
        ...(o.hostNetwork ? { [podSecurityEnforceLabel]: 'privileged' } : {}),
      },
      annotations: { [ownerAnnotation]: JSON.stringify(o.owner) },
    },
  };
}

export function agentConfigMap(o: RunObjectOptions): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: agentConfigMapName,
      namespace: runNamespace(o.runId),
      labels: runLabels(o.runId),
      annotations: { [bundleAnnotation]: o.bundle.sha256 },
    },
    binaryData: o.bundle.files,
  };
}

/** Mesh enrollment labels and annotations of one pod (opt-outs when it is outside the mesh). */
export function meshEnrollment(
  topology: TopologySpec,
  pod: string,
  meshKind: MeshKind,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  const member = topology.mesh?.members.includes(pod) === true;
  const optOut = {
    labels: { [istioInjectLabel]: 'false' },
    annotations: { [linkerdInjectAnnotation]: 'disabled' },
  };
  if (!member || topology.mesh === undefined) return optOut;
  if (topology.mesh.mode === 'sidecar') {
    return meshKind === 'istio'
      ? {
          labels: { [istioInjectLabel]: 'true' },
          annotations: { [linkerdInjectAnnotation]: 'disabled' },
        }
      : {
          labels: { [istioInjectLabel]: 'false' },
          annotations: { [linkerdInjectAnnotation]: 'enabled' },
        };
  }
  // node-proxy (Istio ambient): no sidecar, ztunnel on the node captures the pod.
  return {
    labels: { ...optOut.labels, [ambientLabel]: 'ambient' },
    annotations: optOut.annotations,
  };
}

const securityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  // `node` in the official image; the tools container runs as the same user.
  runAsUser: 1000,
  seccompProfile: { type: 'RuntimeDefault' },
};

function containers(images: ImageSet): V1Container[] {
  const agent: V1Container = {
    name: netbenchContainer,
    image: images.agent,
    imagePullPolicy: 'IfNotPresent',
    command: ['node', '-e', unpackScript(bundleMount)],
    volumeMounts: [
      { name: 'bundle', mountPath: bundleMount, readOnly: true },
      { name: 'agent', mountPath: podAgentRoot },
    ],
    readinessProbe: { exec: { command: ['cat', `${podAgentRoot}/.unpacked`] }, periodSeconds: 1 },
    resources: { requests: { cpu: '100m', memory: '128Mi' } },
    securityContext,
  };
  if (images.tools === undefined) return [agent];
  return [
    agent,
    {
      name: toolsContainer,
      image: images.tools,
      imagePullPolicy: 'IfNotPresent',
      command: ['sleep', 'infinity'],
      resources: { requests: { cpu: '100m', memory: '64Mi' } },
      securityContext,
    },
  ];
}

function podObject(topology: TopologySpec, spec: PodSpec, o: EnvironmentObjectOptions): V1Pod {
  const environment = `e${o.environment}`;
  const primary = spec.replicaOf ?? spec.name;
  const hostNetwork = topology.datapath === 'host';
  const mesh = meshEnrollment(topology, spec.name, o.meshKind ?? 'istio');
  const serviced = topology.services?.target?.endpoints.includes(spec.name) === true;
  const modelPorts = topology.policy?.pods.find((p) => p.pod === primary)?.model.ports ?? [];
  const nodeName = o.nodeNames[spec.node] ?? spec.node;
  const bandwidth = topology.podBandwidthBps;
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: clusterPodName(o.environment, spec.name),
      namespace: runNamespace(o.runId),
      labels: {
        ...policyLabelsOf(topology.policy, primary),
        ...runLabels(o.runId),
        [environmentLabel]: environment,
        [podLabel]: spec.name,
        ...(serviced && topology.services?.target !== undefined
          ? { [serviceLabel]: topology.services.target.name }
          : {}),
        ...mesh.labels,
      },
      annotations: {
        ...mesh.annotations,
        [bundleAnnotation]: o.bundleSha256,
        // Read by the CNI bandwidth plugin where the cluster chains it.
        ...(bandwidth === undefined
          ? {}
          : {
              'kubernetes.io/ingress-bandwidth': String(bandwidth),
              'kubernetes.io/egress-bandwidth': String(bandwidth),
            }),
      },
    },
    spec: {
      nodeName,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      ...(hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
      ...(o.images.pullSecrets.length === 0
        ? {}
        : { imagePullSecrets: o.images.pullSecrets.map((name) => ({ name })) }),
      containers: containers(o.images).map((c, i) =>
        i === 0 && modelPorts.length > 0
          ? {
              ...c,
              ports: modelPorts.map((p) => ({
                containerPort: p.port,
                protocol: p.protocol,
                ...(p.name === undefined ? {} : { name: p.name }),
              })),
            }
          : c,
      ),
      volumes: [
        { name: 'bundle', configMap: { name: agentConfigMapName } },
        { name: 'agent', emptyDir: { sizeLimit: '64Mi' } },
      ],
    },
  };
  return pod;
}

function serviceObjects(topology: TopologySpec, o: EnvironmentObjectOptions): V1Service[] {
  const target = topology.services?.target;
  if (target === undefined) return [];
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: `e${o.environment}-${target.name}`,
        namespace: runNamespace(o.runId),
        labels: { ...runLabels(o.runId), [environmentLabel]: `e${o.environment}` },
      },
      spec: {
        type: 'ClusterIP',
        selector: { [environmentLabel]: `e${o.environment}`, [serviceLabel]: target.name },
        ports: target.ports.map((p) => ({
          name: `tcp-${p.port}`,
          port: p.port,
          targetPort: p.targetPort,
          protocol: 'TCP',
        })),
      },
    },
  ];
}

/** The objects of one topology's deployment (pure). */
export function environmentObjects(
  topology: TopologySpec,
  o: EnvironmentObjectOptions,
): EnvironmentObjects {
  return {
    pods: topology.pods.map((p) => podObject(topology, p, o)),
    services: serviceObjects(topology, o),
    networkPolicies:
      topology.policy === undefined
        ? []
        : networkPolicyObjects(topology.policy, {
            namespace: runNamespace(o.runId),
            environment: `e${o.environment}`,
            labels: runLabels(o.runId),
          }),
  };
}

/** Everything of one environment as a flat list, in apply order (policies first: no window without them). */
export function environmentObjectList(objects: EnvironmentObjects): KubernetesObject[] {
  return [...objects.networkPolicies, ...objects.services, ...objects.pods];
}
