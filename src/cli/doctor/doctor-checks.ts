/**
 * `netbench doctor`'s checks: per platform, datapath, workload and feature, what this machine
 * has (with versions) and what it lacks (with the command that installs it). Reads the machine
 * only through a `DoctorPort`.
 */
import { packageForTool } from '../../core/tools.js';
import type { DoctorPort } from './doctor-port.js';

/** One thing netbench may need, as found on this machine. */
export interface DoctorCheck {
  /** What it is: a tool (`iperf3`), a kernel feature (`vxlan`), `root`, `kubeconfig`. */
  name: string;
  kind: 'tool' | 'kernel' | 'access' | 'cluster';
  ok: boolean;
  /** Version or detail when found; why not, when missing. */
  detail: string;
  /** The command that installs or enables it, when missing. */
  fix?: string;
}

/** A group of checks, e.g. "lab platform" or "workload tcp-stream". */
export interface DoctorSection {
  title: string;
  /** What the section enables, in a few words. */
  purpose: string;
  checks: DoctorCheck[];
  /** Every check passed. */
  ready: boolean;
}

/** How a tool prints its version (the first non-empty line of stdout or stderr is kept). */
const versionArgs: Record<string, readonly string[]> = {
  ip: ['-V'],
  tc: ['-V'],
  haproxy: ['-v'],
  socat: ['-V'],
  openssl: ['version'],
  kubectl: ['version', '--client'],
  wrk: ['-v'],
  taskset: ['--version'],
};

/** Kernel features: the module that provides each and its build option. */
const kernelModules: Record<string, { module: string; option: string }> = {
  vxlan: { module: 'vxlan', option: 'CONFIG_VXLAN' },
  nftables: { module: 'nf_tables', option: 'CONFIG_NF_TABLES' },
  ipvs: { module: 'ip_vs', option: 'CONFIG_IP_VS' },
  netem: { module: 'sch_netem', option: 'CONFIG_NET_SCH_NETEM' },
  veth: { module: 'veth', option: 'CONFIG_VETH' },
  bridge: { module: 'bridge', option: 'CONFIG_BRIDGE' },
};

interface SectionSpec {
  title: string;
  purpose: string;
  tools?: readonly string[];
  kernel?: readonly (keyof typeof kernelModules)[];
  root?: boolean;
  bpf?: boolean;
}

/** What each platform, datapath, workload and feature needs. */
const sections: readonly SectionSpec[] = [
  {
    title: 'lab platform',
    purpose: 'netbench run / lab up on this machine',
    root: true,
    tools: ['ip', 'tc', 'sysctl', 'iptables', 'unshare', 'mount', 'taskset'],
    kernel: ['veth', 'bridge'],
  },
  { title: 'datapath vxlan', purpose: 'the Flannel-style overlay', kernel: ['vxlan'] },
  { title: 'datapath routed-bgp', purpose: 'routes learned over iBGP', tools: ['bird'] },
  {
    title: 'datapath ebpf',
    purpose: 'Cilium-style tc programs and kubeProxy ebpf',
    tools: ['clang', 'bpftool'],
    bpf: true,
  },
  {
    title: 'kubeProxy nftables, enforcer nftables',
    purpose: 'nftables rules',
    tools: ['nft'],
    kernel: ['nftables'],
  },
  {
    title: 'kubeProxy ipvs',
    purpose: 'IPVS Service tables (kube-proxy ipvs mode)',
    kernel: ['ipvs'],
  },
  {
    title: 'network emulation',
    purpose: 'delay and loss with tc netem',
    tools: ['tc'],
    kernel: ['netem'],
  },
  { title: 'workload http, tcp-crr', purpose: 'built into netbench', tools: [] },
  { title: 'workload tcp-rr', purpose: 'TCP ping-pong latency', tools: ['sockperf'] },
  {
    title: 'workload tcp-stream, udp-stream',
    purpose: 'throughput and UDP loss',
    tools: ['iperf3'],
  },
  { title: 'mesh', purpose: 'sidecar and node proxies with mTLS', tools: ['haproxy', 'openssl'] },
  {
    title: 'policy verify',
    purpose: 'probing NetworkPolicies in the lab',
    tools: ['iptables', 'nft', 'socat'],
  },
  { title: 'report charts', purpose: 'PNG charts and the browser test tier', tools: ['chromium'] },
];

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

function installFix(tool: string): string {
  const pkg = packageForTool(tool) ?? tool;
  return `apt-get install -y ${pkg}  (or: sudo sh scripts/bootstrap.sh)`;
}

/** Runs every tool's version command once, however many sections list it. */
function toolChecker(port: DoctorPort): (tool: string) => Promise<DoctorCheck> {
  const cache = new Map<string, Promise<DoctorCheck>>();
  return (tool) => {
    let check = cache.get(tool);
    if (check === undefined) {
      check = (async (): Promise<DoctorCheck> => {
        const r = await port.run([tool, ...(versionArgs[tool] ?? ['--version'])], 5000);
        if (r === undefined) {
          return {
            name: tool,
            kind: 'tool',
            ok: false,
            detail: 'not installed',
            fix: installFix(tool),
          };
        }
        const version = firstLine(r.stdout) || firstLine(r.stderr) || `exit ${r.exitCode}`;
        return { name: tool, kind: 'tool', ok: true, detail: version };
      })();
      cache.set(tool, check);
    }
    return check;
  };
}

/**
 * Loaded, built in, or loadable: /sys/module, the kernel's build configuration (built-in modules
 * without parameters never appear in /sys/module), then modules.builtin and modules.dep.
 */
async function kernelCheck(
  port: DoctorPort,
  feature: string,
  release: string | undefined,
  config: string | undefined,
): Promise<DoctorCheck> {
  const { module, option } = kernelModules[feature] ?? { module: feature, option: '' };
  if (await port.exists(`/sys/module/${module}`)) {
    return { name: feature, kind: 'kernel', ok: true, detail: `${module} loaded` };
  }
  const built = new RegExp(`^${option}=(y|m)$`, 'm').exec(config ?? '')?.[1];
  if (built === 'y') {
    return {
      name: feature,
      kind: 'kernel',
      ok: true,
      detail: `built into the kernel (${option}=y)`,
    };
  }
  const lists =
    release === undefined
      ? ''
      : `${(await port.readText(`/lib/modules/${release}/modules.builtin`)) ?? ''}\n${(await port.readText(`/lib/modules/${release}/modules.dep`)) ?? ''}`;
  const file = new RegExp(`/${module.replace(/_/g, '[_-]')}\\.ko`);
  if (file.test(lists) || built === 'm') {
    return {
      name: feature,
      kind: 'kernel',
      ok: true,
      detail: `${module} available (loads on demand)`,
    };
  }
  return {
    name: feature,
    kind: 'kernel',
    ok: false,
    detail: `not in this kernel${config === undefined ? '' : ` (${option} is not set)`}: no ${module} module${release === undefined ? '' : ` for ${release}`}`,
    fix: `modprobe ${module}  (if that fails: apt-get install -y linux-modules-extra-${release ?? '$(uname -r)'}, or a kernel built with it)`,
  };
}

async function bpfCheck(port: DoctorPort): Promise<DoctorCheck> {
  const mounts = (await port.readText('/proc/mounts')) ?? '';
  const mounted = /\sbpf\s/.test(mounts) || (await port.exists('/sys/fs/bpf'));
  return mounted
    ? { name: 'bpf', kind: 'kernel', ok: true, detail: 'bpffs at /sys/fs/bpf' }
    : {
        name: 'bpf',
        kind: 'kernel',
        ok: false,
        detail: 'no BPF filesystem',
        fix: 'mount -t bpf bpf /sys/fs/bpf',
      };
}

/** Every section's checks, in table order. */
export async function runDoctorChecks(port: DoctorPort): Promise<DoctorSection[]> {
  const release = firstLine((await port.readText('/proc/sys/kernel/osrelease')) ?? '') || undefined;
  const config = await port.kernelConfig(release);
  const tool = toolChecker(port);
  const out: DoctorSection[] = [];
  for (const spec of sections) {
    const checks: DoctorCheck[] = [];
    if (spec.root === true) {
      checks.push(
        port.isRoot
          ? { name: 'root', kind: 'access', ok: true, detail: 'running as root' }
          : {
              name: 'root',
              kind: 'access',
              ok: false,
              detail: 'not root: the lab creates namespaces and links',
              fix: 'sudo netbench …',
            },
      );
    }
    for (const t of spec.tools ?? []) checks.push(await tool(t));
    for (const k of spec.kernel ?? []) checks.push(await kernelCheck(port, k, release, config));
    if (spec.bpf === true) checks.push(await bpfCheck(port));
    out.push({
      title: spec.title,
      purpose: spec.purpose,
      checks,
      ready: checks.every((c) => c.ok),
    });
  }
  return out;
}
