/**
 * kube-proxy's nftables mode, rendered for `nft -f` (pure). kube-proxy owns one table, `ip
 * kube-proxy`; its `services` chain does a single verdict-map lookup keyed by
 * `ip daddr . meta l4proto . th dport` (map `service-ips`), so the cost of finding a Service does
 * not grow with their number. The map's verdict jumps to the Service's chain, which marks
 * out-of-cluster traffic for masquerade and picks an endpoint with `numgen random mod n vmap`;
 * endpoint chains DNAT. Chain names carry a hash and the readable service port name
 * (`service-<hash>-<ns>/<name>/<proto>/<port>`), as kube-proxy's do.
 */
import { clusterCidr } from '../../addressing.js';
import { chainHash, type PlannedService, type ServiceEndpoint } from './service-plan.js';

export const nftTable = 'kube-proxy';
const t = `ip ${nftTable}`;
const masqMark = '0x4000';
/** Elements per `add element` line (keeps lines short; one transaction regardless). */
const elementsPerLine = 500;

function portId(s: PlannedService): string {
  return `${s.namespace}/${s.name}/${s.protocol}/${s.portName}`;
}

export function serviceChain(s: PlannedService): string {
  return `service-${chainHash(portId(s), 8)}-${portId(s)}`;
}

export function endpointChain(s: PlannedService, e: ServiceEndpoint): string {
  const id = `${portId(s)}__${e.ip}/${e.port}`;
  return `endpoint-${chainHash(id, 8)}-${id}`;
}

/** The input of `nft -f -` for these Services (one atomic transaction). */
export function renderNftScript(services: readonly PlannedService[]): string {
  const lines = [
    `add table ${t} { comment "rules for kube-proxy" ; }`,
    `add chain ${t} mark-for-masquerade`,
    `add rule ${t} mark-for-masquerade mark set mark or ${masqMark}`,
    `add chain ${t} masquerading`,
    `add rule ${t} masquerading mark and ${masqMark} == 0 return`,
    `add rule ${t} masquerading mark set mark xor ${masqMark}`,
    `add rule ${t} masquerading masquerade fully-random`,
    `add map ${t} service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }`,
    `add chain ${t} services`,
    `add rule ${t} services ip daddr . meta l4proto . th dport vmap @service-ips`,
    `add chain ${t} nat-prerouting { type nat hook prerouting priority dstnat ; }`,
    `add rule ${t} nat-prerouting jump services`,
    `add chain ${t} nat-output { type nat hook output priority -100 ; }`,
    `add rule ${t} nat-output jump services`,
    `add chain ${t} nat-postrouting { type nat hook postrouting priority srcnat ; }`,
    `add rule ${t} nat-postrouting jump masquerading`,
  ];
  const elements: string[] = [];
  for (const s of services) {
    const svc = serviceChain(s);
    lines.push(
      `add chain ${t} ${svc}`,
      `add rule ${t} ${svc} ip daddr ${s.clusterIp} ${s.protocol} dport ${s.port} ip saddr != ${clusterCidr} jump mark-for-masquerade`,
    );
    const picks = s.endpoints.map((e, i) => `${i} : goto ${endpointChain(s, e)}`).join(' , ');
    for (const e of s.endpoints) {
      const ep = endpointChain(s, e);
      lines.push(
        `add chain ${t} ${ep}`,
        `add rule ${t} ${ep} ip saddr ${e.ip} jump mark-for-masquerade`,
        `add rule ${t} ${ep} meta l4proto ${s.protocol} dnat to ${e.ip}:${e.port}`,
      );
    }
    if (s.endpoints.length > 0) {
      lines.push(`add rule ${t} ${svc} numgen random mod ${s.endpoints.length} vmap { ${picks} }`);
    }
    elements.push(`${s.clusterIp} . ${s.protocol} . ${s.port} : goto ${svc}`);
  }
  for (let i = 0; i < elements.length; i += elementsPerLine) {
    lines.push(
      `add element ${t} service-ips { ${elements.slice(i, i + elementsPerLine).join(' , ')} }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

interface NftJsonObject {
  rule?: unknown;
  chain?: unknown;
  map?: { name: string; elem?: unknown[] };
}

/** Rules, chains and verdict-map elements in `nft -j list table ip kube-proxy` output. */
export function countNftObjects(json: string): {
  rules: number;
  chains: number;
  mapElements: number;
} {
  const parsed = JSON.parse(json) as { nftables?: NftJsonObject[] };
  let rules = 0;
  let chains = 0;
  let mapElements = 0;
  for (const o of parsed.nftables ?? []) {
    if (o.rule !== undefined) rules += 1;
    else if (o.chain !== undefined) chains += 1;
    else if (o.map !== undefined) mapElements += o.map.elem?.length ?? 0;
  }
  return { rules, chains, mapElements };
}
