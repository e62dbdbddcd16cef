/**
 * Resource readings of a lab environment: every process whose network namespace is one of the
 * environment's pod or node namespaces, found by scanning /proc (the same test `ip netns pids`
 * makes, without a child process per namespace per reading). Pod processes are grouped by pod,
 * except a daemon started in the pod (a sidecar proxy), which is its own group `<pod>/<daemon>`
 * so a mesh's cost is not hidden in the application's; node-namespace processes are grouped by
 * the daemon that started them (BIRD, node proxies), their children included.
 */
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import type { Clock } from '../../core/clock.js';
import {
  clockTicksPerSecond,
  parseProcStat,
  parseProcStatMachineTicks,
  parseStatmResidentPages,
  type ProcStat,
} from '../../core/proc.js';
import {
  hypervisorStealGroup,
  type ProcessReading,
  type ResourceGroupReading,
  type ResourceReading,
} from '../platform.js';
import type { LabLayout } from './addressing.js';
import type { LabDaemon } from './features/feature.js';

const pageBytes = 4096;

interface Owner {
  scope: 'pod' | 'node';
  name: string;
  node: string;
}

interface Seen {
  stat: ProcStat;
  ns: string;
  reading: ProcessReading;
}

export function createLabResourceReader(
  layout: LabLayout,
  daemons: readonly LabDaemon[],
  clock: Clock,
  netnsDir = '/run/netns',
): () => Promise<ResourceReading> {
  let inodes: Map<string, string> | undefined;
  const owners = new Map<string, Owner>([
    ...layout.pods.map((p): [string, Owner] => [
      p.ns,
      { scope: 'pod', name: p.name, node: p.node.name },
    ]),
    ...layout.nodes.map((n): [string, Owner] => [
      n.ns,
      { scope: 'node', name: 'node', node: n.name },
    ]),
  ]);

  const namespaceInodes = async (): Promise<Map<string, string>> => {
    if (inodes !== undefined) return inodes;
    const map = new Map<string, string>();
    for (const ns of owners.keys()) {
      const s = await stat(`${netnsDir}/${ns}`, { bigint: true }).catch(() => undefined);
      if (s !== undefined) map.set(`net:[${s.ino}]`, ns);
    }
    inodes = map;
    return map;
  };

  return async () => {
    const byInode = await namespaceInodes();
    const entries = await readdir('/proc').catch(() => [] as string[]);
    const seen: Seen[] = [];
    await Promise.all(
      entries
        .filter((e) => /^\d+$/.test(e))
        .map(async (pid) => {
          const link = await readlink(`/proc/${pid}/ns/net`).catch(() => undefined);
          const ns = link === undefined ? undefined : byInode.get(link);
          if (ns === undefined) return;
          const [statText, statmText, cmdline] = await Promise.all([
            readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''),
            readFile(`/proc/${pid}/statm`, 'utf8').catch(() => ''),
            readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''),
          ]);
          const s = parseProcStat(statText);
          const pages = parseStatmResidentPages(statmText);
          if (s === undefined || pages === undefined) return;
          seen.push({
            stat: s,
            ns,
            reading: {
              pid: s.pid,
              startTicks: s.startTicks,
              command: commandOf(cmdline, s.comm),
              cpuSeconds: s.cpuTicks / clockTicksPerSecond,
              rssBytes: pages * pageBytes,
            },
          });
        }),
    );
    const groups = group(seen, owners, daemons);
    const machine = parseProcStatMachineTicks(await readFile('/proc/stat', 'utf8').catch(() => ''));
    if (machine !== undefined) {
      // Every lab node shares this kernel: its interrupt/softirq time is the datapath's CPU, of
      // the whole machine (other work on it included).
      groups.push(machineGroup('kernel-softirq', 'kernel', machine.interrupt));
      // Time the hypervisor gave to other guests while this one had work: not a cost of the
      // datapath but a reason its figures may not be (see workload/contention.ts).
      groups.push(machineGroup(hypervisorStealGroup, 'steal', machine.steal));
    }
    return { atMs: clock.monotonicMs(), groups };
  };
}

function machineGroup(name: string, role: string, ticks: number): ResourceGroupReading {
  return {
    scope: 'node',
    name,
    node: 'host',
    role,
    cpuSeconds: ticks / clockTicksPerSecond,
    rssBytes: 0,
  };
}

function group(
  seen: readonly Seen[],
  owners: ReadonlyMap<string, Owner>,
  daemons: readonly LabDaemon[],
): ResourceGroupReading[] {
  const byPid = new Map(seen.map((s) => [s.stat.pid, s]));
  const daemonOf = (s: Seen): string => {
    // The daemon itself, or the nearest ancestor that is one (e.g. a proxy's workers).
    for (let cur: Seen | undefined = s, hops = 0; cur !== undefined && hops < 16; hops++) {
      const d = daemons.find((x) => x.process.pid === cur!.stat.pid && x.ns === s.ns);
      if (d !== undefined) return d.name;
      cur = byPid.get(cur.stat.ppid);
    }
    return 'other';
  };
  const groups = new Map<string, ResourceGroupReading>();
  // Every pod is listed, also when nothing runs in it at this moment.
  for (const owner of owners.values()) {
    if (owner.scope !== 'pod') continue;
    groups.set(`pod/${owner.node}/${owner.name}`, {
      scope: 'pod',
      name: owner.name,
      node: owner.node,
      role: owner.name,
      cpuSeconds: 0,
      rssBytes: 0,
      processes: [],
    });
  }
  for (const s of [...seen].sort((a, b) => a.stat.pid - b.stat.pid)) {
    const owner = owners.get(s.ns);
    if (owner === undefined) continue;
    const daemon = daemonOf(s);
    const podDaemon = owner.scope === 'pod' && daemon !== 'other' && daemon !== owner.name;
    const name =
      owner.scope === 'node' ? daemon : podDaemon ? `${owner.name}/${daemon}` : owner.name;
    const key = `${owner.scope}/${owner.node}/${name}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = {
        scope: owner.scope,
        name,
        node: owner.node,
        // A daemon's role is its name (bird, node-proxy, sidecar); other node processes: node.
        role:
          owner.scope === 'node'
            ? daemon === 'other'
              ? 'node'
              : daemon
            : podDaemon
              ? daemon
              : owner.name,
        cpuSeconds: 0,
        rssBytes: 0,
        processes: [],
      };
      groups.set(key, g);
    }
    g.cpuSeconds += s.reading.cpuSeconds;
    g.rssBytes += s.reading.rssBytes;
    g.processes?.push(s.reading);
  }
  return [...groups.values()];
}

/** `node main.js agent load`, `sockperf server --tcp`: program and first arguments, short. */
function commandOf(cmdline: string, comm: string): string {
  const argv = cmdline.split('\0').filter((a) => a !== '');
  if (argv.length === 0) return comm;
  const base = (a: string): string => a.slice(a.lastIndexOf('/') + 1);
  const words = [base(argv[0]!), ...argv.slice(1, 4).map((a) => (a.startsWith('/') ? base(a) : a))];
  const text = words.join(' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
