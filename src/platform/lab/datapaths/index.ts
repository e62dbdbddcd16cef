import type { DatapathName } from '../../../spec/dimensions.js';
import { bridgeDatapath } from './bridge.js';
import type { LabDatapath } from './datapath.js';
import { ebpfDatapath } from './ebpf.js';
import { hostDatapath } from './host.js';
import { routedBgpDatapath } from './routed-bgp.js';
import { routedDatapath } from './routed.js';
import { vxlanDatapath } from './vxlan.js';

/** Every lab datapath, one per name in the `datapath` dimension (compile-checked). */
export const labDatapaths = {
  host: hostDatapath,
  bridge: bridgeDatapath,
  vxlan: vxlanDatapath,
  routed: routedDatapath,
  'routed-bgp': routedBgpDatapath,
  ebpf: ebpfDatapath,
} satisfies Record<DatapathName, LabDatapath>;
