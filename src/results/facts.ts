/**
 * What a deployed environment really was, recorded with every trial in results.json: the
 * datapath, and one optional section per feature (Services, NetworkPolicy, mesh). Each shape is
 * declared once, as a schema; the TypeScript types the platforms fill in are derived from it, so
 * what a platform reports and what results.json accepts cannot drift apart.
 */
import { z } from 'zod';
import {
  datapathNames,
  kubeProxyModes,
  mtlsModes,
  policyEnforcerNames,
} from '../spec/dimensions.js';

/** A route as the node's kernel has it, with where it came from. */
export const routeFactSchema = z.object({
  node: z.string(),
  destination: z.string(),
  via: z.string().optional(),
  device: z.string(),
  /**
   * static: configured by netbench; kernel: connected subnet; bgp: learned by the BGP daemon;
   * other values: the kernel's protocol name as read.
   */
  origin: z.string(),
  /** The kernel's `proto` of the route as read back (`static`, `kernel`, `bird`, …). */
  protocol: z.string().optional(),
});

/** One CNI-wired pod: what ADD returned, read from the plugin's result. */
export const cniPodFactSchema = z.object({
  pod: z.string(),
  node: z.string(),
  /** Address from the IPAM plugin's result. */
  ip: z.string(),
  /** Host-side interface the plugin created (in the node's namespace). */
  hostInterface: z.string(),
  /** Wall time of the whole ADD chain for this pod, ms. */
  addMs: z.number(),
  /** CHECK (with prevResult) passed after ADD. */
  checked: z.boolean(),
});

/** How the pods were wired by the real CNI reference plugins (ADD, then CHECK with prevResult). */
export const cniFactsSchema = z.object({
  cniVersion: z.string(),
  /** The plugin chain in order, e.g. ["bridge", "bandwidth", "loopback"]. */
  plugins: z.array(z.string()),
  ipam: z.string(),
  /** Directory the plugin binaries were run from. */
  binDir: z.string(),
  pods: z.array(cniPodFactSchema),
});

/** One BGP session as the daemon reported it once the lab was up. */
export const bgpSessionFactSchema = z.object({
  node: z.string(),
  peer: z.string(),
  /** BIRD's BGP state: Established when routes flow. */
  state: z.string(),
});

/** The BGP control plane of the routed-bgp datapath: sessions as BIRD reported them once converged. */
export const bgpFactsSchema = z.object({
  daemon: z.string(),
  asn: z.number(),
  sessions: z.array(bgpSessionFactSchema),
  /** Routes the kernels got from the daemon (proto bird), over all nodes. */
  routesLearned: z.number(),
  /** From starting the daemons until every session was Established and every route installed, ms. */
  convergenceMs: z.number(),
});

/** The eBPF programs of the ebpf datapath, as attached, and the probe proving they forwarded. */
export const ebpfFactsSchema = z.object({
  /** The compiled object the programs came from. */
  object: z.string(),
  attachments: z.array(z.object({ node: z.string(), device: z.string(), program: z.string() })),
  /** Pods in the endpoint maps, over all nodes. */
  endpoints: z.number(),
  /**
   * Counters read after a probe packet crossed the lab at setup: proof that the programs, not
   * the kernel's routing, forwarded it.
   */
  probe: z.object({
    redirectPeer: z.number(),
    redirectNeigh: z.number(),
    passedToStack: z.number(),
  }),
  loadMs: z.number(),
});

/** One port of a Service: clients connect to `port` on the ClusterIP, pods listen on `targetPort`. */
export const servicePortSchema = z.object({ port: z.number(), targetPort: z.number() });

/** Service programming on one node. */
export const serviceNodeFactSchema = z.object({
  node: z.string(),
  /** Wall time of the batch load (iptables-restore, nft -f, bpftool batch), ms. */
  programmingMs: z.number(),
  /** Rules read back from the kernel (iptables: rules in the KUBE chains; nftables: in the table). */
  rules: z.number(),
  /** Chains read back (iptables, nftables) or 0 (ebpf). */
  chains: z.number(),
  /** Verdict-map elements (nftables) or service map entries (ebpf); 0 for iptables. */
  mapElements: z.number(),
});

/** ClusterIP Services as programmed by a kube-proxy model, read back and timed per node. */
export const servicesFactsSchema = z.object({
  proxyMode: z.enum(kubeProxyModes),
  /** Tool and backend, e.g. "iptables v1.8.9 (nf_tables)". */
  backend: z.string(),
  /** Services programmed in total (the target, if any, plus the unrelated ones). */
  services: z.number(),
  endpoints: z.number(),
  target: z
    .object({
      name: z.string(),
      clusterIp: z.string(),
      ports: z.array(servicePortSchema),
      endpoints: z.array(z.string()),
    })
    .optional(),
  nodes: z.array(serviceNodeFactSchema),
});

/** NetworkPolicy enforcement programmed for the trial (absent: policy off). */
export const policyFactsSchema = z.object({
  enforcer: z.enum(policyEnforcerNames),
  /** What the set is: `default-deny-allow`, `scale-1000`, `verify`. */
  label: z.string(),
  policies: z.number().int(),
  /** Allow entries compiled from the policies (an iptables rule or an nft set element each). */
  allowEntries: z.number().int(),
  /** Rules (iptables) or rules plus set elements (nftables) loaded, all nodes together. */
  programmedRules: z.number().int(),
  /** Wall time of loading the rules (iptables-restore / nft -f), all nodes together, ms. */
  programmingMs: z.number(),
  perNode: z.array(
    z.object({ node: z.string(), programmedRules: z.number().int(), programmingMs: z.number() }),
  ),
  /** The enforcer tool as it names itself, e.g. `iptables v1.8.9 (nf_tables)`. */
  tool: z.string(),
  /** True: established/related packets are accepted before any policy rule (as Calico does). */
  conntrackFastPath: z.boolean(),
  notes: z.array(z.string()),
});

/** Roles of the mesh's proxy daemons; also their daemon names for resource accounting. */
export const meshProxyRoles = ['sidecar', 'node-proxy', 'waypoint'] as const;

/** The service mesh as deployed: proxies, identities, how traffic reaches them. */
export const meshFactsSchema = z.object({
  mode: z.enum(['sidecar', 'node-proxy', 'node-proxy+waypoint']),
  /** The real-world mesh architecture this lab model stands for. */
  models: z.string(),
  /** What the model leaves out compared with the real product. */
  leavesOut: z.string(),
  mtls: z.enum(mtlsModes),
  /** TLS protocol between proxies; null with mTLS off. */
  tlsVersion: z.literal('TLSv1.3').nullable(),
  /** Worker threads per proxy. */
  concurrency: z.number().int(),
  /** The proxy program's version line, e.g. `HAProxy version 2.6.12-1+deb12u4 …`. */
  proxyVersion: z.string(),
  /** How application traffic reaches the proxies. */
  interception: z.string(),
  /** Proxies a request crosses from client to server: added latency / traversals = per hop. */
  proxyTraversals: z.number().int(),
  /** SPIFFE IDs of the workloads in the mesh. */
  identities: z.array(z.object({ pod: z.string(), spiffeId: z.string() })),
  proxies: z.array(
    z.object({
      role: z.enum(meshProxyRoles),
      /** The pod (sidecar, waypoint) or node (node-proxy) the proxy belongs to. */
      owner: z.string(),
      node: z.string(),
      /** L7 proxies parse HTTP; L4 proxies forward byte streams. */
      layer: z.enum(['L4', 'L7']),
      /** HAProxy stats socket, valid while the lab is up. */
      statsSocket: z.string(),
    }),
  ),
  /** Wall time to create certificates, proxies and rules, ms. */
  setupMs: z.number(),
});

/**
 * What the datapath really was (read back after setup), plus one optional section per feature
 * that applied: everything known about a deployed environment.
 */
export const datapathFactsSchema = z.object({
  datapath: z.enum(datapathNames),
  /** The real-world CNI this model stands for. */
  models: z.string(),
  /** What the model leaves out compared with that CNI. */
  leavesOut: z.string().optional(),
  /** MTU of the interface the client sends on towards the server, read back. */
  podMtu: z.number(),
  /** MTU of the underlay between nodes. */
  underlayMtu: z.number().optional(),
  encapsulation: z.enum(['none', 'vxlan']),
  routes: z.array(routeFactSchema),
  /** Wall time to build nodes, pods and datapath, ms. */
  setupMs: z.number(),
  /** Pod wiring by the CNI reference plugins (absent for host network). */
  cni: cniFactsSchema.optional(),
  bgp: bgpFactsSchema.optional(),
  ebpf: ebpfFactsSchema.optional(),
  services: servicesFactsSchema.optional(),
  policy: policyFactsSchema.optional(),
  /** The service mesh, when the trial had one. */
  mesh: meshFactsSchema.optional(),
});

export type RouteFact = z.infer<typeof routeFactSchema>;
export type CniPodFact = z.infer<typeof cniPodFactSchema>;
export type CniFacts = z.infer<typeof cniFactsSchema>;
export type BgpSessionFact = z.infer<typeof bgpSessionFactSchema>;
export type BgpFacts = z.infer<typeof bgpFactsSchema>;
export type EbpfFacts = z.infer<typeof ebpfFactsSchema>;
export type ServicePort = z.infer<typeof servicePortSchema>;
export type ServiceNodeFact = z.infer<typeof serviceNodeFactSchema>;
export type ServicesFacts = z.infer<typeof servicesFactsSchema>;
export type PolicyFacts = z.infer<typeof policyFactsSchema>;
export type MeshProxyRole = (typeof meshProxyRoles)[number];
export type MeshFacts = z.infer<typeof meshFactsSchema>;
/** Everything known about a deployed environment (datapath plus feature sections). */
export type EnvironmentFacts = z.infer<typeof datapathFactsSchema>;
/** The datapath part of the facts, before any feature added its section. */
export type DatapathFacts = Omit<EnvironmentFacts, 'services' | 'policy' | 'mesh'>;
