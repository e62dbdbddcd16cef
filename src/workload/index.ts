import type { WorkloadName } from '../spec/dimensions.js';
import { httpWorkload } from './http/http-workload.js';
import type { Workload } from './workload.js';

/** Every workload, one per name of the `workload` dimension (compile-checked). */
export const workloads = {
  http: httpWorkload,
} satisfies Record<WorkloadName, Workload>;
