/**
 * Runs the BGP control plane of the routed-bgp datapath: a BIRD 2 daemon per node namespace,
 * then waits until every session is Established and every peer's pod CIDR is installed in every
 * kernel. Routes are only ever learned here; nothing writes them by hand.
 */
import type { BgpFacts, BgpSessionFact } from '../../../results/facts.js';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../../core/clock.js';
import { NetbenchError } from '../../../core/errors.js';
import type { RunningProcess } from '../../../core/process-runner.js';
import type { Milliseconds } from '../../../core/units.js';
import type { LabLayout, LabNode } from '../addressing.js';
import type { LabShell } from '../lab-shell.js';
import { watchProcess, type ProcessWatch } from '../process-output.js';
import { bgpProtocolName, birdConfig, labAsn, parseBirdProtocols } from './bird-config.js';

export interface BgpMeshOptions {
  shell: LabShell;
  clock: Clock;
  layout: LabLayout;
  /** Directory for configs, control sockets and logs (under the run's state directory). */
  dir: string;
  podInterface: string;
  startDaemon(ns: string, name: string, argv: readonly string[]): Promise<RunningProcess>;
  /** Give up waiting for convergence after this long. @default 30000 */
  timeoutMs?: Milliseconds;
  signal?: AbortSignal;
}

interface NodeDaemon {
  node: LabNode;
  ctl: string;
  log: string;
  watch: ProcessWatch;
}

export async function startBgpMesh(o: BgpMeshOptions): Promise<BgpFacts> {
  const version = await o.shell.runner.run({ argv: ['bird', '--version'], timeoutMs: 5000 });
  const daemonVersion = (version.stderr || version.stdout)
    .trim()
    .replace(/^BIRD version /, 'BIRD ');
  await mkdir(o.dir, { recursive: true });
  const started = o.clock.monotonicMs();
  const daemons: NodeDaemon[] = [];
  for (const node of o.layout.nodes) {
    const base = join(o.dir, node.name);
    const conf = `${base}.conf`;
    const ctl = `${base}.ctl`;
    const log = `${base}.log`;
    const peers = o.layout.nodes.filter((n) => n !== node);
    await writeFile(conf, birdConfig({ node, peers, podInterface: o.podInterface, logFile: log }));
    await rm(ctl, { force: true });
    const p = await o.startDaemon(node.ns, 'bird', ['bird', '-f', '-c', conf, '-s', ctl]);
    daemons.push({ node, ctl, log, watch: watchProcess(p) });
  }

  const timeoutMs = o.timeoutMs ?? 30_000;
  let last: { sessions: BgpSessionFact[]; missing: string[] };
  for (;;) {
    o.signal?.throwIfAborted();
    for (const d of daemons) {
      const exited = d.watch.exit();
      if (exited !== undefined) {
        throw new NetbenchError(
          'NB_LAB_BGP_FAILED',
          `BIRD on ${d.node.name} exited (code ${exited.code ?? exited.signal}): ${d.watch.tail().trim().split('\n').slice(-3).join(' | ') || (await logTail(d.log))}`,
          {
            hint: `its configuration is ${d.ctl.replace(/\.ctl$/, '.conf')}; run \`bird -p -c <file>\` to check it`,
          },
        );
      }
    }
    last = await observe(o, daemons);
    const established = last.sessions.every((s) => s.state === 'Established');
    if (last.sessions.length > 0 && established && last.missing.length === 0) break;
    if (o.clock.monotonicMs() - started > timeoutMs) {
      const states = last.sessions.map((s) => `${s.node}→${s.peer}: ${s.state}`).join(', ');
      throw new NetbenchError(
        'NB_LAB_BGP_FAILED',
        `BGP did not converge within ${timeoutMs} ms (${states || 'no sessions'}${last.missing.length > 0 ? `; routes not installed: ${last.missing.join(', ')}` : ''})`,
        {
          hint: `BIRD's logs are in ${o.dir}; last lines on ${daemons[0]?.node.name ?? 'node1'}: ${await logTail(daemons[0]?.log ?? '')}`,
        },
      );
    }
    await o.clock.sleep(100);
  }
  const convergenceMs = o.clock.monotonicMs() - started;
  let routesLearned = 0;
  for (const d of daemons) routesLearned += (await birdRoutes(o.shell, d.node)).length;
  return {
    daemon: daemonVersion,
    asn: labAsn,
    sessions: last.sessions,
    routesLearned,
    convergenceMs,
  };
}

async function observe(
  o: BgpMeshOptions,
  daemons: NodeDaemon[],
): Promise<{ sessions: BgpSessionFact[]; missing: string[] }> {
  const sessions: BgpSessionFact[] = [];
  const missing: string[] = [];
  for (const d of daemons) {
    const out = await o.shell.runner.run({
      argv: ['birdc', '-s', d.ctl, 'show', 'protocols', 'all'],
      allowFailure: true,
      timeoutMs: 5000,
    });
    const parsed = out.exitCode === 0 ? parseBirdProtocols(out.stdout) : [];
    for (const peer of o.layout.nodes.filter((n) => n !== d.node)) {
      const s = parsed.find((x) => x.protocol === bgpProtocolName(peer));
      sessions.push({ node: d.node.name, peer: peer.name, state: s?.bgpState ?? 'not running' });
    }
    const installed = new Set((await birdRoutes(o.shell, d.node)).map((r) => r.dst));
    for (const peer of o.layout.nodes.filter((n) => n !== d.node)) {
      if (!installed.has(peer.podCidr)) missing.push(`${peer.podCidr} on ${d.node.name}`);
    }
  }
  return { sessions, missing };
}

async function birdRoutes(shell: LabShell, node: LabNode): Promise<{ dst: string }[]> {
  const out = await shell.ip(node.ns, ['-j', 'route', 'show', 'proto', 'bird']);
  return JSON.parse(out.stdout.trim() || '[]') as { dst: string }[];
}

async function logTail(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim().split('\n').slice(-3).join(' | ') || '(empty log)';
  } catch {
    return '(no log)';
  }
}
