/**
 * kube-proxy's iptables mode, rendered for `iptables-restore --noflush` (pure). The layout is the
 * one kube-proxy builds in the nat table:
 *
 *   PREROUTING, OUTPUT → KUBE-SERVICES: one rule per Service port (-d ClusterIP -p tcp --dport),
 *     jumping to KUBE-SVC-<hash>; a last rule sends local destinations to KUBE-NODEPORTS.
 *   KUBE-SVC-<hash>: marks traffic from outside the cluster CIDR for masquerade, then picks an
 *     endpoint with `-m statistic --mode random --probability 1/n, 1/(n-1), …` (the last rule
 *     takes the rest), jumping to KUBE-SEP-<hash>.
 *   KUBE-SEP-<hash>: marks hairpin traffic (the endpoint talking to itself) and DNATs to the
 *     endpoint's address and port.
 *   POSTROUTING → KUBE-POSTROUTING: masquerades what was marked 0x4000.
 *
 * plus KUBE-FORWARD in the filter table, which accepts marked and established forwarded traffic.
 * Above 1000 endpoints, comments are left off the KUBE-SVC/KUBE-SEP rules as kube-proxy's
 * large-cluster mode does. NAT rules are evaluated for the first packet of each connection only:
 * conntrack remembers the decision for the rest.
 */
import { clusterCidr } from '../../addressing.js';
import {
  chainHash,
  largeClusterEndpoints,
  servicePortName,
  type PlannedService,
  type ServiceEndpoint,
} from './service-plan.js';

const masqMark = '0x4000';

export function svcChain(s: PlannedService): string {
  return `KUBE-SVC-${chainHash(servicePortName(s) + s.protocol, 16)}`;
}

export function sepChain(s: PlannedService, e: ServiceEndpoint): string {
  return `KUBE-SEP-${chainHash(`${servicePortName(s)}${s.protocol}${e.ip}:${e.port}`, 16)}`;
}

/** iptables' probability argument: 1/n with 11 decimals, as kube-proxy prints it. */
function probability(n: number): string {
  return (1 / n).toFixed(11);
}

/** The input of `iptables-restore --noflush` for these Services. */
export function renderIptablesRestore(services: readonly PlannedService[]): string {
  const totalEndpoints = services.reduce((a, s) => a + s.endpoints.length, 0);
  const comments = totalEndpoints <= largeClusterEndpoints;
  const comment = (text: string): string => (comments ? ` -m comment --comment "${text}"` : '');

  const chains = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'];
  const fixedRules = [
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${masqMark}`,
    `-A KUBE-POSTROUTING -m mark ! --mark ${masqMark}/${masqMark} -j RETURN`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${masqMark}`,
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
  ];
  const serviceJumps: string[] = [];
  const rules: string[] = [];
  for (const s of services) {
    const name = servicePortName(s);
    const svc = svcChain(s);
    chains.push(svc);
    serviceJumps.push(
      `-A KUBE-SERVICES -d ${s.clusterIp}/32 -p ${s.protocol} -m comment --comment "${name} cluster IP" -m ${s.protocol} --dport ${s.port} -j ${svc}`,
    );
    rules.push(
      `-A ${svc} ! -s ${clusterCidr} -d ${s.clusterIp}/32 -p ${s.protocol}${comment(`${name} cluster IP`)} -m ${s.protocol} --dport ${s.port} -j KUBE-MARK-MASQ`,
    );
    s.endpoints.forEach((e, i) => {
      const sep = sepChain(s, e);
      const left = s.endpoints.length - i;
      const pick = left > 1 ? ` -m statistic --mode random --probability ${probability(left)}` : '';
      rules.push(`-A ${svc}${comment(`${name} -> ${e.ip}:${e.port}`)}${pick} -j ${sep}`);
    });
    for (const e of s.endpoints) {
      const sep = sepChain(s, e);
      chains.push(sep);
      rules.push(
        `-A ${sep} -s ${e.ip}/32${comment(name)} -j KUBE-MARK-MASQ`,
        `-A ${sep} -p ${s.protocol}${comment(name)} -m ${s.protocol} -j DNAT --to-destination ${e.ip}:${e.port}`,
      );
    }
  }
  serviceJumps.push(
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
  );
  return [
    '*nat',
    ...chains.map((c) => `:${c} - [0:0]`),
    ...fixedRules,
    ...serviceJumps,
    ...rules,
    'COMMIT',
    '*filter',
    ':KUBE-FORWARD - [0:0]',
    '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
    `-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${masqMark}/${masqMark} -j ACCEPT`,
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    'COMMIT',
    '',
  ].join('\n');
}

/** Rules in kube-proxy's chains (nat and filter), counted from `iptables-save` output. */
export function countIptablesRules(save: string): { rules: number; chains: number } {
  let rules = 0;
  let chains = 0;
  for (const line of save.split('\n')) {
    if (/^:KUBE-/.test(line)) chains += 1;
    else if (
      /^-A (KUBE-|PREROUTING .*KUBE-|OUTPUT .*KUBE-|POSTROUTING .*KUBE-|FORWARD .*KUBE-)/.test(line)
    )
      rules += 1;
  }
  return { rules, chains };
}
