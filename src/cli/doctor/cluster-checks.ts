/**
 * `netbench doctor`'s cluster section: the kubeconfig (given, from KUBECONFIG, or
 * ~/.kube/config), its context, whether the API server answers, and whether we may create
 * namespaces (what a Kubernetes run does first). Through kubectl, via the doctor port.
 */
import { join } from 'node:path';
import type { DoctorCheck, DoctorSection } from './doctor-checks.js';
import type { DoctorPort } from './doctor-port.js';

export interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
}

const timeoutMs = 8000;

export async function clusterSection(
  port: DoctorPort,
  options: ClusterOptions,
): Promise<DoctorSection> {
  const checks: DoctorCheck[] = [];
  const section = (): DoctorSection => ({
    title: 'kubernetes platform',
    purpose: 'runs against a real cluster',
    checks,
    ready: checks.every((c) => c.ok),
  });
  const kubectl = await port.run(['kubectl', 'version', '--client'], timeoutMs);
  if (kubectl === undefined) {
    checks.push({
      name: 'kubectl',
      kind: 'tool',
      ok: false,
      detail: 'not installed',
      fix: 'apt-get install -y kubernetes-client  (or: sudo sh scripts/bootstrap.sh)',
    });
    return section();
  }
  checks.push({
    name: 'kubectl',
    kind: 'tool',
    ok: true,
    detail: kubectl.stdout.split('\n')[0]?.trim() ?? '',
  });
  const path =
    options.kubeconfig ??
    port.env.KUBECONFIG?.split(':')[0] ??
    join(port.homeDir, '.kube', 'config');
  if (!(await port.exists(path))) {
    checks.push({
      name: 'kubeconfig',
      kind: 'cluster',
      ok: false,
      detail: `no kubeconfig at ${path}`,
      fix: 'export KUBECONFIG=/path/to/kubeconfig, or netbench doctor --kubeconfig FILE',
    });
    return section();
  }
  const args = [
    '--kubeconfig',
    path,
    ...(options.context === undefined ? [] : ['--context', options.context]),
  ];
  const context = await port.run(['kubectl', ...args, 'config', 'current-context'], timeoutMs);
  const contextName = context?.exitCode === 0 ? context.stdout.trim() : undefined;
  checks.push(
    contextName === undefined
      ? {
          name: 'context',
          kind: 'cluster',
          ok: false,
          detail: `${path} has no current context`,
          fix: 'kubectl config use-context NAME, or netbench doctor --context NAME',
        }
      : {
          name: 'context',
          kind: 'cluster',
          ok: true,
          detail: `${options.context ?? contextName} (${path})`,
        },
  );
  if (contextName === undefined) return section();
  const version = await port.run(
    ['kubectl', ...args, 'get', '--raw', '/version', `--request-timeout=${timeoutMs / 1000 - 2}s`],
    timeoutMs,
  );
  const gitVersion = /"gitVersion":\s*"([^"]+)"/.exec(version?.stdout ?? '')?.[1];
  checks.push(
    version?.exitCode === 0
      ? {
          name: 'reachable',
          kind: 'cluster',
          ok: true,
          detail: `API server ${gitVersion ?? 'answers'}`,
        }
      : {
          name: 'reachable',
          kind: 'cluster',
          ok: false,
          detail:
            (version?.stderr ?? '').split('\n')[0]?.trim() || 'the API server does not answer',
          fix: 'check the cluster is up and the kubeconfig server address is reachable from here',
        },
  );
  if (version?.exitCode !== 0) return section();
  const canI = await port.run(
    ['kubectl', ...args, 'auth', 'can-i', 'create', 'namespaces'],
    timeoutMs,
  );
  checks.push(
    canI?.stdout.trim() === 'yes'
      ? { name: 'permissions', kind: 'cluster', ok: true, detail: 'may create namespaces' }
      : {
          name: 'permissions',
          kind: 'cluster',
          ok: false,
          detail: 'may not create namespaces',
          fix: 'use a context bound to a role that may create namespaces, pods and services',
        },
  );
  return section();
}
