/**
 * External programs netbench runs, and the Debian package that provides each, so a missing
 * binary becomes "install iperf3 (Debian: iperf3)" instead of ENOENT.
 */
export const toolPackages = {
  ip: 'iproute2',
  ss: 'iproute2',
  tc: 'iproute2',
  bridge: 'iproute2',
  ping: 'iputils-ping',
  sysctl: 'procps',
  iptables: 'iptables',
  'iptables-restore': 'iptables',
  'iptables-save': 'iptables',
  'iptables-legacy': 'iptables',
  'iptables-legacy-restore': 'iptables',
  'iptables-legacy-save': 'iptables',
  nft: 'nftables',
  ipset: 'ipset',
  conntrack: 'conntrack',
  bird: 'bird2',
  birdc: 'bird2',
  clang: 'clang',
  bpftool: 'bpftool',
  iperf3: 'iperf3',
  sockperf: 'sockperf',
  wrk: 'wrk',
  haproxy: 'haproxy',
  openssl: 'openssl',
  socat: 'socat',
  taskset: 'util-linux',
  mount: 'mount',
  umount: 'mount',
  unshare: 'util-linux',
  chromium: 'chromium',
  tcpdump: 'tcpdump',
  prometheus: 'prometheus',
  promtool: 'prometheus',
  'prometheus-pushgateway': 'prometheus-pushgateway',
} as const satisfies Record<string, string>;

export type ToolName = keyof typeof toolPackages;

/** The Debian package that provides `tool`, or undefined when netbench does not know it. */
export function packageForTool(tool: string): string | undefined {
  return (toolPackages as Record<string, string>)[tool];
}
