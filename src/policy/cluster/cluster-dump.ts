/**
 * A cluster as `kubectl get ns,pods,networkpolicies -A -o yaml` prints it (a `List`; or
 * multi-document YAML; or JSON; or `NamespaceList`/`PodList`/`NetworkPolicyList` documents),
 * turned into the model and policies the evaluator takes. Pure: text in, model out.
 *
 * Pods are taken as Kubernetes networking sees them:
 * - only Running pods have a network endpoint: Pending pods have no sandbox or address yet,
 *   Succeeded and Failed pods have released theirs; they are left out (and counted).
 * - hostNetwork pods share their node's network namespace and address. The concept page says
 *   NetworkPolicy behaviour for them is undefined, and that most plugins cannot tell their
 *   traffic from the node's, so podSelector and namespaceSelector ignore them; netbench does
 *   the same (they are left out, and counted): their traffic is node traffic, which only an
 *   ipBlock holding the node address could match.
 */
import { parseIp } from '../ip.js';
import type { Labels } from '../label-selector.js';
import {
  namespaceNameLabel,
  podId,
  type ClusterModel,
  type ContainerPort,
  type ModelNamespace,
  type ModelPod,
} from '../model.js';
import { protocols, type NetworkPolicy, type Protocol } from '../network-policy.js';
import { parsePolicies, type ParsePoliciesOptions } from '../parse-policies.js';

/** What a dump held that the model leaves out, for a note on stderr. */
export interface DumpSkipped {
  /** Pods whose phase is not Running, as `ns/name (Phase)`. */
  notRunning: string[];
  /** Pods with spec.hostNetwork. */
  hostNetwork: string[];
  /** Namespaces pods or policies live in that the dump does not list (added with only their name label). */
  unlistedNamespaces: string[];
  /** Objects of other kinds, counted by kind. */
  otherKinds: Record<string, number>;
}

/** A cluster read from a dump or from the API: the evaluator's inputs and what was left out. */
export interface ClusterSnapshot {
  model: ClusterModel;
  policies: NetworkPolicy[];
  skipped: DumpSkipped;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const objAt = (o: Obj, key: string): Obj => (isObj(o[key]) ? o[key] : {});
const listAt = (o: Obj, key: string): Obj[] =>
  Array.isArray(o[key]) ? (o[key] as unknown[]).filter(isObj) : [];
const strAt = (o: Obj, key: string): string | undefined =>
  typeof o[key] === 'string' ? o[key] : undefined;

function labelsOf(meta: Obj): Labels {
  const labels = objAt(meta, 'labels');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

function containerPorts(spec: Obj): ContainerPort[] {
  // Native sidecars (init containers that keep running) serve ports like containers do.
  const sidecars = listAt(spec, 'initContainers').filter((c) => c.restartPolicy === 'Always');
  const out: ContainerPort[] = [];
  for (const c of [...listAt(spec, 'containers'), ...sidecars]) {
    for (const p of listAt(c, 'ports')) {
      const port = p.containerPort;
      const protocol = (strAt(p, 'protocol') ?? 'TCP') as Protocol;
      if (typeof port !== 'number' || !protocols.includes(protocol)) continue;
      const name = strAt(p, 'name');
      if (name !== undefined && out.some((q) => q.name === name)) continue;
      out.push({ ...(name === undefined ? {} : { name }), port, protocol });
    }
  }
  return out;
}

/** Collects namespaces and pods from Kubernetes objects, in the order they come. */
export function createSnapshotBuilder(): {
  add(object: Obj): void;
  build(policies: NetworkPolicy[]): ClusterSnapshot;
} {
  const namespaces = new Map<string, ModelNamespace>();
  const pods: ModelPod[] = [];
  const podIds = new Set<string>();
  const skipped: DumpSkipped = {
    notRunning: [],
    hostNetwork: [],
    unlistedNamespaces: [],
    otherKinds: {},
  };
  const addPod = (o: Obj): void => {
    const meta = objAt(o, 'metadata');
    const spec = objAt(o, 'spec');
    const status = objAt(o, 'status');
    const namespace = strAt(meta, 'namespace') ?? 'default';
    const name = strAt(meta, 'name') ?? '';
    const id = podId(namespace, name);
    if (podIds.has(id)) return;
    podIds.add(id);
    const phase = strAt(status, 'phase') ?? 'Unknown';
    if (spec.hostNetwork === true) {
      skipped.hostNetwork.push(id);
      return;
    }
    if (phase !== 'Running') {
      skipped.notRunning.push(`${id} (${phase})`);
      return;
    }
    const ipText = strAt(status, 'podIP') ?? strAt(listAt(status, 'podIPs')[0] ?? {}, 'ip');
    const ip = ipText === undefined ? undefined : parseIp(ipText);
    pods.push({
      namespace,
      name,
      id,
      labels: labelsOf(meta),
      ...(ip?.ok === true ? { ip: ip.value } : {}),
      ports: containerPorts(spec),
    });
  };
  return {
    add(o) {
      const kind = strAt(o, 'kind') ?? '(no kind)';
      if (kind === 'Namespace') {
        const meta = objAt(o, 'metadata');
        const name = strAt(meta, 'name') ?? '';
        namespaces.set(name, { name, labels: { ...labelsOf(meta), [namespaceNameLabel]: name } });
      } else if (kind === 'Pod') addPod(o);
      else skipped.otherKinds[kind] = (skipped.otherKinds[kind] ?? 0) + 1;
    },
    build(policies) {
      for (const ns of [...pods.map((p) => p.namespace), ...policies.map((p) => p.namespace)]) {
        if (namespaces.has(ns)) continue;
        namespaces.set(ns, { name: ns, labels: { [namespaceNameLabel]: ns } });
        skipped.unlistedNamespaces.push(ns);
      }
      return { model: { namespaces: [...namespaces.values()], pods }, policies, skipped };
    },
  };
}

/** Reads a kubectl dump; invalid NetworkPolicies fail as in `--policies` (NB_POLICY_INVALID). */
export function parseClusterDump(
  text: string,
  file: string,
  options: Omit<ParsePoliciesOptions, 'onOtherObject'> = {},
): ClusterSnapshot {
  const builder = createSnapshotBuilder();
  const policies = parsePolicies(text, file, { ...options, onOtherObject: (o) => builder.add(o) });
  return builder.build(policies);
}
