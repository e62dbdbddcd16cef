import type { LabFeature } from './feature.js';
import { policyFeature } from './policy/policy-feature.js';
import { meshFeature } from './mesh/mesh-feature.js';
import { servicesFeature } from './services/services-feature.js';

/**
 * Features in the order they are applied (services before policy before mesh, as in a cluster:
 * kube-proxy rules exist before policies select pods, and sidecars intercept last).
 */
export const labFeatures: readonly LabFeature[] = [servicesFeature, policyFeature, meshFeature];
