/**
 * Transparent interception inside a meshed pod's network namespace, the istio-init model written
 * for nftables (pure: returns the `nft -f` script).
 *
 * - Outbound: every TCP connection the application opens (nat/output) is redirected to the
 *   proxy's outbound port; the application keeps talking to the real address and the proxy reads
 *   it back with SO_ORIGINAL_DST.
 * - Inbound: every TCP connection arriving from outside the pod (nat/prerouting) is redirected to
 *   the proxy's inbound port, except the proxy's own listener ports.
 * - The proxy's own connections are excluded by socket owner: uid 1337 (a sidecar drops to it,
 *   as istio-proxy runs as 1337) or gid 1337 (the node proxy keeps uid 0 because it switches
 *   network namespaces to open sockets inside pods, but runs with gid 1337).
 * - Loopback destinations are never redirected, so the proxy reaches the application on
 *   127.0.0.1 and the application's own local calls stay local.
 *
 * Rules carry counters, so `nft list table ip netbench_mesh` in the pod shows what was captured.
 * The table lives in the pod's namespace and disappears with it.
 */

export const meshTableName = 'netbench_mesh';

/** Owner id of the proxies' own traffic (Istio's istio-proxy uid/gid). */
export const proxyOwnerId = 1337;

/** Well-known proxy ports, as Istio uses them. */
export const meshPorts = {
  /** Outbound capture: the application's connections land here. */
  outbound: 15001,
  /** Inbound capture of plaintext connections from outside the pod. */
  inbound: 15006,
  /** Tunnel port (HBONE in Istio ambient): mTLS tunnels between node proxies and waypoints. */
  tunnel: 15008,
} as const;

export interface InterceptionOptions {
  /** Ports of the proxy itself that inbound capture must leave alone. */
  proxyPorts: readonly number[];
}

export function interceptionRules(o: InterceptionOptions): string {
  const own = [...new Set(o.proxyPorts)].sort((a, b) => a - b).join(', ');
  return [
    `table ip ${meshTableName} {`,
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    '    meta l4proto != tcp return',
    '    iifname "lo" return',
    `    tcp dport { ${own} } return`,
    `    meta l4proto tcp counter redirect to :${meshPorts.inbound}`,
    '  }',
    '  chain output {',
    '    type nat hook output priority -100; policy accept;',
    '    meta l4proto != tcp return',
    `    meta skuid ${proxyOwnerId} return`,
    `    meta skgid ${proxyOwnerId} return`,
    '    ip daddr 127.0.0.0/8 return',
    `    meta l4proto tcp counter redirect to :${meshPorts.outbound}`,
    '  }',
    '}',
    '',
  ].join('\n');
}
