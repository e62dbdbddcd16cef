/**
 * The embedded lab platform: nodes and pods are network namespaces on this machine, wired by the
 * datapath models in ./datapaths. Needs root (or a user namespace) and iproute2.
 */
import type { TopologySpec } from '../../topology/topology-spec.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { NetbenchError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ProcessRunner } from '../../core/process-runner.js';
import type { RunId } from '../../core/run-id.js';
import type { Environment, Platform } from '../platform.js';
import { requestedAddressProblem } from './addressing.js';
import type { LabCapabilities } from './datapaths/datapath.js';
import { labDatapaths } from './datapaths/index.js';
import { whyBpfUnavailable } from './ebpf/bpf-support.js';
import { createLabEnvironment } from './lab-environment.js';
import { labFeatures } from './features/index.js';
import { createLabShell } from './lab-shell.js';
import { stateDir, writeOwner } from './lab-state.js';
import { removeLabRun } from './leftovers.js';
import { isValidShortName, maxShortNameLength } from './names.js';

export interface LabPlatformOptions {
  runner: ProcessRunner;
  logger: Logger;
  runId: RunId;
  /** Recorded in the run's state so `lab status` can say what made it. */
  purpose: string;
  /** MTU of the underlay and of non-overlay pods. @default 1500 */
  mtu?: number;
  clock?: Clock;
  /** Keep the run's namespaces after close (for `lab up`). @default false */
  keep?: boolean;
  stateRoot?: string;
  /** Where the CNI reference plugins are. @default /usr/lib/cni */
  cniBinDir?: string;
  /** What this machine can do; probed when the platform is created unless given. */
  capabilities?: LabCapabilities;
}

export function createLabPlatform(options: LabPlatformOptions): Platform {
  const shell = createLabShell(options.runner);
  const clock = options.clock ?? systemClock;
  const mtu = options.mtu ?? 1500;
  let environments = 0;
  let ownerWritten = false;
  // Probed once here, so that `unsupported` (called while planning) stays pure.
  const capabilities: LabCapabilities = options.capabilities ?? {
    bpfUnavailable: whyBpfUnavailable(),
  };

  return {
    name: 'lab',
    async preflight() {
      if (typeof process.getuid === 'function' && process.getuid() !== 0) {
        throw new NetbenchError(
          'NB_LAB_NOT_ROOT',
          'the lab platform needs root to create network namespaces',
          {
            hint: 'run as root (sudo netbench …), or inside `unshare --user --map-root-user --net --mount`',
          },
        );
      }
      await options.runner.run({ argv: ['ip', '-V'] });
    },
    unsupported(topology: TopologySpec) {
      if (topology.nodes.length > 2) return 'the lab builds at most 2 nodes';
      for (const name of [...topology.nodes, ...topology.pods].map((x) => x.name)) {
        if (!isValidShortName(name)) {
          return `name "${name}" must be lowercase letters and digits, at most ${maxShortNameLength} characters`;
        }
      }
      const addressWhy = requestedAddressProblem(topology);
      if (addressWhy !== undefined) return addressWhy;
      const datapathWhy = labDatapaths[topology.datapath].unsupported(topology, capabilities);
      if (datapathWhy !== undefined) return datapathWhy;
      for (const feature of labFeatures.filter((f) => f.applies(topology))) {
        const why = feature.unsupported?.(topology);
        if (why !== undefined) return why;
      }
      return undefined;
    },
    async deploy(topology: TopologySpec, signal?: AbortSignal): Promise<Environment> {
      if (!ownerWritten) {
        await writeOwner(
          {
            runId: options.runId,
            pid: options.keep === true ? 0 : process.pid,
            startedAt: clock.now().toISOString(),
            purpose: options.purpose,
          },
          options.stateRoot,
        );
        ownerWritten = true;
      }
      environments += 1;
      return createLabEnvironment({
        shell,
        logger: options.logger,
        clock,
        runId: options.runId,
        environment: environments,
        topology,
        datapath: labDatapaths[topology.datapath],
        underlayMtu: mtu,
        stateDir: stateDir(options.runId, options.stateRoot),
        ...(options.cniBinDir === undefined ? {} : { cniBinDir: options.cniBinDir }),
        ...(signal === undefined ? {} : { signal }),
      });
    },
    async close() {
      if (options.keep === true || !ownerWritten) return;
      await removeLabRun(shell, options.runId, options.stateRoot);
    },
  };
}
