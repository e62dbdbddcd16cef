/**
 * The NetworkPolicies of a graph trial (pure): a namespace-wide default deny both ways, then
 * exactly the graph's edges: the client may reach the entry, each service may reach the services
 * it calls, and each called service admits exactly its callers, on the graph port over TCP. Every
 * pod, replicas included, is bound to a model pod labelled `app: <service>`.
 */
import { benchNamespace, policy, selector } from '../../policy/bench-policies.js';
import { emptySelector } from '../../policy/label-selector.js';
import { namespaceNameLabel, type ModelPod } from '../../policy/model.js';
import type { NetworkPolicy, PolicyRule } from '../../policy/network-policy.js';
import type { PolicySetSpec } from '../../policy/policy-set.js';
import type { PolicyEnforcerName } from '../../spec/dimensions.js';
import { podsOf, type GraphSpec } from '../../spec/graph-spec.js';

/** The port every graph service listens on. */
export const graphServicePort = 8080;
/** The load generator's pod. */
export const graphClientPod = 'client';

const app = selector;
const graphPolicy = (
  name: string,
  spec: Pick<NetworkPolicy, 'podSelector' | 'policyTypes' | 'ingress' | 'egress'>,
): NetworkPolicy => policy(name, spec, 'netbench graph');

const toApps = (names: readonly string[]): PolicyRule => ({
  ports: [{ protocol: 'TCP', port: graphServicePort }],
  peers: names.map((n) => ({ kind: 'selector', podSelector: app(n) })),
});

/** Who calls each service: the client for the entry, callers for the rest. */
export function callersOf(g: GraphSpec): Map<string, string[]> {
  const callers = new Map<string, string[]>(g.services.map((s) => [s.name, []]));
  callers.get(g.entry)?.push(graphClientPod);
  for (const s of g.services) for (const c of s.calls) callers.get(c)?.push(s.name);
  return callers;
}

export function graphPolicySet(g: GraphSpec, enforcer: PolicyEnforcerName): PolicySetSpec {
  const model = (pod: string, service: string, serves: boolean): ModelPod => ({
    namespace: benchNamespace,
    name: pod,
    id: `${benchNamespace}/${pod}`,
    labels: { app: service },
    ports: serves ? [{ name: 'graph', port: graphServicePort, protocol: 'TCP' }] : [],
  });
  const pods = [
    { pod: graphClientPod, model: model(graphClientPod, graphClientPod, false) },
    ...g.services.flatMap((s) =>
      podsOf(s).map((pod) => ({ pod, model: model(pod, s.name, true) })),
    ),
  ];
  const policies: NetworkPolicy[] = [
    graphPolicy('default-deny', {
      podSelector: emptySelector,
      policyTypes: { ingress: true, egress: true },
      ingress: [],
      egress: [],
    }),
    graphPolicy(`${graphClientPod}-egress`, {
      podSelector: app(graphClientPod),
      policyTypes: { ingress: false, egress: true },
      ingress: [],
      egress: [toApps([g.entry])],
    }),
  ];
  for (const s of g.services) {
    if (s.calls.length > 0) {
      policies.push(
        graphPolicy(`${s.name}-egress`, {
          podSelector: app(s.name),
          policyTypes: { ingress: false, egress: true },
          ingress: [],
          egress: [toApps(s.calls)],
        }),
      );
    }
  }
  for (const [service, from] of callersOf(g)) {
    if (from.length === 0) continue;
    policies.push(
      graphPolicy(`${service}-ingress`, {
        podSelector: app(service),
        policyTypes: { ingress: true, egress: false },
        ingress: [
          { ...toApps([]), peers: from.map((n) => ({ kind: 'selector', podSelector: app(n) })) },
        ],
        egress: [],
      }),
    );
  }
  return {
    enforcer,
    label: 'graph-edges',
    namespaces: [{ name: benchNamespace, labels: { [namespaceNameLabel]: benchNamespace } }],
    pods,
    policies,
  };
}
