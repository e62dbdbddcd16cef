/**
 * netbench as a container runtime, towards the CNI reference plugins: it runs each plugin binary
 * inside the node's network namespace with the CNI environment (CNI_COMMAND, CNI_CONTAINERID,
 * CNI_NETNS, CNI_IFNAME, CNI_ARGS, CNI_PATH) and the plugin's configuration on stdin, chaining
 * a configuration list as libcni does: ADD runs the plugins in order, each given the previous
 * one's result as `prevResult`; CHECK runs them in order and DEL in reverse, each given the
 * cached result of the last ADD. Results are cached under the run's state directory, as libcni
 * caches them under /var/lib/cni.
 */
import { constants } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../../core/clock.js';
import { NetbenchError } from '../../../core/errors.js';
import type { Milliseconds } from '../../../core/units.js';
import type { LabShell } from '../lab-shell.js';
import { pluginBinaries, type CniNetworkConfigList, type CniPluginConfig } from './cni-config.js';
import { parseCniError, parseCniResult, type CniResult } from './cni-result.js';

/** Where Debian's containernetworking-plugins installs the reference plugins. */
export const defaultCniBinDir = '/usr/lib/cni';

export type CniCommand = 'ADD' | 'CHECK' | 'DEL';

/** One pod attachment: which pod namespace, which interface, from which node namespace. */
export interface CniAttachment {
  /** Namespace of the node; the plugins run there (they create host-side devices in it). */
  nodeNs: string;
  /** Pod name, for messages. */
  pod: string;
  containerId: string;
  /** Path of the pod's network namespace, e.g. /var/run/netns/<name>. */
  netnsPath: string;
  ifName: string;
  /** CNI_ARGS, e.g. `IgnoreUnknown=1;IP=10.244.1.10` (host-local honours IP). */
  args?: string;
}

export interface CniRuntime {
  readonly binDir: string;
  /** Fails with NB_LAB_CNI_MISSING naming the Debian package when a plugin binary is absent. */
  requirePlugins(network: CniNetworkConfigList): Promise<void>;
  add(
    network: CniNetworkConfigList,
    attachment: CniAttachment,
  ): Promise<{ result: CniResult; addMs: Milliseconds }>;
  check(network: CniNetworkConfigList, attachment: CniAttachment): Promise<void>;
  del(network: CniNetworkConfigList, attachment: CniAttachment): Promise<void>;
}

export interface CniRuntimeOptions {
  shell: LabShell;
  clock: Clock;
  binDir?: string;
  /** Directory for cached results (one JSON file per attachment). */
  cacheDir: string;
}

export function createCniRuntime(o: CniRuntimeOptions): CniRuntime {
  const binDir = o.binDir ?? defaultCniBinDir;
  const cachePath = (a: CniAttachment): string =>
    join(o.cacheDir, `${a.containerId}-${a.ifName}.json`);

  const invoke = async (
    command: CniCommand,
    plugin: CniPluginConfig,
    config: Record<string, unknown>,
    a: CniAttachment,
  ): Promise<string> => {
    const binary = join(binDir, plugin.type);
    await requireExecutable(binDir, plugin.type);
    const out = await o.shell.exec(a.nodeNs, [binary], {
      input: JSON.stringify(config),
      env: {
        CNI_COMMAND: command,
        CNI_CONTAINERID: a.containerId,
        CNI_NETNS: a.netnsPath,
        CNI_IFNAME: a.ifName,
        CNI_ARGS: a.args ?? '',
        CNI_PATH: binDir,
      },
      allowFailure: true,
      timeoutMs: 30_000,
    });
    if (out.exitCode !== 0) throw pluginFailure(command, plugin.type, a, out.stdout, out.stderr);
    return out.stdout;
  };

  const cached = async (a: CniAttachment): Promise<CniResult | undefined> => {
    try {
      return parseCniResult(await readFile(cachePath(a), 'utf8'));
    } catch {
      return undefined;
    }
  };

  const withCommon = (
    network: CniNetworkConfigList,
    plugin: CniPluginConfig,
    prevResult: CniResult | undefined,
  ): Record<string, unknown> => ({
    ...plugin,
    cniVersion: network.cniVersion,
    name: network.name,
    ...(prevResult === undefined ? {} : { prevResult }),
  });

  return {
    binDir,
    async requirePlugins(network) {
      for (const name of pluginBinaries(network)) await requireExecutable(binDir, name);
    },
    async add(network, a) {
      const started = o.clock.monotonicMs();
      let prev: CniResult | undefined;
      for (const plugin of network.plugins) {
        const stdout = await invoke('ADD', plugin, withCommon(network, plugin, prev), a);
        const result = parseCniResult(stdout);
        if (result === undefined) {
          throw new NetbenchError(
            'NB_LAB_CNI_FAILED',
            `CNI plugin "${plugin.type}" ADD for pod ${a.pod} printed no valid result: ${stdout.trim().slice(0, 300) || '(nothing)'}`,
            { hint: `run ${join(binDir, plugin.type)} by hand with the same configuration` },
          );
        }
        prev = result;
      }
      if (prev === undefined) throw new Error('a CNI network needs at least one plugin');
      await mkdir(o.cacheDir, { recursive: true });
      await writeFile(cachePath(a), `${JSON.stringify(prev, null, 2)}\n`);
      return { result: prev, addMs: o.clock.monotonicMs() - started };
    },
    async check(network, a) {
      const prev = await cached(a);
      if (prev === undefined) {
        throw new NetbenchError(
          'NB_LAB_CNI_FAILED',
          `CNI CHECK for pod ${a.pod}: no cached ADD result (CHECK needs prevResult)`,
          { hint: 'CHECK can only follow a successful ADD of the same attachment' },
        );
      }
      for (const plugin of network.plugins) {
        await invoke('CHECK', plugin, withCommon(network, plugin, prev), a);
      }
    },
    async del(network, a) {
      const prev = await cached(a);
      for (const plugin of [...network.plugins].reverse()) {
        await invoke('DEL', plugin, withCommon(network, plugin, prev), a);
      }
    },
  };
}

async function requireExecutable(binDir: string, name: string): Promise<void> {
  try {
    await access(join(binDir, name), constants.X_OK);
  } catch {
    throw new NetbenchError(
      'NB_LAB_CNI_MISSING',
      `CNI plugin "${name}" was not found in ${binDir}`,
      {
        hint: 'install the CNI reference plugins (Debian: apt-get install containernetworking-plugins), or run scripts/bootstrap.sh as root',
      },
    );
  }
}

/** A plugin failed: its own JSON error object (code, msg, details) becomes the message. */
function pluginFailure(
  command: CniCommand,
  type: string,
  a: CniAttachment,
  stdout: string,
  stderr: string,
): NetbenchError {
  const error = parseCniError(stdout);
  const what = `CNI plugin "${type}" ${command} for pod ${a.pod}`;
  if (error !== undefined) {
    const details = error.details !== undefined && error.details !== '' ? `: ${error.details}` : '';
    return new NetbenchError(
      'NB_LAB_CNI_FAILED',
      `${what} failed with CNI error ${error.code}: ${error.msg}${details}`,
      { hint: cniErrorHint(error.code) },
    );
  }
  return new NetbenchError(
    'NB_LAB_CNI_FAILED',
    `${what} failed: ${stderr.trim() || stdout.trim() || '(no output)'}`,
    { hint: 'the plugin printed no CNI error object; run it by hand to see why' },
  );
}

/** What the CNI spec's well-known error codes (1-7, 11) mean for the person reading them. */
function cniErrorHint(code: number): string {
  switch (code) {
    case 1:
      return 'the plugin does not support the CNI version netbench speaks; upgrade containernetworking-plugins';
    case 2:
    case 7:
      return 'the plugin rejected its network configuration (a netbench bug: please report it with --verbose)';
    case 3:
      return 'the pod namespace the plugin was pointed at does not exist';
    case 4:
    case 6:
      return 'the plugin could not read its environment or configuration (a netbench bug: please report it)';
    case 5:
      return 'the plugin hit an I/O error; check free space under /run and /var/lib/cni';
    case 11:
      return 'the plugin asked to try again later; another runtime may hold the same network';
    default:
      return "the message is the plugin's own; `netbench lab up --verbose` reproduces the setup";
  }
}
