/**
 * `netbench policy lint`, pure: findings about policies that are valid but probably not what
 * their author meant. Each finding names its rule, what it is about and what to do.
 */
import { bitsetIsEmpty, bitsetMembers } from './bitset.js';
import { createClassSelectors } from './class-selectors.js';
import { createEvaluator } from './evaluate.js';
import { classifyPods, ipBlockKey } from './pod-classes.js';
import { cidrRange, cidrsOverlap, parseCidr, subtractCidrs, type Cidr } from './ip.js';
import { formatSelector, isEmptySelector, type LabelSelector } from './label-selector.js';
import type { ClusterModel, ModelPod } from './model.js';
import {
  formatPort,
  policyId,
  type IpBlock,
  type NetworkPolicy,
  type PolicyDirection,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
} from './network-policy.js';

export type LintSeverity = 'error' | 'warning' | 'info';

export const lintRules = [
  'cni-does-not-enforce',
  'cni-unknown',
  'no-default-deny',
  'selects-no-pods',
  'egress-without-dns',
  'ipblock-overlaps-pods',
  'shadowed-rule',
  'ignored-rules',
  'named-port-nowhere',
] as const;
export type LintRule = (typeof lintRules)[number];

export interface LintFinding {
  severity: LintSeverity;
  rule: LintRule;
  /** What the finding is about: a namespace, a policy, or `policy direction[i]`. */
  subject: string;
  message: string;
  hint?: string;
}

export interface LintOptions {
  /** The cluster model; without it, checks that need pods are skipped (and say so). */
  model?: ClusterModel;
  /** The cluster's CNI plugin, e.g. `flannel`, `calico`. */
  cni?: string;
  /** Pod address ranges of the cluster, e.g. `10.244.0.0/16`. */
  podCidrs?: readonly Cidr[];
}

export interface LintResult {
  findings: LintFinding[];
  /** Checks that could not run, and why. */
  skipped: string[];
}

/**
 * CNIs known to accept NetworkPolicy objects without enforcing them: the API server stores the
 * policies and nothing filters. Flannel has no policy engine (Canal pairs it with Calico's);
 * kubenet and the CNI reference plugins only wire pods.
 */
const nonEnforcingCnis: Readonly<Record<string, string>> = {
  flannel: 'Flannel has no NetworkPolicy engine (Canal = Flannel + Calico policy does)',
  kubenet: 'kubenet only wires pods to a bridge; it has no policy engine',
  bridge: 'the CNI bridge reference plugin only wires pods',
  ptp: 'the CNI ptp reference plugin only wires pods',
  macvlan: 'the CNI macvlan reference plugin only wires pods',
  ipvlan: 'the CNI ipvlan reference plugin only wires pods',
};
const enforcingCnis = [
  'calico',
  'cilium',
  'antrea',
  'kube-router',
  'weave',
  'canal',
  'ovn-kubernetes',
];

const dnsHint =
  'allow DNS, e.g. an egress rule with ports [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}] to namespaceSelector kubernetes.io/metadata.name=kube-system, podSelector k8s-app=kube-dns';

export function lintPolicies(
  policies: readonly NetworkPolicy[],
  options: LintOptions = {},
): LintResult {
  const findings: LintFinding[] = [];
  const skipped: string[] = [];
  const { model } = options;

  if (options.cni !== undefined && policies.length > 0) {
    const cni = options.cni.toLowerCase();
    const why = nonEnforcingCnis[cni];
    if (why !== undefined) {
      findings.push({
        severity: 'error',
        rule: 'cni-does-not-enforce',
        subject: `cni ${cni}`,
        message: `${policies.length} polic${policies.length === 1 ? 'y is' : 'ies are'} accepted by the API server but not enforced: ${why}`,
        hint: 'every connection stays allowed; add a policy engine (e.g. Calico in policy-only mode) or move to a CNI that enforces NetworkPolicy',
      });
    } else if (!enforcingCnis.includes(cni)) {
      findings.push({
        severity: 'info',
        rule: 'cni-unknown',
        subject: `cni ${cni}`,
        message: `netbench does not know whether ${options.cni} enforces NetworkPolicy`,
        hint: 'check its documentation; a probe of a default-deny namespace shows it in minutes',
      });
    }
  }

  if (model !== undefined) findings.push(...namedPortsNowhere(policies, model));

  // Namespaces: the model's (those with pods), or else those the policies live in.
  const podNamespaces = new Set(model?.pods.map((p) => p.namespace));
  const namespaces =
    model === undefined
      ? [...new Set(policies.map((p) => p.namespace))]
      : model.namespaces.map((n) => n.name).filter((n) => podNamespaces.has(n));
  const covered = new Set(
    policies
      .filter((p) => isEmptySelector(p.podSelector))
      .flatMap((p) =>
        (['ingress', 'egress'] as const)
          .filter((d) => p.policyTypes[d])
          .map((d) => `${p.namespace}/${d}`),
      ),
  );
  for (const ns of namespaces) {
    for (const direction of ['ingress', 'egress'] as const) {
      if (covered.has(`${ns}/${direction}`)) continue;
      findings.push({
        severity: direction === 'ingress' ? 'warning' : 'info',
        rule: 'no-default-deny',
        subject: `namespace ${ns}`,
        message: `no policy isolates every pod of ${ns} for ${direction}: pods no policy selects (including new ones) ${direction === 'ingress' ? 'accept connections from anywhere' : 'may connect anywhere'}`,
        hint: `add a default-deny: podSelector: {}, policyTypes: [${direction === 'ingress' ? 'Ingress' : 'Egress'}], no ${direction} rules; then allow what is needed`,
      });
    }
  }

  if (model === undefined) {
    skipped.push('selects-no-pods and per-pod egress-without-dns need --model');
  } else {
    const selectors = createClassSelectors(model, classifyPods(model, []));
    const modelNamespaces = new Set(model.namespaces.map((n) => n.name));
    for (const p of policies) {
      if (!bitsetIsEmpty(selectors.podsSelected(p.podSelector, p.namespace))) continue;
      const nsKnown = modelNamespaces.has(p.namespace);
      findings.push({
        severity: 'warning',
        rule: 'selects-no-pods',
        subject: policyId(p),
        message: nsKnown
          ? `podSelector ${formatSelector(p.podSelector)} selects no pod of namespace ${p.namespace}`
          : `namespace ${p.namespace} is not in the model, so the policy selects no pod`,
        hint: nsKnown
          ? 'check the labels (kubectl get pods --show-labels); a typo here leaves pods unprotected'
          : 'set metadata.namespace (or --namespace), or add the namespace to the model',
      });
    }
  }

  for (const p of policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      const rules = direction === 'ingress' ? p.ingress : p.egress;
      if (p.policyTypes[direction] || rules.length === 0) continue;
      const type = direction === 'ingress' ? 'Ingress' : 'Egress';
      findings.push({
        severity: 'warning',
        rule: 'ignored-rules',
        subject: policyId(p),
        message: `policyTypes does not include ${type}, so its ${rules.length} ${direction} rule${rules.length === 1 ? ' is' : 's are'} ignored`,
        hint: `add ${type} to policyTypes, or remove the ${direction} rules`,
      });
    }
  }

  findings.push(...dnsFindings(policies, model));
  findings.push(...ipBlockFindings(policies, model, options.podCidrs ?? []));
  findings.push(...shadowFindings(policies));
  return { findings, skipped };
}

/** Does one egress rule let UDP/53 out to some destination? */
function allowsDns(rule: PolicyRule, model: ClusterModel | undefined): boolean {
  if (rule.ports.length === 0) return true;
  return rule.ports.some((p) => portAllowsDns(p, model));
}

function portAllowsDns(p: PolicyPort, model: ClusterModel | undefined): boolean {
  if (p.protocol !== 'UDP') return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'number')
    return p.endPort === undefined ? p.port === 53 : p.port <= 53 && 53 <= p.endPort;
  // A named port resolves on the destination: DNS if some pod declares that name as UDP/53.
  const name = p.port;
  if (model === undefined) return /dns/.test(name);
  return dnsPortNames(model).has(name);
}

const dnsPortNamesOf = new WeakMap<ClusterModel, Set<string>>();

/** Names of container ports that are UDP/53 on some pod of the model. */
function dnsPortNames(model: ClusterModel): Set<string> {
  let names = dnsPortNamesOf.get(model);
  if (names === undefined) {
    names = new Set(
      model.pods.flatMap((pod) =>
        pod.ports.filter((c) => c.protocol === 'UDP' && c.port === 53).map((c) => c.name ?? ''),
      ),
    );
    names.delete('');
    dnsPortNamesOf.set(model, names);
  }
  return names;
}

function dnsFindings(
  policies: readonly NetworkPolicy[],
  model: ClusterModel | undefined,
): LintFinding[] {
  const out: LintFinding[] = [];
  if (model !== undefined) {
    const evaluator = createEvaluator(model, policies);
    // Pods of one class are isolated by the same policies: ask once per class.
    const { classes, classOf } = classifyPods(model, []);
    const byClass = classes.map((c) => evaluator.isolating(c.representative, 'egress'));
    // Group pods by the set of policies isolating them for egress.
    const groups = new Map<string, { policies: NetworkPolicy[]; pods: ModelPod[] }>();
    for (const [i, pod] of model.pods.entries()) {
      const isolating = byClass[classOf[i]!]!;
      if (isolating.length === 0) continue;
      if (isolating.some((p) => p.egress.some((r) => allowsDns(r, model)))) continue;
      const key = isolating.map(policyId).join(',');
      const g = groups.get(key) ?? { policies: isolating, pods: [] };
      g.pods.push(pod);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      out.push({
        severity: 'warning',
        rule: 'egress-without-dns',
        subject: g.pods.map((p) => p.id).join(', '),
        message: `isolated for egress by ${g.policies.map(policyId).join(', ')} and no egress rule allows DNS (UDP/53): name lookups will fail`,
        hint: dnsHint,
      });
    }
    return out;
  }
  for (const ns of new Set(policies.map((p) => p.namespace))) {
    const egressPolicies = policies.filter((p) => p.namespace === ns && p.policyTypes.egress);
    if (egressPolicies.length === 0) continue;
    if (egressPolicies.some((p) => p.egress.some((r) => allowsDns(r, undefined)))) continue;
    out.push({
      severity: 'warning',
      rule: 'egress-without-dns',
      subject: `namespace ${ns}`,
      message: `${egressPolicies.map(policyId).join(', ')} isolate pods for egress and no egress rule in ${ns} allows DNS (UDP/53)`,
      hint: dnsHint,
    });
  }
  return out;
}

function ipBlockFindings(
  policies: readonly NetworkPolicy[],
  model: ClusterModel | undefined,
  podCidrs: readonly Cidr[],
): LintFinding[] {
  const out: LintFinding[] = [];
  const classes = model === undefined ? undefined : classifyPods(model, policies);
  // Pods an ipBlock matches, in model order; equal blocks (common at scale) answered once.
  const matched = new Map<string, ModelPod[]>();
  const podsIn = (block: IpBlock): ModelPod[] => {
    if (model === undefined || classes === undefined) return [];
    const key = ipBlockKey(block);
    let pods = matched.get(key);
    if (pods === undefined) {
      pods = [...bitsetMembers(classes.ipBlockClasses(block))]
        .flatMap((c) => classes.classes[c]!.pods)
        .sort((a, b) => a - b)
        .map((i) => model.pods[i]!);
      matched.set(key, pods);
    }
    return pods;
  };
  for (const p of policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      const rules = direction === 'ingress' ? p.ingress : p.egress;
      rules.forEach((r, i) => {
        r.peers.forEach((peer, j) => {
          if (peer.kind !== 'ipBlock') return;
          const { cidr, except } = peer.ipBlock;
          const ranges = podCidrs.filter((c) =>
            subtractCidrs(cidr, except).some((x) => cidrsOverlap(x, c)),
          );
          const pods = podsIn(peer.ipBlock);
          if (ranges.length === 0 && pods.length === 0) return;
          const what = [
            ...(ranges.length > 0 ? [`the pod CIDR ${ranges.map((c) => c.text).join(', ')}`] : []),
            ...(pods.length > 0 ? [`pods ${listIds(pods)}`] : []),
          ].join(' and ');
          out.push({
            severity: 'warning',
            rule: 'ipblock-overlaps-pods',
            subject: `${policyId(p)} ${direction}[${i}].${direction === 'ingress' ? 'from' : 'to'}[${j}]`,
            message: `ipBlock ${cidr.text} also matches ${what}: pod addresses change when pods restart, so this allows whichever pod holds them`,
            hint: 'select pods with podSelector/namespaceSelector, and keep ipBlock for addresses outside the cluster (or except the pod CIDR)',
          });
        });
      });
    }
  }
  return out;
}

function listIds(pods: readonly ModelPod[]): string {
  const ids = pods.slice(0, 5).map((p) => p.id);
  return ids.length <= 4
    ? ids.join(', ')
    : `${ids.slice(0, 4).join(', ')} and ${pods.length - 4} more`;
}

// ---- shadowed rules -------------------------------------------------------------------------

/** True when `outer` selects every object `inner` selects, whatever the labels (structural). */
function selectorCovers(outer: LabelSelector, inner: LabelSelector): boolean {
  for (const [k, v] of Object.entries(outer.matchLabels)) {
    if (inner.matchLabels[k] !== v) return false;
  }
  return outer.matchExpressions.every(
    (o) =>
      inner.matchExpressions.some(
        (i) =>
          i.key === o.key &&
          i.operator === o.operator &&
          i.values.length === o.values.length &&
          i.values.every((v) => o.values.includes(v)),
      ) ||
      // `key in (v)` is implied by matchLabels key=v.
      (o.operator === 'In' &&
        inner.matchLabels[o.key] !== undefined &&
        o.values.includes(inner.matchLabels[o.key]!)) ||
      (o.operator === 'Exists' && inner.matchLabels[o.key] !== undefined),
  );
}

function portCovers(outer: PolicyPort, inner: PolicyPort): boolean {
  if (outer.protocol !== inner.protocol) return false;
  if (outer.port === undefined) return true;
  if (inner.port === undefined) return false;
  if (typeof outer.port === 'string' || typeof inner.port === 'string')
    return outer.port === inner.port;
  const [oLo, oHi] = [outer.port, outer.endPort ?? outer.port];
  const [iLo, iHi] = [inner.port, inner.endPort ?? inner.port];
  return oLo <= iLo && iHi <= oHi;
}

function intervalsOf(peer: { ipBlock: { cidr: Cidr; except: Cidr[] } }): [bigint, bigint][] {
  return subtractCidrs(peer.ipBlock.cidr, peer.ipBlock.except).map(cidrRange);
}

function peerCovers(outer: PolicyPeer, inner: PolicyPeer): boolean {
  if (outer.kind === 'ipBlock' || inner.kind === 'ipBlock') {
    if (outer.kind !== 'ipBlock' || inner.kind !== 'ipBlock') return false;
    if (outer.ipBlock.cidr.family !== inner.ipBlock.cidr.family) return false;
    const merged = intervalsOf(outer).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    // Merge adjacent intervals, then check each inner interval fits in one.
    const joined: [bigint, bigint][] = [];
    for (const iv of merged) {
      const last = joined[joined.length - 1];
      if (last !== undefined && iv[0] <= last[1] + 1n) last[1] = iv[1] > last[1] ? iv[1] : last[1];
      else joined.push([iv[0], iv[1]]);
    }
    return intervalsOf(inner).every(([lo, hi]) => joined.some(([a, b]) => a <= lo && hi <= b));
  }
  // Namespaces: absent = the policy's own namespace (same for both rules here).
  const nsOk =
    outer.namespaceSelector === undefined
      ? inner.namespaceSelector === undefined
      : inner.namespaceSelector === undefined
        ? isEmptySelector(outer.namespaceSelector)
        : selectorCovers(outer.namespaceSelector, inner.namespaceSelector);
  const outerPods = outer.podSelector ?? { matchLabels: {}, matchExpressions: [] };
  const innerPods = inner.podSelector ?? { matchLabels: {}, matchExpressions: [] };
  return nsOk && selectorCovers(outerPods, innerPods);
}

function ruleCovers(outer: PolicyRule, inner: PolicyRule): boolean {
  const portsOk =
    outer.ports.length === 0 ||
    (inner.ports.length > 0 && inner.ports.every((i) => outer.ports.some((o) => portCovers(o, i))));
  const peersOk =
    outer.peers.length === 0 ||
    (inner.peers.length > 0 && inner.peers.every((i) => outer.peers.some((o) => peerCovers(o, i))));
  return portsOk && peersOk;
}

interface LocatedRule {
  policy: NetworkPolicy;
  direction: PolicyDirection;
  index: number;
  rule: PolicyRule;
  /** Order of appearance, to report the later of two identical rules. */
  order: number;
}

function describeRule(r: PolicyRule): string {
  const ports = r.ports.length === 0 ? 'every port' : r.ports.map(formatPort).join(', ');
  return ports;
}

function shadowFindings(policies: readonly NetworkPolicy[]): LintFinding[] {
  const located: LocatedRule[] = [];
  let order = 0;
  for (const policy of policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      if (!policy.policyTypes[direction]) continue;
      (direction === 'ingress' ? policy.ingress : policy.egress).forEach((rule, index) => {
        located.push({ policy, direction, index, rule, order: order++ });
      });
    }
  }
  // Only rules of one namespace and direction can shadow each other, and an outer selector's
  // matchLabels must all be in the inner's: index the candidates by their first label.
  const buckets = new Map<string, LocatedRule[]>();
  const bucketOf = (r: LocatedRule, label: string): string =>
    `${r.policy.namespace}/${r.direction}/${label}`;
  for (const r of located) {
    const first = Object.entries(r.policy.podSelector.matchLabels)[0];
    const key = bucketOf(r, first === undefined ? '' : `${first[0]}=${first[1]}`);
    const b = buckets.get(key);
    if (b === undefined) buckets.set(key, [r]);
    else b.push(r);
  }
  const candidates = (inner: LocatedRule): LocatedRule[] =>
    ['', ...Object.entries(inner.policy.podSelector.matchLabels).map(([k, v]) => `${k}=${v}`)]
      .flatMap((label) => buckets.get(bucketOf(inner, label)) ?? [])
      .sort((a, b) => a.order - b.order);
  const out: LintFinding[] = [];
  for (const inner of located) {
    const by = candidates(inner).find(
      (outer) =>
        outer !== inner &&
        selectorCovers(outer.policy.podSelector, inner.policy.podSelector) &&
        ruleCovers(outer.rule, inner.rule) &&
        // Of two identical rules, only the later one is reported.
        !(
          selectorCovers(inner.policy.podSelector, outer.policy.podSelector) &&
          ruleCovers(inner.rule, outer.rule) &&
          outer.order > inner.order
        ),
    );
    if (by === undefined) continue;
    const innerName = `${policyId(inner.policy)} ${inner.direction}[${inner.index}]`;
    const outerName = `${policyId(by.policy)} ${by.direction}[${by.index}]`;
    out.push({
      severity: 'warning',
      rule: 'shadowed-rule',
      subject: innerName,
      message: `adds nothing: ${outerName} already allows all it allows (${describeRule(inner.rule)}) for every pod it applies to`,
      hint: 'remove it, or narrow the broader rule if this one was meant to be the only way in',
    });
  }
  return out;
}

/** Parses `--pod-cidr` values; returns the bad ones separately. */
export function parsePodCidrs(values: readonly string[]): { cidrs: Cidr[]; bad: string[] } {
  const cidrs: Cidr[] = [];
  const bad: string[] = [];
  for (const v of values) {
    const c = parseCidr(v);
    if (c.ok) cidrs.push(c.value);
    else bad.push(`${v}: ${c.message}`);
  }
  return { cidrs, bad };
}

/**
 * A rule's port given by name matches a pod's container port of that name and protocol
 * (NetworkPolicyPort.port: "a named port on a pod"); a name no pod of the model declares
 * matches nothing, so the rule allows nothing on that port, silently.
 */
function namedPortsNowhere(policies: readonly NetworkPolicy[], model: ClusterModel): LintFinding[] {
  const declared = new Set(
    model.pods.flatMap((p) =>
      p.ports.flatMap((c) => (c.name === undefined ? [] : [`${c.protocol}/${c.name}`])),
    ),
  );
  const out: LintFinding[] = [];
  for (const policy of policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      policy[direction].forEach((rule, i) => {
        for (const port of rule.ports) {
          if (typeof port.port !== 'string' || declared.has(`${port.protocol}/${port.port}`))
            continue;
          out.push({
            severity: 'warning',
            rule: 'named-port-nowhere',
            subject: `${policyId(policy)} ${direction}[${i}]`,
            message: `named port "${port.port}" (${port.protocol}) is declared by no pod of the model: this port of the rule matches nothing`,
            hint: 'use the container port name the pods declare (spec.containers[].ports[].name), or the port number',
          });
        }
      });
    }
  }
  return out;
}
