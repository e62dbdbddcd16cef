/**
 * The Kubernetes name rules NetworkPolicy validation relies on (k8s.io/apimachinery
 * pkg/util/validation): DNS-1123 labels and subdomains, label keys (qualified names), label
 * values, and IANA service names for named ports. Each returns why a value is invalid, or
 * undefined.
 */

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export function dnsLabelProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be at most 63 characters';
  if (!dns1123Label.test(value)) {
    return 'must be lowercase letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

export function dnsSubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be at most 253 characters';
  if (!dns1123Subdomain.test(value)) {
    return 'must be lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Label keys: `[prefix/]name`, the prefix a DNS subdomain, the name at most 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'may contain at most one "/"';
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') return 'has an empty prefix before "/"';
    const why = dnsSubdomainProblem(prefix);
    if (why !== undefined) return `prefix "${prefix}" ${why}`;
  }
  if (name === '') return 'has an empty name';
  if (name.length > 63) return 'name part must be at most 63 characters';
  if (!qualifiedNamePart.test(name)) {
    return 'name part must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'must be at most 63 characters';
  if (!qualifiedNamePart.test(value)) {
    return 'must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Container port names (IANA_SVC_NAME): what a named port in a policy must look like. */
export function portNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 15) return 'must be 1 to 15 characters';
  if (!/^[-a-z0-9]+$/.test(name)) return 'must be lowercase letters, digits and "-"';
  if (!/[a-z]/.test(name))
    return 'must contain at least one letter (a number is written without quotes)';
  if (name.includes('--')) return 'must not contain "--"';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not start or end with "-"';
  return undefined;
}
