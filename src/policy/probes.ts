/**
 * Which connections to decide (and, in the lab, to probe), pure. With explicit ports every
 * ordered pair of pods (self pairs included) is probed on each port × protocol; without, each
 * destination pod is probed on the ports it declares.
 */
import type { Probe } from './evaluate.js';
import type { ClusterModel } from './model.js';
import { protocols as allProtocols, type Protocol } from './network-policy.js';

export interface ProbeSelection {
  /** Probe these ports on every destination; absent: each destination's declared ports. */
  ports?: readonly number[];
  /** Only these protocols. @default TCP, UDP and SCTP */
  protocols?: readonly Protocol[];
}

/** A port and protocol, `TCP/80`: the unit a truth table is drawn for. */
export interface PortKey {
  port: number;
  protocol: Protocol;
}

export function portKeyText(k: PortKey): string {
  return `${k.protocol}/${k.port}`;
}

function comparePortKeys(a: PortKey, b: PortKey): number {
  return a.port - b.port || allProtocols.indexOf(a.protocol) - allProtocols.indexOf(b.protocol);
}

/** The port/protocol combinations to probe, in table order. */
export function probedPortKeys(model: ClusterModel, selection: ProbeSelection): PortKey[] {
  const wanted = selection.protocols ?? allProtocols;
  const keys: PortKey[] = [];
  const add = (k: PortKey): void => {
    if (!wanted.includes(k.protocol)) return;
    if (!keys.some((x) => x.port === k.port && x.protocol === k.protocol)) keys.push(k);
  };
  if (selection.ports !== undefined) {
    for (const port of selection.ports) for (const protocol of wanted) add({ port, protocol });
  } else {
    for (const pod of model.pods) for (const p of pod.ports) add(p);
  }
  return keys.sort(comparePortKeys);
}

/** Every probe, grouped by port/protocol, then source, then destination (model order). */
export function planProbes(model: ClusterModel, selection: ProbeSelection): Probe[] {
  const probes: Probe[] = [];
  for (const key of probedPortKeys(model, selection)) {
    for (const from of model.pods) {
      for (const to of model.pods) {
        const declared = to.ports.some((p) => p.port === key.port && p.protocol === key.protocol);
        if (selection.ports === undefined && !declared) continue;
        probes.push({ from, to, port: key.port, protocol: key.protocol });
      }
    }
  }
  return probes;
}
