import { describe, expect, it } from 'vitest';
import {
  countIptablesRules,
  renderIptablesRestore,
  sepChain,
  svcChain,
} from '../../../src/platform/lab/features/services/iptables-rules.js';
import {
  countNftObjects,
  renderNftScript,
  serviceChain,
} from '../../../src/platform/lab/features/services/nftables-rules.js';
import {
  chainHash,
  planServices,
  targetClusterIp,
  unrelatedClusterIp,
} from '../../../src/platform/lab/features/services/service-plan.js';

const podIps: Record<string, string> = { server: '10.244.1.11', server2: '10.244.1.12' };
const plan = (unrelated: number) =>
  planServices(
    {
      proxyMode: 'iptables',
      unrelated,
      target: {
        name: 'server',
        ports: [{ port: 80, targetPort: 8080 }],
        endpoints: ['server', 'server2'],
      },
    },
    (pod) => podIps[pod]!,
  );

describe('the Services a trial programs', () => {
  it('puts the target last, behind every unrelated Service, with the pods as endpoints', () => {
    const services = plan(3);
    expect(services.map((s) => s.name)).toEqual(['svc-0', 'svc-1', 'svc-2', 'server']);
    expect(services.at(-1)).toMatchObject({
      clusterIp: targetClusterIp,
      port: 80,
      endpoints: [
        { ip: '10.244.1.11', port: 8080 },
        { ip: '10.244.1.12', port: 8080 },
      ],
    });
  });

  it('gives 100 000 unrelated Services distinct ClusterIPs inside 10.96.0.0/12, never .0 or .255', () => {
    const ips = Array.from({ length: 100_000 }, (_, i) => unrelatedClusterIp(i));
    expect(new Set(ips).size).toBe(100_000);
    for (const ip of [ips[0]!, ips[253]!, ips[254]!, ips.at(-1)!]) {
      const [a, b, , d] = ip.split('.').map(Number);
      expect(a).toBe(10);
      expect(b! >= 96 && b! <= 111).toBe(true);
      expect(d! >= 1 && d! <= 254).toBe(true);
    }
    expect(ips.includes(targetClusterIp)).toBe(false);
  });

  it('hashes chain names like kube-proxy: base32 of sha256, stable and within the 28-character limit', () => {
    expect(chainHash('default/server:httptcp', 16)).toMatch(/^[A-Z2-7]{16}$/);
    expect(chainHash('x', 16)).toBe(chainHash('x', 16));
    const [s] = plan(0);
    expect(svcChain(s!).length).toBeLessThanOrEqual(28);
    expect(sepChain(s!, s!.endpoints[0]!).length).toBeLessThanOrEqual(28);
    expect(sepChain(s!, s!.endpoints[0]!)).not.toBe(sepChain(s!, s!.endpoints[1]!));
  });
});

describe("kube-proxy's iptables mode", () => {
  const restore = renderIptablesRestore(plan(2));
  const lines = restore.split('\n');

  it('hooks KUBE-SERVICES from PREROUTING and OUTPUT and jumps to one KUBE-SVC chain per Service', () => {
    expect(lines).toContain(
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    );
    const jumps = lines.filter((l) => l.startsWith('-A KUBE-SERVICES -d '));
    expect(jumps).toHaveLength(3);
    expect(jumps.at(-1)).toContain('-d 10.96.0.10/32 -p tcp');
    expect(jumps.at(-1)).toContain('--dport 80 -j KUBE-SVC-');
  });

  it('keeps the NodePort rule last in KUBE-SERVICES', () => {
    const chain = lines.filter((l) => l.startsWith('-A KUBE-SERVICES '));
    expect(chain.at(-1)).toContain('--dst-type LOCAL -j KUBE-NODEPORTS');
  });

  it('picks endpoints with the statistic match: 1/2, then the rest, and DNATs per endpoint', () => {
    const [target] = plan(0);
    const svc = svcChain(target!);
    const picks = lines.filter((l) => l.startsWith(`-A ${svc} `) && l.includes('-j KUBE-SEP-'));
    expect(picks).toHaveLength(2);
    expect(picks[0]).toContain('-m statistic --mode random --probability 0.50000000000');
    expect(picks[1]).not.toContain('statistic');
    const sep = sepChain(target!, target!.endpoints[1]!);
    expect(lines).toContain(
      `-A ${sep} -p tcp -m comment --comment "default/server:http" -m tcp -j DNAT --to-destination 10.244.1.12:8080`,
    );
  });

  it('leaves comments off KUBE-SVC and KUBE-SEP rules above 1000 endpoints, as kube-proxy does', () => {
    const big = renderIptablesRestore(plan(600)).split('\n');
    expect(big.filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes('--comment'))).toEqual([]);
    expect(
      big.filter((l) => l.startsWith('-A KUBE-SERVICES -d ') && l.includes('cluster IP')),
    ).toHaveLength(601);
  });

  it('counts rules and chains of kube-proxy in iptables-save output', () => {
    const save = [
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-SVC-A - [0:0]',
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -j KUBE-SVC-A',
      '-A POSTROUTING -j MASQUERADE',
      'COMMIT',
    ].join('\n');
    expect(countIptablesRules(save)).toEqual({ rules: 2, chains: 2 });
  });
});

describe("kube-proxy's nftables mode", () => {
  const script = renderNftScript(plan(2));

  it('looks every Service up in one verdict map keyed by address, protocol and port', () => {
    expect(script).toContain(
      'add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips',
    );
    const [target] = plan(0);
    expect(script).toContain(`10.96.0.10 . tcp . 80 : goto ${serviceChain(target!)}`);
    expect(serviceChain(target!)).toMatch(/^service-[A-Z2-7]{8}-default\/server\/tcp\/http$/);
  });

  it('picks an endpoint with numgen random and DNATs in the endpoint chain', () => {
    expect(script).toMatch(
      /numgen random mod 2 vmap \{ 0 : goto endpoint-\S+ , 1 : goto endpoint-\S+ \}/,
    );
    expect(script).toContain('meta l4proto tcp dnat to 10.244.1.12:8080');
  });

  it('counts rules, chains and map elements in `nft -j list table` output', () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: {} },
        { table: {} },
        { chain: { name: 'services' } },
        { rule: { chain: 'services' } },
        { map: { name: 'service-ips', elem: [[1], [2], [3]] } },
      ],
    });
    expect(countNftObjects(json)).toEqual({ rules: 1, chains: 1, mapElements: 3 });
  });
});
