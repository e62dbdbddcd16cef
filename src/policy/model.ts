/**
 * The cluster model policies are evaluated over (MODEL.yaml): namespaces with labels, pods with
 * labels, an IP and declared container ports. Pure: text in, validated model out, every
 * problem reported at once with its path and line.
 *
 *   namespaces: [{ name: x, labels: { ns: x } }]
 *   pods: [{ namespace: x, name: a, labels: { pod: a }, ip: 10.244.1.10,
 *            ports: [{ name: serve-80-tcp, port: 80, protocol: TCP }] }]
 */
import { z } from 'zod';
import { NetbenchError, type InputProblem } from '../core/errors.js';
import { formatPath, lineOf, parseSingleDocument, type PathSegment } from '../spec/yaml-source.js';
import { issuesToProblems } from '../spec/zod-problems.js';
import { parseIp, type IpAddress } from './ip.js';
import {
  dnsLabelProblem,
  dnsSubdomainProblem,
  labelKeyProblem,
  labelValueProblem,
  portNameProblem,
} from './k8s-names.js';
import type { Labels } from './label-selector.js';
import { protocols, type Protocol } from './network-policy.js';

/**
 * The label the API server puts on every namespace (immutable, since Kubernetes 1.21), so
 * policies can select a namespace by name. The model adds it as a cluster would.
 */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

export interface ModelNamespace {
  name: string;
  /** Labels as written plus `kubernetes.io/metadata.name: <name>`. */
  labels: Labels;
}

export interface ContainerPort {
  /** Port name (IANA_SVC_NAME), the target of named ports in policies. */
  name?: string;
  port: number;
  protocol: Protocol;
}

export interface ModelPod {
  namespace: string;
  name: string;
  /** `namespace/name`, how pods are named in verdicts. */
  id: string;
  labels: Labels;
  /** Absent: the pod matches no ipBlock (its address is unknown). */
  ip?: IpAddress;
  ports: ContainerPort[];
}

export interface ClusterModel {
  namespaces: ModelNamespace[];
  pods: ModelPod[];
}

const labelsSchema = z.record(z.string(), z.string()).nullable().optional();

const namespaceEntrySchema = z.strictObject({ name: z.string(), labels: labelsSchema });
const podEntrySchema = z.strictObject({
  namespace: z.string(),
  name: z.string(),
  labels: labelsSchema,
  ip: z.string().optional(),
  ports: z
    .array(
      z.strictObject({
        name: z.string().optional(),
        port: z.number().int(),
        protocol: z.enum(protocols).default('TCP'),
      }),
    )
    .default([]),
});
const modelSchema = z.strictObject({
  namespaces: z.array(namespaceEntrySchema).default([]),
  pods: z.array(podEntrySchema).default([]),
});

type ModelEntries = {
  namespaces: (z.output<typeof namespaceEntrySchema> | undefined)[];
  pods: (z.output<typeof podEntrySchema> | undefined)[];
};

/**
 * The entries that are well-formed on their own, at their own index (undefined where not), so
 * that the checks below still run on them when the file as a whole fails its schema: every
 * problem at once. A namespace whose labels are malformed still declares its name.
 */
function wellFormedEntries(input: unknown): ModelEntries {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  return {
    namespaces: list(o.namespaces).map((n) => {
      const parsed = namespaceEntrySchema.safeParse(n);
      if (parsed.success) return parsed.data;
      const name = (n as { name?: unknown } | null)?.name;
      return typeof name === 'string' ? { name, labels: {} } : undefined;
    }),
    pods: list(o.pods).map((p) => {
      const parsed = podEntrySchema.safeParse(p);
      return parsed.success ? parsed.data : undefined;
    }),
  };
}

export function podId(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Parses MODEL.yaml; throws NB_POLICY_MODEL_INVALID listing every problem. */
export function parseClusterModel(text: string, file: string): ClusterModel {
  const { doc, lineCounter, input } = parseSingleDocument(
    text,
    file,
    'NB_POLICY_MODEL_INVALID',
    'model',
    'a model lists namespaces: and pods:; see test/fixtures/policy/e2e-model.yaml',
  );
  const parsed = modelSchema.safeParse(input);
  const problems: InputProblem[] = parsed.success
    ? []
    : issuesToProblems(parsed.error.issues, { doc, lineCounter, input, schema: modelSchema });
  const entries: ModelEntries = parsed.success ? parsed.data : wellFormedEntries(input);
  const add = (segments: PathSegment[], message: string, hint?: string): void => {
    const line = lineOf(doc, lineCounter, segments);
    problems.push({
      path: formatPath(segments),
      ...(line === undefined ? {} : { line }),
      message,
      ...(hint === undefined ? {} : { hint }),
    });
  };
  const checkLabels = (segments: PathSegment[], labels: Record<string, string>): void => {
    for (const [k, v] of Object.entries(labels)) {
      const keyWhy = labelKeyProblem(k);
      if (keyWhy !== undefined) add([...segments, k], `label key "${k}" ${keyWhy}`);
      const valueWhy = labelValueProblem(v);
      if (valueWhy !== undefined) add([...segments, k], `label value "${v}" ${valueWhy}`);
    }
  };

  const namespaces: ModelNamespace[] = [];
  entries.namespaces.forEach((ns, i) => {
    if (ns === undefined) return;
    const why = dnsLabelProblem(ns.name);
    if (why !== undefined) add(['namespaces', i, 'name'], `namespace name "${ns.name}" ${why}`);
    if (namespaces.some((n) => n.name === ns.name)) {
      add(['namespaces', i, 'name'], `namespace "${ns.name}" is listed twice`);
    }
    const labels = ns.labels ?? {};
    checkLabels(['namespaces', i, 'labels'], labels);
    if (labels[namespaceNameLabel] !== undefined && labels[namespaceNameLabel] !== ns.name) {
      add(
        ['namespaces', i, 'labels', namespaceNameLabel],
        `${namespaceNameLabel} is "${labels[namespaceNameLabel]}" but the namespace is "${ns.name}"`,
        'the API server sets this label to the namespace name; remove it',
      );
    }
    namespaces.push({ name: ns.name, labels: { ...labels, [namespaceNameLabel]: ns.name } });
  });

  const pods: ModelPod[] = [];
  const podIds = new Set<string>();
  const namespaceNames = new Set(namespaces.map((n) => n.name));
  const ips = new Map<string, string>();
  entries.pods.forEach((p, i) => {
    if (p === undefined) return;
    const id = podId(p.namespace, p.name);
    if (!namespaceNames.has(p.namespace)) {
      add(
        ['pods', i, 'namespace'],
        `namespace "${p.namespace}" of pod ${id} is not declared`,
        `add it under namespaces: (- name: ${p.namespace})`,
      );
    }
    const why = dnsSubdomainProblem(p.name);
    if (why !== undefined) add(['pods', i, 'name'], `pod name "${p.name}" ${why}`);
    if (podIds.has(id)) add(['pods', i, 'name'], `pod ${id} is listed twice`);
    podIds.add(id);
    const labels = p.labels ?? {};
    checkLabels(['pods', i, 'labels'], labels);
    let ip: IpAddress | undefined;
    if (p.ip !== undefined) {
      const parsedIp = parseIp(p.ip);
      if (!parsedIp.ok)
        add(['pods', i, 'ip'], `"${p.ip}" is not an IP address: ${parsedIp.message}`);
      else {
        ip = parsedIp.value;
        const owner = ips.get(ip.text);
        if (owner !== undefined) add(['pods', i, 'ip'], `IP ${ip.text} is also pod ${owner}'s`);
        ips.set(ip.text, id);
      }
    }
    const ports: ContainerPort[] = [];
    p.ports.forEach((port, j) => {
      const at: PathSegment[] = ['pods', i, 'ports', j];
      if (port.port < 1 || port.port > 65535) {
        add([...at, 'port'], `port ${port.port} is not between 1 and 65535`);
      }
      if (port.name !== undefined) {
        const nameWhy = portNameProblem(port.name);
        if (nameWhy !== undefined) add([...at, 'name'], `port name "${port.name}" ${nameWhy}`);
        if (ports.some((q) => q.name === port.name)) {
          add(
            [...at, 'name'],
            `port name "${port.name}" is used twice in pod ${id}`,
            'container port names are unique within a pod',
          );
        }
      }
      if (ports.some((q) => q.port === port.port && q.protocol === port.protocol)) {
        add([...at, 'port'], `${port.protocol}/${port.port} is declared twice in pod ${id}`);
      }
      ports.push({
        ...(port.name === undefined ? {} : { name: port.name }),
        port: port.port,
        protocol: port.protocol,
      });
    });
    pods.push({
      namespace: p.namespace,
      name: p.name,
      id,
      labels,
      ...(ip === undefined ? {} : { ip }),
      ports,
    });
  });
  if (problems.length > 0) throw invalid(file, problems);
  return { namespaces, pods };
}

function invalid(file: string, problems: InputProblem[]): NetbenchError {
  return new NetbenchError(
    'NB_POLICY_MODEL_INVALID',
    `${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    { problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) },
  );
}
