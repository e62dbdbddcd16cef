/**
 * The CNI network configuration lists netbench hands the reference plugins, pure. They follow
 * what the modelled CNIs write to /etc/cni/net.d: Flannel delegates to `bridge` with
 * `host-local` IPAM on the node's pod CIDR (isDefaultGateway, hairpinMode); Cilium's and
 * Calico's plugins create one veth per pod with host routes, which the `ptp` plugin models.
 * `bandwidth` is chained when pods are limited (Kubernetes' bandwidth annotations) and
 * `loopback` brings `lo` up, because `bridge` and `ptp` leave it down.
 */
import type { LabNode } from '../addressing.js';
import { podPrefixLength, podRangeStart } from '../addressing.js';

/** The CNI spec version netbench speaks (the Debian plugins, v1.1, support up to 1.0.0). */
export const cniVersion = '1.0.0';

/** One plugin's configuration; `type` names the binary. */
export interface CniPluginConfig {
  type: string;
  [key: string]: unknown;
}

/** A network configuration list (a `.conflist`). */
export interface CniNetworkConfigList {
  cniVersion: string;
  name: string;
  plugins: CniPluginConfig[];
}

/** How the main plugin wires a pod: onto the node bridge, or point-to-point with host routes. */
export type CniMainPlugin = 'bridge' | 'ptp';

export interface CniNetworkOptions {
  main: CniMainPlugin;
  node: LabNode;
  mtu: number;
  /** host-local's allocation store, under the run's state directory. */
  ipamDataDir: string;
  /** Ingress and egress limit per pod, bits/s. */
  bandwidthBps?: number;
}

export const cniNetworkName = 'netbench';
export const bridgeName = 'cni0';

/**
 * Token-bucket burst the lab gives the bandwidth plugin: 10 ms at the rate, at least 1 Mibit.
 * (kubelet passes an effectively unlimited burst, which lets short transfers escape the limit.)
 */
export function bandwidthBurstBits(rateBps: number): number {
  return Math.max(Math.round(rateBps / 100), 1024 * 1024);
}

export function cniNetworkFor(o: CniNetworkOptions): CniNetworkConfigList {
  const ipam = {
    type: 'host-local',
    ranges: [
      [
        {
          subnet: `10.244.${o.node.index}.0/${podPrefixLength}`,
          rangeStart: podRangeStart(o.node),
          gateway: o.node.bridgeIp,
        },
      ],
    ],
    dataDir: o.ipamDataDir,
    ...(o.main === 'ptp' ? { routes: [{ dst: '0.0.0.0/0' }] } : {}),
  };
  const main: CniPluginConfig =
    o.main === 'bridge'
      ? {
          type: 'bridge',
          bridge: bridgeName,
          isDefaultGateway: true,
          hairpinMode: true,
          ipMasq: false,
          mtu: o.mtu,
          ipam,
        }
      : { type: 'ptp', ipMasq: false, mtu: o.mtu, ipam };
  const plugins: CniPluginConfig[] = [main];
  if (o.bandwidthBps !== undefined) {
    const rate = Math.round(o.bandwidthBps);
    const burst = bandwidthBurstBits(rate);
    plugins.push({
      type: 'bandwidth',
      ingressRate: rate,
      ingressBurst: burst,
      egressRate: rate,
      egressBurst: burst,
    });
  }
  plugins.push({ type: 'loopback' });
  return { cniVersion, name: cniNetworkName, plugins };
}

/** The plugin binaries a network needs, IPAM included (the main plugin runs it by delegation). */
export function pluginBinaries(network: CniNetworkConfigList): string[] {
  const names: string[] = [];
  for (const p of network.plugins) {
    names.push(p.type);
    const ipam = p.ipam as { type?: unknown } | undefined;
    if (typeof ipam?.type === 'string') names.push(ipam.type);
  }
  return [...new Set(names)];
}
