import type { DatapathName } from '../../../spec/dimensions.js';
import { bridgeDatapath } from './bridge.js';
import type { LabDatapath } from './datapath.js';
import { routedDatapath } from './routed.js';
import { vxlanDatapath } from './vxlan.js';

/** Every lab datapath, one per name in the `datapath` dimension (compile-checked). */
export const labDatapaths = {
  bridge: bridgeDatapath,
  vxlan: vxlanDatapath,
  routed: routedDatapath,
} satisfies Record<DatapathName, LabDatapath>;
