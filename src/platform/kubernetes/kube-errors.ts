/**
 * Kubernetes API failures as netbench errors: each with a stable code, the verb and resource
 * that failed, the API server's own words, and what to do about it.
 */
import { NetbenchError } from '../../core/errors.js';

/** What was being done when a call failed, for messages: `create pods in nb-abcde`. */
export interface KubeAction {
  verb: string;
  resource: string;
  namespace?: string;
}

interface StatusBody {
  message?: string;
  reason?: string;
  code?: number;
}

function statusOf(error: unknown): { code: number; body: StatusBody } | undefined {
  const e = error as { code?: unknown; body?: unknown };
  if (typeof e?.code !== 'number') return undefined;
  let body: unknown = e.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = { message: body };
    }
  }
  return { code: e.code, body: body ?? {} };
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
]);

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown; errno?: unknown }).code;
    if (typeof code === 'string' && networkCodes.has(code)) return code;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string') {
      const m = /\b(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN)\b/.exec(
        message,
      );
      if (m?.[1] !== undefined) return m[1];
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function where(a: KubeAction): string {
  return `${a.verb} ${a.resource}${a.namespace === undefined ? '' : ` in ${a.namespace}`}`;
}

/** Turns anything the client threw into a NetbenchError (NetbenchErrors pass through). */
export function kubeError(error: unknown, action: KubeAction, server: string): NetbenchError {
  if (error instanceof NetbenchError) return error;
  const net = networkCode(error);
  if (net !== undefined) {
    return new NetbenchError(
      'NB_K8S_UNREACHABLE',
      `the Kubernetes API server ${server} is unreachable (${net})`,
      {
        hint: 'check the kubeconfig context (--context), the VPN or tunnel to the cluster, and `kubectl cluster-info`',
        cause: error,
      },
    );
  }
  const status = statusOf(error);
  if (status === undefined) {
    return new NetbenchError(
      'NB_K8S_API_FAILED',
      `${where(action)} failed: ${(error as Error)?.message ?? String(error)}`,
      {
        hint: 'rerun with --verbose; if it persists, check `kubectl get --raw /readyz`',
        cause: error,
      },
    );
  }
  const said = status.body.message ?? status.body.reason ?? `HTTP ${status.code}`;
  if (status.code === 401) {
    return new NetbenchError(
      'NB_K8S_UNAUTHORIZED',
      `the API server ${server} refused the credentials (401 Unauthorized): ${said}`,
      {
        hint: 'the token or client certificate has expired or is wrong; log in again (e.g. `aws eks update-kubeconfig`, `gcloud container clusters get-credentials`) and check with `kubectl auth whoami`',
        cause: error,
      },
    );
  }
  if (status.code === 403 && /exceeded quota|quota/i.test(said)) {
    return new NetbenchError(
      'NB_K8S_QUOTA_EXCEEDED',
      `a ResourceQuota refused to ${where(action)}: ${said}`,
      {
        hint: 'raise the quota of the namespace (`kubectl describe resourcequota -A`) or remove the LimitRange/ResourceQuota that applies to nb-* namespaces',
        cause: error,
      },
    );
  }
  if (/admission webhook|violates PodSecurity|denied the request/i.test(said)) {
    return new NetbenchError(
      'NB_K8S_ADMISSION_REFUSED',
      `admission refused to ${where(action)}: ${said}`,
      {
        hint: "a policy engine (Gatekeeper, Kyverno) or Pod Security refuses netbench's pods; exempt nb-* namespaces or the label app.kubernetes.io/managed-by=netbench, see docs/kubernetes.md",
        cause: error,
      },
    );
  }
  if (status.code === 403) {
    return new NetbenchError(
      'NB_K8S_FORBIDDEN',
      `permission denied: cannot ${where(action)} (403 Forbidden): ${said}`,
      {
        hint: `grant the verb "${action.verb}" on "${action.resource}" (docs/kubernetes.md has the ClusterRole netbench needs); check with \`kubectl auth can-i ${action.verb} ${action.resource}${action.namespace === undefined ? '' : ` -n ${action.namespace}`}\``,
        cause: error,
      },
    );
  }
  if (status.code === 410) {
    return new NetbenchError(
      'NB_K8S_WATCH_EXPIRED',
      `the watch to ${where(action)} expired (410 Gone): ${said}`,
      {
        hint: "the API server compacted its history; netbench relists once, so this means it kept expiring: retry, and check the API server's etcd compaction settings",
        cause: error,
      },
    );
  }
  if (status.code === 400 || status.code === 422) {
    return new NetbenchError(
      'NB_K8S_ADMISSION_REFUSED',
      `the API server refused to ${where(action)} (${status.code}): ${said}`,
      {
        hint: "the object is invalid for this cluster's version or policies; `netbench plan --manifests DIR` writes it for `kubectl apply --dry-run=server`",
        cause: error,
      },
    );
  }
  return new NetbenchError(
    'NB_K8S_API_FAILED',
    `${where(action)} failed (${status.code}): ${said}`,
    {
      hint: 'rerun with --verbose; check the API server with `kubectl get --raw /readyz`',
      cause: error,
    },
  );
}

/** True when the error is a 404 (an object already gone). */
export function isNotFound(error: unknown): boolean {
  return statusOf(error)?.code === 404;
}
