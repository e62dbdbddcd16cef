/**
 * The policy sets of the `policy` dimension, pure: what `netbench run` enforces between its
 * client and server pods.
 * - default-deny-allow: the setup of the published CNI comparisons. A namespace-wide
 *   default-deny both ways, then the client may connect to the server and the server may
 *   accept it (every port and protocol, so any workload's traffic passes).
 * - scale-N: the same, plus N unrelated ingress rules on the server, each admitting one address
 *   outside the cluster (100.64.0.0/10) on the server's port. They come before the rule that
 *   admits the client, so a linear enforcer walks all N for every new connection.
 */
import { parseCidr, type Cidr } from './ip.js';
import { emptySelector, type LabelSelector } from './label-selector.js';
import { namespaceNameLabel, type ModelPod } from './model.js';
import type { NetworkPolicy, PolicyRule } from './network-policy.js';
import type { PolicySetSpec } from './policy-set.js';
import type { PolicyEnforcerName, PolicySetting } from '../spec/dimensions.js';

export const benchNamespace = 'bench';

export interface BenchPolicyOptions {
  setting: Exclude<PolicySetting, 'off'>;
  enforcer: PolicyEnforcerName;
  /** Platform pod names of the client and the server. */
  client: string;
  server: string;
  /** The port the server listens on, named `bench` on the server pod. */
  serverPort: number;
}

/** Pods labelled `app: <app>`. */
export function selector(app: string): LabelSelector {
  return { matchLabels: { app }, matchExpressions: [] };
}

/** A policy netbench generates in the bench namespace; `origin` says what made it. */
export function policy(
  name: string,
  spec: Omit<NetworkPolicy, 'namespace' | 'name' | 'source' | 'policyTypesDefaulted'>,
  origin = 'netbench',
): NetworkPolicy {
  return {
    namespace: benchNamespace,
    name,
    ...spec,
    policyTypesDefaulted: false,
    source: { file: origin, document: 0 },
  };
}

/** The i-th address of 100.64.0.0/10 (shared address space: never a pod here). */
function unrelatedCidr(i: number): Cidr {
  const a = 64 + Math.floor(i / 65536);
  const parsed = parseCidr(`100.${a}.${Math.floor(i / 256) % 256}.${i % 256}/32`);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

export function scaleRuleCount(setting: PolicySetting): number {
  return setting.startsWith('scale-') ? Number(setting.slice('scale-'.length)) : 0;
}

export function benchPolicySet(o: BenchPolicyOptions): PolicySetSpec {
  const client: ModelPod = {
    namespace: benchNamespace,
    name: 'client',
    id: `${benchNamespace}/client`,
    labels: { app: 'client' },
    ports: [],
  };
  const server: ModelPod = {
    namespace: benchNamespace,
    name: 'server',
    id: `${benchNamespace}/server`,
    labels: { app: 'server' },
    ports: [{ name: 'bench', port: o.serverPort, protocol: 'TCP' }],
  };
  const policies: NetworkPolicy[] = [
    policy('default-deny', {
      podSelector: emptySelector,
      policyTypes: { ingress: true, egress: true },
      ingress: [],
      egress: [],
    }),
  ];
  const unrelated = scaleRuleCount(o.setting);
  if (unrelated > 0) {
    const rules: PolicyRule[] = [];
    for (let i = 0; i < unrelated; i++) {
      rules.push({
        ports: [{ protocol: 'TCP', port: o.serverPort }],
        peers: [{ kind: 'ipBlock', ipBlock: { cidr: unrelatedCidr(i), except: [] } }],
      });
    }
    policies.push(
      policy(`server-unrelated-${unrelated}`, {
        podSelector: selector('server'),
        policyTypes: { ingress: true, egress: false },
        ingress: rules,
        egress: [],
      }),
    );
  }
  policies.push(
    policy('client-to-server', {
      podSelector: selector('client'),
      policyTypes: { ingress: false, egress: true },
      ingress: [],
      egress: [{ ports: [], peers: [{ kind: 'selector', podSelector: selector('server') }] }],
    }),
    policy('server-from-client', {
      podSelector: selector('server'),
      policyTypes: { ingress: true, egress: false },
      ingress: [{ ports: [], peers: [{ kind: 'selector', podSelector: selector('client') }] }],
      egress: [],
    }),
  );
  return {
    enforcer: o.enforcer,
    label: o.setting,
    namespaces: [{ name: benchNamespace, labels: { [namespaceNameLabel]: benchNamespace } }],
    pods: [
      { pod: o.client, model: client },
      { pod: o.server, model: server },
    ],
    policies,
  };
}
