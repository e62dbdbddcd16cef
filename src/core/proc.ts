/**
 * Parsers for the /proc files resource accounting reads (pure): a process's CPU and start time
 * (/proc/<pid>/stat), its resident memory (/proc/<pid>/statm), and a network namespace's
 * protocol counters (/proc/net/snmp).
 */

/**
 * Clock ticks per second of /proc/<pid>/stat. USER_HZ is part of the kernel ABI and 100 on every
 * Linux architecture netbench runs on; `getconf CLK_TCK` would need a child process per read.
 */
export const clockTicksPerSecond = 100;

export interface ProcStat {
  pid: number;
  /** The kernel's short name of the process (`comm`, at most 15 characters). */
  comm: string;
  ppid: number;
  /** User + system CPU of all threads, in clock ticks. */
  cpuTicks: number;
  /** Start time in clock ticks since boot; with the pid it identifies a process. */
  startTicks: number;
}

/** Parses /proc/<pid>/stat; undefined when the text is not one (a process that just exited). */
export function parseProcStat(text: string): ProcStat | undefined {
  // comm may hold spaces and parentheses: it runs from the first "(" to the last ")".
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // fields[0] is field 3 (state) of proc(5): utime is field 14, stime 15, starttime 22.
  const num = (field: number): number => Number(fields[field - 3]);
  const pid = Number(text.slice(0, open).trim());
  const stat = {
    pid,
    comm: text.slice(open + 1, close),
    ppid: num(4),
    cpuTicks: num(14) + num(15),
    startTicks: num(22),
  };
  return Number.isFinite(stat.cpuTicks) && Number.isFinite(stat.startTicks) && Number.isInteger(pid)
    ? stat
    : undefined;
}

/**
 * Machine-wide CPU time from the `cpu` line of /proc/stat, all CPUs together, in clock ticks:
 * `interrupt` is irq + softirq (packet processing of veth, bridge and VXLAN runs there and is
 * charged to no process, so per-process CPU alone misses a datapath's cost); `steal` is time the
 * hypervisor ran something else while this VM had work (a noisy neighbour's share).
 */
export function parseProcStatMachineTicks(
  text: string,
): { interrupt: number; steal: number } | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  const f = line.trim().split(/\s+/).map(Number);
  // cpu user nice system idle iowait irq softirq steal …
  const [irq, softirq, steal] = [f[6], f[7], f[8] ?? 0];
  if (irq === undefined || softirq === undefined) return undefined;
  return { interrupt: irq + softirq, steal: Number.isFinite(steal) ? steal : 0 };
}

/** Resident pages from /proc/<pid>/statm (its second field). */
export function parseStatmResidentPages(text: string): number | undefined {
  const resident = Number(text.trim().split(/\s+/)[1]);
  return Number.isFinite(resident) ? resident : undefined;
}

/**
 * /proc/net/snmp as `{ Udp: { RcvbufErrors: 0, … }, Tcp: { … }, … }`: each protocol is a header
 * line of names followed by a line of values with the same prefix.
 */
export function parseNetSnmp(text: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const lines = text.split('\n').filter((l) => l.includes(':'));
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [proto, names] = splitOnce(lines[i]!);
    const [proto2, values] = splitOnce(lines[i + 1]!);
    if (proto !== proto2) continue;
    const keys = names.trim().split(/\s+/);
    const nums = values.trim().split(/\s+/).map(Number);
    const entry: Record<string, number> = {};
    keys.forEach((k, j) => {
      const v = nums[j];
      if (v !== undefined && Number.isFinite(v)) entry[k] = v;
    });
    out[proto] = entry;
  }
  return out;
}

function splitOnce(line: string): [string, string] {
  const i = line.indexOf(':');
  return [line.slice(0, i), line.slice(i + 1)];
}

/** Counter `key` of `proto` in `after` minus `before` (0 when either lacks it). */
export function snmpDelta(
  before: Record<string, Record<string, number>>,
  after: Record<string, Record<string, number>>,
  proto: string,
  key: string,
): number {
  const a = after[proto]?.[key];
  const b = before[proto]?.[key];
  return a === undefined || b === undefined ? 0 : Math.max(0, a - b);
}
