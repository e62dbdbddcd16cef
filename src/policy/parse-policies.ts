/**
 * POLICIES.yaml → validated `NetworkPolicy[]`, pure. Accepts one or many YAML documents, each a
 * NetworkPolicy, a `List` or a `NetworkPolicyList`. Rejects what the API server would reject
 * (pkg/apis/networking/validation/validation.go: ValidateNetworkPolicySpec, ValidateIPBlock,
 * ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer; strict decoding rejects unknown fields),
 * and reports every problem at once, each naming its document, path, line and value.
 */
import type { Document, LineCounter } from 'yaml';
import { z } from 'zod';
import { NetbenchError, type InputProblem } from '../core/errors.js';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { parseYamlSource, lineOf, formatPath, type PathSegment } from '../spec/yaml-source.js';
import { issuesToProblems } from '../spec/zod-problems.js';
import { isStrictSubset, parseCidr, type Cidr } from './ip.js';
import { dnsLabelProblem, dnsSubdomainProblem, portNameProblem } from './k8s-names.js';
import {
  selectorOperators,
  selectorProblems,
  type LabelSelector,
  emptySelector,
} from './label-selector.js';
import {
  protocols,
  type NetworkPolicy,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
  type PolicySource,
} from './network-policy.js';

/** The networking.k8s.io/v1 API group/version this parser implements. */
export const networkPolicyApiVersion = 'networking.k8s.io/v1';

const optionalList = <T extends z.ZodType>(item: T) => z.array(item).nullable().optional();

const selectorSchema = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).nullable().optional(),
  matchExpressions: optionalList(
    z.strictObject({
      key: z.string(),
      operator: z.enum(selectorOperators),
      values: optionalList(z.string()),
    }),
  ),
});

const portSchema = z.strictObject({
  protocol: z.enum(protocols).nullable().optional(),
  port: z.union([z.number().int(), z.string()]).nullable().optional(),
  endPort: z.number().int().nullable().optional(),
});

const peerSchema = z.strictObject({
  podSelector: selectorSchema.nullable().optional(),
  namespaceSelector: selectorSchema.nullable().optional(),
  ipBlock: z
    .strictObject({ cidr: z.string(), except: optionalList(z.string()) })
    .nullable()
    .optional(),
});

const specSchema = z.strictObject({
  podSelector: selectorSchema.nullable().optional(),
  policyTypes: optionalList(z.enum(['Ingress', 'Egress'])),
  ingress: optionalList(
    z.strictObject({ ports: optionalList(portSchema), from: optionalList(peerSchema) }),
  ),
  egress: optionalList(
    z.strictObject({ ports: optionalList(portSchema), to: optionalList(peerSchema) }),
  ),
});

/** ObjectMeta fields a manifest exported from a cluster may carry; only name/namespace matter. */
const metadataSchema = z.strictObject({
  name: z.string(),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).nullable().optional(),
  annotations: z.record(z.string(), z.string()).nullable().optional(),
  uid: z.unknown().optional(),
  resourceVersion: z.unknown().optional(),
  generation: z.unknown().optional(),
  creationTimestamp: z.unknown().optional(),
  deletionTimestamp: z.unknown().optional(),
  deletionGracePeriodSeconds: z.unknown().optional(),
  finalizers: z.unknown().optional(),
  ownerReferences: z.unknown().optional(),
  managedFields: z.unknown().optional(),
  selfLink: z.unknown().optional(),
  generateName: z.unknown().optional(),
});

const policySchema = z.strictObject({
  apiVersion: z.literal(networkPolicyApiVersion),
  kind: z.literal('NetworkPolicy'),
  metadata: metadataSchema,
  spec: specSchema.nullable().optional(),
  /** Served by some API server versions (1.24-1.26, alpha conditions); ignored. */
  status: z.unknown().optional(),
});

const listSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.enum(['List', 'NetworkPolicyList']),
  metadata: z.unknown().optional(),
  items: z.array(policySchema),
});

type RawPolicy = z.output<typeof policySchema>;
type RawSelector = z.output<typeof selectorSchema>;
type RawPort = z.output<typeof portSchema>;
type RawPeer = z.output<typeof peerSchema>;

export interface ParsePoliciesOptions {
  /** Namespace of policies without metadata.namespace (kubectl's current namespace). @default "default" */
  defaultNamespace?: string;
  /**
   * Receives every object that is not a NetworkPolicy (documents, and items of a `List`), for
   * readers of whole cluster dumps; without it such objects are rejected.
   */
  onOtherObject?: (object: Record<string, unknown>, at: PolicySource) => void;
}

interface DocContext {
  file: string;
  /** The parsed document, for line numbers; absent on the fast path. */
  doc?: Document.Parsed;
  lineCounter?: LineCounter;
  /** 1-based document number. */
  document: number;
  problems: InputProblem[];
}

function label(ctx: DocContext, item: number | undefined, raw?: RawPolicy): string {
  const where = `document ${ctx.document}${item === undefined ? '' : ` items[${item}]`}`;
  const ns = raw?.metadata.namespace;
  const name = raw?.metadata.name;
  return name === undefined ? where : `${where} (${ns === undefined ? '' : `${ns}/`}${name})`;
}

function add(
  ctx: DocContext,
  prefix: string,
  segments: readonly PathSegment[],
  message: string,
  hint?: string,
): void {
  const line = lineAt(ctx, segments);
  ctx.problems.push({
    path: `${prefix} ${formatPath(segments)}`.trimEnd(),
    ...(line === undefined ? {} : { line }),
    message,
    ...(hint === undefined ? {} : { hint }),
  });
}

function lineAt(ctx: DocContext, segments: readonly PathSegment[]): number | undefined {
  return ctx.doc === undefined || ctx.lineCounter === undefined
    ? undefined
    : lineOf(ctx.doc, ctx.lineCounter, segments);
}

/** One document of a file: its value, and its syntax tree when lines are wanted. */
interface SourceDocument {
  input: unknown;
  doc?: Document.Parsed;
  lineCounter?: LineCounter;
}

/**
 * The documents of a file the fast way: JSON.parse for JSON, js-yaml for YAML (an order of
 * magnitude faster than building the syntax tree that line numbers need), or undefined when
 * either fails, so the precise path reports the syntax error.
 */
function fastDocuments(text: string): SourceDocument[] | undefined {
  try {
    const trimmed = text.trimStart();
    const values: unknown[] =
      trimmed.startsWith('{') || trimmed.startsWith('[')
        ? [JSON.parse(text)]
        : loadAll(text, undefined, { schema: CORE_SCHEMA });
    return values.map((input) => ({ input }));
  } catch {
    return undefined;
  }
}

/**
 * Parses and validates every NetworkPolicy in `text`; throws NB_POLICY_INVALID listing all
 * problems. Large inputs (cluster dumps) are read the fast way first; only when that finds a
 * problem is the file parsed again with line numbers, so every message still names its line.
 */
export function parsePolicies(
  text: string,
  file: string,
  options: ParsePoliciesOptions = {},
): NetworkPolicy[] {
  const fast = fastDocuments(text);
  if (fast !== undefined) {
    const result = collectPolicies(fast, file, options);
    if (result.problems.length === 0) return result.policies;
  }
  const source = parseYamlSource(text, file);
  const precise = source.documents.map((doc) => ({
    input: doc.toJS() as unknown,
    doc,
    lineCounter: source.lineCounter,
  }));
  return policiesOrThrow(collectPolicies(precise, file, options), file);
}

/**
 * Validates Kubernetes objects already decoded (from the API): NetworkPolicies become policies,
 * the others go to `onOtherObject`. Problems name the object, not a line.
 */
export function parsePolicyObjects(
  objects: readonly unknown[],
  source: string,
  options: ParsePoliciesOptions = {},
): NetworkPolicy[] {
  return policiesOrThrow(
    collectPolicies(
      objects.map((input) => ({ input })),
      source,
      options,
    ),
    source,
  );
}

function policiesOrThrow(
  result: { policies: NetworkPolicy[]; problems: InputProblem[] },
  file: string,
): NetworkPolicy[] {
  const { problems } = result;
  if (problems.length > 0) {
    throw new NetbenchError(
      'NB_POLICY_INVALID',
      `${file} has ${problems.length} invalid value${problems.length === 1 ? '' : 's'} the Kubernetes API server would reject`,
      { problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) },
    );
  }
  return result.policies;
}

/** The policies of the documents and every problem found in them. */
function collectPolicies(
  documents: readonly SourceDocument[],
  file: string,
  options: ParsePoliciesOptions,
): { policies: NetworkPolicy[]; problems: InputProblem[] } {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const problems: InputProblem[] = [];
  const policies: NetworkPolicy[] = [];
  // Other objects are handed over only once the file is known to be valid.
  const others: [Record<string, unknown>, PolicySource][] = [];
  const onOtherObject =
    options.onOtherObject === undefined
      ? undefined
      : (o: Record<string, unknown>, at: PolicySource): void => void others.push([o, at]);
  documents.forEach(({ input, doc, lineCounter }, i) => {
    const ctx: DocContext = {
      file,
      ...(doc === undefined ? {} : { doc }),
      ...(lineCounter === undefined ? {} : { lineCounter }),
      document: i + 1,
      problems,
    };
    if (input === null || input === undefined) return; // an empty document between `---`
    if (typeof input !== 'object' || Array.isArray(input)) {
      add(ctx, label(ctx, undefined), [], 'is not a Kubernetes object (a mapping with kind:)');
      return;
    }
    const kind = (input as { kind?: unknown }).kind;
    const apiVersion = (input as { apiVersion?: unknown }).apiVersion;
    if (kind === 'List' && onOtherObject !== undefined) {
      const items = (input as { items?: unknown }).items;
      (Array.isArray(items) ? (items as unknown[]) : []).forEach((item, j) => {
        const itemKind = (item as { kind?: unknown } | null)?.kind;
        if (itemKind !== 'NetworkPolicy') {
          if (item !== null && typeof item === 'object') {
            onOtherObject?.(item as Record<string, unknown>, {
              file,
              document: i + 1,
              item: j,
            });
          }
          return;
        }
        const parsed = policySchema.safeParse(item);
        if (!parsed.success) {
          zodProblems(ctx, parsed.error.issues, item, policySchema, ['items', j]);
          return;
        }
        const p = normalize(ctx, parsed.data, ['items', j], j, defaultNamespace);
        if (p !== undefined) policies.push(p);
      });
      return;
    }
    if (kind !== 'NetworkPolicy' && onOtherObject !== undefined) {
      if (typeof kind === 'string' && kind.endsWith('List')) {
        const items = (input as { items?: unknown }).items;
        (Array.isArray(items) ? (items as unknown[]) : []).forEach((item, j) => {
          if (item !== null && typeof item === 'object') {
            onOtherObject?.(item as Record<string, unknown>, {
              file,
              document: i + 1,
              item: j,
            });
          }
        });
      } else onOtherObject(input as Record<string, unknown>, { file, document: i + 1 });
      return;
    }
    if (kind === 'List' || kind === 'NetworkPolicyList') {
      const parsed = listSchema.safeParse(input);
      if (!parsed.success) {
        zodProblems(ctx, parsed.error.issues, input, listSchema);
        return;
      }
      parsed.data.items.forEach((item, j) => {
        const p = normalize(ctx, item, ['items', j], j, defaultNamespace);
        if (p !== undefined) policies.push(p);
      });
      return;
    }
    if (kind !== 'NetworkPolicy') {
      add(
        ctx,
        label(ctx, undefined),
        ['kind'],
        `kind ${JSON.stringify(kind ?? null)} is not NetworkPolicy`,
        'this file holds NetworkPolicy manifests only (or a List of them), e.g. the output of `kubectl get networkpolicy -A -o yaml`',
      );
      return;
    }
    if (apiVersion !== networkPolicyApiVersion) {
      add(
        ctx,
        label(ctx, undefined),
        ['apiVersion'],
        `apiVersion ${JSON.stringify(apiVersion ?? null)} is not ${networkPolicyApiVersion}`,
        `NetworkPolicy is served as ${networkPolicyApiVersion} (extensions/v1beta1 and networking.k8s.io/v1beta1 are gone); change apiVersion`,
      );
      return;
    }
    const parsed = policySchema.safeParse(input);
    if (!parsed.success) {
      zodProblems(ctx, parsed.error.issues, input, policySchema);
      return;
    }
    const p = normalize(ctx, parsed.data, [], undefined, defaultNamespace);
    if (p !== undefined) policies.push(p);
  });

  const seen = new Map<string, NetworkPolicy>();
  for (const p of policies) {
    const key = `${p.namespace}/${p.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        path: `document ${p.source.document}${p.source.item === undefined ? '' : ` items[${p.source.item}]`} (${key}) metadata.name`,
        message: `a NetworkPolicy ${key} already exists (document ${first.source.document})`,
        hint: 'names are unique per namespace: rename one, or remove the duplicate',
      });
    } else seen.set(key, p);
  }
  if (problems.length > 0) return { policies, problems };
  for (const [o, at] of others) options.onOtherObject?.(o, at);
  return { policies, problems };
}

function zodProblems(
  ctx: DocContext,
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  schema: z.ZodType,
  pathPrefix: readonly PathSegment[] = [],
): void {
  const found = issuesToProblems(issues, {
    ...(ctx.doc === undefined ? {} : { doc: ctx.doc }),
    ...(ctx.lineCounter === undefined ? {} : { lineCounter: ctx.lineCounter }),
    input,
    schema,
    pathPrefix,
  });
  const meta = (input as { metadata?: { name?: unknown; namespace?: unknown } }).metadata;
  const name = typeof meta?.name === 'string' ? meta.name : undefined;
  const ns = typeof meta?.namespace === 'string' ? `${meta.namespace}/` : '';
  const prefix = `document ${ctx.document}${name === undefined ? '' : ` (${ns}${name})`}`;
  for (const p of found) ctx.problems.push({ ...p, path: `${prefix} ${p.path}`.trimEnd() });
}

function selectorOf(raw: RawSelector): LabelSelector {
  return {
    matchLabels: raw.matchLabels ?? {},
    matchExpressions: (raw.matchExpressions ?? []).map((r) => ({
      key: r.key,
      operator: r.operator,
      values: r.values ?? [],
    })),
  };
}

function checkSelector(
  ctx: DocContext,
  prefix: string,
  segments: readonly PathSegment[],
  s: LabelSelector,
): void {
  for (const p of selectorProblems(s, formatPath(segments))) {
    // Re-derive the segments for the line: selectorProblems speaks dotted paths.
    const line = lineAt(ctx, segments);
    ctx.problems.push({
      ...p,
      path: `${prefix} ${p.path}`,
      ...(line === undefined ? {} : { line }),
    });
  }
}

function normalize(
  ctx: DocContext,
  raw: RawPolicy,
  base: readonly PathSegment[],
  item: number | undefined,
  defaultNamespace: string,
): NetworkPolicy | undefined {
  const before = ctx.problems.length;
  const prefix = label(ctx, item, raw);
  const at = (...s: PathSegment[]): PathSegment[] => [...base, ...s];

  const nameWhy = dnsSubdomainProblem(raw.metadata.name);
  if (nameWhy !== undefined) {
    add(ctx, prefix, at('metadata', 'name'), `name "${raw.metadata.name}" ${nameWhy}`);
  }
  const namespace = raw.metadata.namespace ?? defaultNamespace;
  const nsWhy = dnsLabelProblem(namespace);
  if (nsWhy !== undefined) {
    add(ctx, prefix, at('metadata', 'namespace'), `namespace "${namespace}" ${nsWhy}`);
  }

  const spec = raw.spec ?? {};
  const podSelector = spec.podSelector == null ? emptySelector : selectorOf(spec.podSelector);
  checkSelector(ctx, prefix, at('spec', 'podSelector'), podSelector);

  const types = spec.policyTypes ?? [];
  if (types.length > 2) {
    add(
      ctx,
      prefix,
      at('spec', 'policyTypes'),
      `may not list more than two policyTypes (got ${JSON.stringify(types)})`,
      'use [Ingress], [Egress] or [Ingress, Egress]',
    );
  }

  const ingress = (spec.ingress ?? []).map((r, i) =>
    rule(ctx, prefix, at('spec', 'ingress', i), r.ports ?? [], r.from ?? [], 'from'),
  );
  const egress = (spec.egress ?? []).map((r, i) =>
    rule(ctx, prefix, at('spec', 'egress', i), r.ports ?? [], r.to ?? [], 'to'),
  );
  if (ctx.problems.length > before) return undefined;

  // SetDefaults_NetworkPolicy: an absent or empty policyTypes means Ingress, plus Egress when
  // the policy has at least one egress rule. An explicit list is taken as written.
  const defaulted = types.length === 0;
  const policyTypes = defaulted
    ? { ingress: true, egress: egress.length > 0 }
    : { ingress: types.includes('Ingress'), egress: types.includes('Egress') };
  return {
    namespace,
    name: raw.metadata.name,
    podSelector,
    policyTypes,
    policyTypesDefaulted: defaulted,
    ingress,
    egress,
    source: { file: ctx.file, document: ctx.document, ...(item === undefined ? {} : { item }) },
  };
}

function rule(
  ctx: DocContext,
  prefix: string,
  segments: readonly PathSegment[],
  rawPorts: readonly RawPort[],
  rawPeers: readonly RawPeer[],
  peersKey: 'from' | 'to',
): PolicyRule {
  const ports = rawPorts.map((p, i) => port(ctx, prefix, [...segments, 'ports', i], p));
  const peers = rawPeers.flatMap((p, i) => {
    const peer = peerOf(ctx, prefix, [...segments, peersKey, i], p);
    return peer === undefined ? [] : [peer];
  });
  return { ports, peers };
}

/** ValidateNetworkPolicyPort, with the TCP default applied. */
function port(
  ctx: DocContext,
  prefix: string,
  segments: readonly PathSegment[],
  raw: RawPort,
): PolicyPort {
  const protocol = raw.protocol ?? 'TCP';
  const out: PolicyPort = { protocol };
  if (raw.port != null) {
    if (typeof raw.port === 'number') {
      if (raw.port < 1 || raw.port > 65535) {
        add(
          ctx,
          prefix,
          [...segments, 'port'],
          `port ${raw.port} is not between 1 and 65535`,
          'use a port number from 1 to 65535, or omit `port` to match every port',
        );
      }
      if (raw.endPort != null) {
        if (raw.endPort < raw.port) {
          add(
            ctx,
            prefix,
            [...segments, 'endPort'],
            `endPort ${raw.endPort} is below port ${raw.port}`,
            'endPort must be greater than or equal to port',
          );
        }
        if (raw.endPort < 1 || raw.endPort > 65535) {
          add(
            ctx,
            prefix,
            [...segments, 'endPort'],
            `endPort ${raw.endPort} is not between 1 and 65535`,
          );
        }
        out.endPort = raw.endPort;
      }
    } else {
      const why = portNameProblem(raw.port);
      if (why !== undefined) {
        add(
          ctx,
          prefix,
          [...segments, 'port'],
          `named port "${raw.port}" ${why}`,
          /^\d+$/.test(raw.port) ? `write the number without quotes: port: ${raw.port}` : undefined,
        );
      }
      if (raw.endPort != null) {
        add(
          ctx,
          prefix,
          [...segments, 'endPort'],
          `endPort ${raw.endPort} may not be used with the named port "${raw.port}"`,
          'a range needs a numeric port: port: 8000, endPort: 8080',
        );
      }
    }
    out.port = raw.port;
  } else if (raw.endPort != null) {
    add(
      ctx,
      prefix,
      [...segments, 'endPort'],
      `endPort ${raw.endPort} may not be used without port`,
      'set port to the start of the range',
    );
  }
  return out;
}

/** ValidateNetworkPolicyPeer and ValidateIPBlock. */
function peerOf(
  ctx: DocContext,
  prefix: string,
  segments: readonly PathSegment[],
  raw: RawPeer,
): PolicyPeer | undefined {
  const set = [raw.podSelector, raw.namespaceSelector, raw.ipBlock].filter((x) => x != null);
  if (set.length === 0) {
    add(
      ctx,
      prefix,
      segments,
      'a peer must set podSelector, namespaceSelector or ipBlock',
      'to match every peer, remove the `from`/`to` list instead of writing an empty peer',
    );
    return undefined;
  }
  if (raw.ipBlock != null) {
    if (set.length > 1) {
      add(
        ctx,
        prefix,
        segments,
        'ipBlock may not be combined with podSelector or namespaceSelector in one peer',
        'write them as two peers (two list items) if either should match',
      );
      return undefined;
    }
    const cidr = cidrAt(ctx, prefix, [...segments, 'ipBlock', 'cidr'], raw.ipBlock.cidr);
    const except: Cidr[] = [];
    (raw.ipBlock.except ?? []).forEach((text, i) => {
      const e = cidrAt(ctx, prefix, [...segments, 'ipBlock', 'except', i], text);
      if (e === undefined || cidr === undefined) return;
      if (!isStrictSubset(cidr, e)) {
        add(
          ctx,
          prefix,
          [...segments, 'ipBlock', 'except', i],
          `except "${text}" is not a strict subset of cidr "${raw.ipBlock!.cidr}"`,
          'every except block must lie inside cidr and be smaller than it',
        );
        return;
      }
      except.push(e);
    });
    return cidr === undefined ? undefined : { kind: 'ipBlock', ipBlock: { cidr, except } };
  }
  const peer: PolicyPeer = { kind: 'selector' };
  if (raw.podSelector != null) {
    peer.podSelector = selectorOf(raw.podSelector);
    checkSelector(ctx, prefix, [...segments, 'podSelector'], peer.podSelector);
  }
  if (raw.namespaceSelector != null) {
    peer.namespaceSelector = selectorOf(raw.namespaceSelector);
    checkSelector(ctx, prefix, [...segments, 'namespaceSelector'], peer.namespaceSelector);
  }
  return peer;
}

function cidrAt(
  ctx: DocContext,
  prefix: string,
  segments: readonly PathSegment[],
  text: string,
): Cidr | undefined {
  if (text === '') {
    add(ctx, prefix, segments, 'cidr is required', 'e.g. cidr: 192.168.0.0/16');
    return undefined;
  }
  const parsed = parseCidr(text);
  if (!parsed.ok) {
    add(
      ctx,
      prefix,
      segments,
      `"${text}" is not a valid CIDR: ${parsed.message}`,
      'e.g. 192.168.0.0/16 or 2001:db8::/64',
    );
    return undefined;
  }
  return parsed.value;
}
