/**
 * Wires a layout's pods with the CNI reference plugins, as a kubelet's runtime would on pod
 * creation: ADD then CHECK per pod, and DEL on removal. Returns the layout with each pod's
 * host-side interface as the plugin named it, and what was done, for results.json.
 */
import type { CniFacts, CniPodFact } from '../../../results/facts.js';
import type { Clock } from '../../../core/clock.js';
import { NetbenchError } from '../../../core/errors.js';
import type { LabLayout, LabPod } from '../addressing.js';
import type { LabShell } from '../lab-shell.js';
import { linkAlias } from '../names.js';
import {
  bridgeName,
  cniNetworkFor,
  type CniMainPlugin,
  type CniNetworkConfigList,
} from './cni-config.js';
import { podWiringOf } from './cni-result.js';
import type { CniAttachment, CniRuntime } from './cni-runtime.js';

export interface PodWiringOptions {
  shell: LabShell;
  clock: Clock;
  runtime: CniRuntime;
  layout: LabLayout;
  main: CniMainPlugin;
  mtu: number;
  /** Directory for this environment's CNI state (IPAM stores). */
  stateDir: string;
  bandwidthBps?: number;
}

export interface WiredPods {
  layout: LabLayout;
  facts: CniFacts;
  /** Runs DEL for every pod that was added, in reverse order; never throws. */
  unwire(onError: (error: unknown) => void): Promise<void>;
}

/** Where the pod's namespace is for CNI_NETNS (`ip netns add` mounts it there). */
export function netnsPath(ns: string): string {
  return `/var/run/netns/${ns}`;
}

export async function wirePods(o: PodWiringOptions): Promise<WiredPods> {
  const networks = new Map<string, CniNetworkConfigList>();
  for (const node of o.layout.nodes) {
    networks.set(
      node.name,
      cniNetworkFor({
        main: o.main,
        node,
        mtu: o.mtu,
        ipamDataDir: `${o.stateDir}/${node.name}-ipam`,
        ...(o.bandwidthBps === undefined ? {} : { bandwidthBps: o.bandwidthBps }),
      }),
    );
  }
  const first = networks.values().next().value;
  if (first !== undefined) await o.runtime.requirePlugins(first);

  const added: { network: CniNetworkConfigList; attachment: CniAttachment }[] = [];
  const unwire = async (onError: (error: unknown) => void): Promise<void> => {
    for (const { network, attachment } of [...added].reverse()) {
      try {
        await o.runtime.del(network, attachment);
      } catch (error) {
        onError(error);
      }
    }
  };

  const pods: LabPod[] = [];
  const podFacts: CniPodFact[] = [];
  try {
    for (const pod of o.layout.pods) {
      const network = networks.get(pod.node.name)!;
      const attachment: CniAttachment = {
        nodeNs: pod.node.ns,
        pod: pod.name,
        containerId: pod.ns,
        netnsPath: netnsPath(pod.ns),
        ifName: 'eth0',
        // host-local allocates the address the lab planned, so every layer agrees on it.
        args: `IgnoreUnknown=1;IP=${pod.ip}`,
      };
      const { result, addMs } = await o.runtime.add(network, attachment);
      added.push({ network, attachment });
      const wiring = podWiringOf(result);
      if (wiring === undefined || wiring.ip !== pod.ip) {
        throw new NetbenchError(
          'NB_LAB_CNI_FAILED',
          `CNI ADD for pod ${pod.name} returned ${wiring === undefined ? 'no pod address or host interface' : `address ${wiring.ip}, not the requested ${pod.ip}`}: ${JSON.stringify(result).slice(0, 300)}`,
          {
            hint: 'the host-local IPAM plugin should honour CNI_ARGS IP=…; check the plugin version',
          },
        );
      }
      await o.runtime.check(network, attachment);
      pods.push({ ...pod, hostVeth: wiring.hostInterface });
      podFacts.push({
        pod: pod.name,
        node: pod.node.name,
        ip: wiring.ip,
        hostInterface: wiring.hostInterface,
        addMs,
        checked: true,
      });
    }
    const alias = linkAlias(o.layout.runId);
    for (const node of o.layout.nodes) {
      const lines = pods
        .filter((p) => p.node === node)
        .map((p) => `link set ${p.hostVeth} alias ${alias}`);
      if (o.main === 'bridge' && lines.length > 0)
        lines.push(`link set ${bridgeName} alias ${alias}`);
      await o.shell.ipBatch(node.ns, lines);
    }
  } catch (error) {
    await unwire(() => undefined);
    throw error;
  }
  const network = first!;
  const ipam = network.plugins[0]?.ipam as { type: string };
  return {
    layout: { ...o.layout, pods },
    facts: {
      cniVersion: network.cniVersion,
      plugins: network.plugins.map((p) => p.type),
      ipam: ipam.type,
      binDir: o.runtime.binDir,
      pods: podFacts,
    },
    unwire,
  };
}
