/**
 * The Kubernetes API port: the few calls netbench makes, over the official client
 * (@kubernetes/client-node 1.4). Everything else in platform/kubernetes talks to this interface,
 * and the tests drive the same implementation against an in-process fake API server.
 */
import { PassThrough } from 'node:stream';
import {
  AppsV1Api,
  CoreV1Api,
  Exec,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  VersionApi,
  Watch,
  type CoreV1Event,
  type V1DaemonSet,
  type V1Status,
} from '@kubernetes/client-node';
import { NetbenchError } from '../../core/errors.js';
import type { ProcessExit, RunningProcess } from '../../core/process-runner.js';
import { kubeError, isNotFound, type KubeAction } from './kube-errors.js';
import type { KubernetesObject, V1ConfigMap, V1Namespace, V1Node, V1Pod } from './kube-types.js';
import { fieldManager } from './labels.js';

/** A watch event on pods. */
export interface PodWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  pod: V1Pod;
}

export interface KubeApi {
  /** The API server URL and kubeconfig context, for messages and results. */
  readonly server: string;
  readonly context: string;
  version(): Promise<string>;
  /** Server-side apply (field manager `netbench`, forced), optionally as a server-side dry run. */
  apply<T extends KubernetesObject>(object: T, options?: { dryRun?: boolean }): Promise<T>;
  /** Deletes an object; a missing one is not an error. */
  delete(object: KubernetesObject): Promise<void>;
  readNamespace(name: string): Promise<V1Namespace | undefined>;
  listNamespaces(labelSelector: string): Promise<V1Namespace[]>;
  listNodes(): Promise<V1Node[]>;
  listDaemonSets(): Promise<V1DaemonSet[]>;
  readConfigMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
  /** Pods of a namespace (or all namespaces) with the list's resourceVersion, for a watch after it. */
  listPods(
    namespace: string | undefined,
    labelSelector?: string,
  ): Promise<{ items: V1Pod[]; resourceVersion: string }>;
  listEvents(namespace: string): Promise<CoreV1Event[]>;
  /**
   * Watches pods from `resourceVersion` until `onEvent` returns true (resolves) or the signal
   * aborts. A 410 (history compacted) rejects with NB_K8S_WATCH_EXPIRED.
   */
  watchPods(
    namespace: string,
    labelSelector: string,
    resourceVersion: string,
    onEvent: (event: PodWatchEvent) => boolean,
    signal: AbortSignal,
  ): Promise<void>;
  /** Starts a command in a container over the exec WebSocket; stdin stays open until ended. */
  exec(
    namespace: string,
    pod: string,
    container: string,
    argv: readonly string[],
  ): Promise<RunningProcess>;
  /** GET through the API server's node proxy, e.g. `metrics/resource` of the kubelet. */
  nodeProxy(node: string, path: string): Promise<string>;
}

export interface KubeConnectOptions {
  /** Kubeconfig file. @default $KUBECONFIG or ~/.kube/config */
  kubeconfig?: string | undefined;
  /** @default the kubeconfig's current-context */
  context?: string | undefined;
}

/** Loads the kubeconfig; a coded error when it is missing or has no such context. */
export function loadKubeConfig(o: KubeConnectOptions): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (o.kubeconfig === undefined) kc.loadFromDefault();
    else kc.loadFromFile(o.kubeconfig);
  } catch (error) {
    throw new NetbenchError(
      'NB_K8S_KUBECONFIG',
      `cannot read the kubeconfig ${o.kubeconfig ?? '(default)'}: ${(error as Error).message}`,
      {
        hint: 'give --kubeconfig FILE, or set KUBECONFIG; `kubectl config view` shows what kubectl uses',
        cause: error,
      },
    );
  }
  if (o.context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === o.context)) {
      throw new NetbenchError(
        'NB_K8S_KUBECONFIG',
        `the kubeconfig has no context ${JSON.stringify(o.context)}`,
        {
          hint: `contexts: ${
            kc
              .getContexts()
              .map((c) => c.name)
              .join(', ') || '(none)'
          }`,
        },
      );
    }
    kc.setCurrentContext(o.context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new NetbenchError('NB_K8S_KUBECONFIG', 'the kubeconfig has no current cluster', {
      hint: 'pick one with --context NAME (`kubectl config get-contexts` lists them)',
    });
  }
  return kc;
}

const applyHeaderVersion = 'v1';

export function createKubeApi(kc: KubeConfig): KubeApi {
  const server = kc.getCurrentCluster()?.server ?? '(none)';
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const call = async <T>(action: KubeAction, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (error) {
      throw kubeError(error, action, server);
    }
  };
  const orUndefined = async <T>(
    action: KubeAction,
    f: () => Promise<T>,
  ): Promise<T | undefined> => {
    try {
      return await f();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw kubeError(error, action, server);
    }
  };
  const resourceOf = (o: KubernetesObject): string => `${(o.kind ?? 'object').toLowerCase()}s`;
  let execs = 0;

  return {
    server,
    context: kc.getCurrentContext(),
    version: () =>
      call(
        { verb: 'get', resource: '/version' },
        async () => (await kc.makeApiClient(VersionApi).getCode()).gitVersion,
      ),
    apply: (object, options = {}) =>
      call(
        {
          verb: 'patch',
          resource: resourceOf(object),
          ...(object.metadata?.namespace === undefined
            ? {}
            : { namespace: object.metadata.namespace }),
        },
        () =>
          objects.patch(
            { ...object, apiVersion: object.apiVersion ?? applyHeaderVersion },
            undefined,
            options.dryRun === true ? 'All' : undefined,
            fieldManager,
            true,
            PatchStrategy.ServerSideApply,
          ),
      ),
    async delete(object) {
      await orUndefined({ verb: 'delete', resource: resourceOf(object) }, () =>
        objects.delete(object, undefined, undefined, 0, undefined, 'Background'),
      );
    },
    readNamespace: (name) =>
      orUndefined({ verb: 'get', resource: 'namespaces' }, () => core.readNamespace({ name })),
    listNamespaces: (labelSelector) =>
      call(
        { verb: 'list', resource: 'namespaces' },
        async () => (await core.listNamespace({ labelSelector })).items,
      ),
    listNodes: () =>
      call({ verb: 'list', resource: 'nodes' }, async () => (await core.listNode()).items),
    listDaemonSets: () =>
      call(
        { verb: 'list', resource: 'daemonsets' },
        async () => (await apps.listDaemonSetForAllNamespaces()).items,
      ),
    readConfigMap: (namespace, name) =>
      orUndefined({ verb: 'get', resource: 'configmaps', namespace }, () =>
        core.readNamespacedConfigMap({ name, namespace }),
      ),
    listPods: (namespace, labelSelector) =>
      call(
        { verb: 'list', resource: 'pods', ...(namespace === undefined ? {} : { namespace }) },
        async () => {
          const list =
            namespace === undefined
              ? await core.listPodForAllNamespaces(
                  labelSelector === undefined ? {} : { labelSelector },
                )
              : await core.listNamespacedPod({
                  namespace,
                  ...(labelSelector === undefined ? {} : { labelSelector }),
                });
          return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
        },
      ),
    listEvents: (namespace) =>
      call(
        { verb: 'list', resource: 'events', namespace },
        async () => (await core.listNamespacedEvent({ namespace })).items,
      ),
    watchPods(namespace, labelSelector, resourceVersion, onEvent, signal) {
      const action = { verb: 'watch', resource: 'pods', namespace };
      return new Promise<void>((resolve, reject) => {
        let controller: AbortController | undefined;
        let settled = false;
        const finish = (error?: unknown): void => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          controller?.abort();
          if (error === undefined) resolve();
          else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        };
        const onAbort = (): void =>
          finish(new NetbenchError('NB_INTERRUPTED', 'interrupted while waiting for pods'));
        signal.addEventListener('abort', onAbort, { once: true });
        new Watch(kc)
          .watch(
            `/api/v1/namespaces/${namespace}/pods`,
            { labelSelector, resourceVersion, allowWatchBookmarks: true },
            (type: string, object: unknown) => {
              if (type === 'ERROR') {
                const status = object as V1Status;
                finish(kubeError({ code: status.code ?? 500, body: status }, action, server));
                return;
              }
              if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
              try {
                if (onEvent({ type, pod: object as V1Pod })) finish();
              } catch (error) {
                finish(error);
              }
            },
            (error: unknown) => {
              if (settled) return;
              if (error === null || error === undefined) {
                finish(
                  new NetbenchError('NB_K8S_API_FAILED', 'the API server closed the pod watch', {
                    hint: 'retry; a proxy in front of the API server may cut long requests',
                  }),
                );
              } else finish(kubeError(error, action, server));
            },
          )
          .then(
            (c) => {
              controller = c;
              if (settled) c.abort();
            },
            (error: unknown) => finish(kubeError(error, action, server)),
          );
      });
    },
    async exec(namespace, pod, container, argv) {
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let resolveExit: (exit: ProcessExit) => void = () => undefined;
      const exited = new Promise<ProcessExit>((resolve) => (resolveExit = resolve));
      let status: V1Status | undefined;
      const socket = await call({ verb: 'create', resource: 'pods/exec', namespace }, () =>
        new Exec(kc).exec(
          namespace,
          pod,
          container,
          [...argv],
          stdout,
          stderr,
          stdin,
          false,
          (s) => (status = s),
        ),
      );
      // Idle exec streams are cut by load balancers in front of API servers; pings keep them open.
      const heartbeat = setInterval(() => socket.ping(), 15_000);
      heartbeat.unref();
      socket.on('close', () => {
        clearInterval(heartbeat);
        if (!stdout.writableEnded) stdout.end();
        if (!stderr.writableEnded) stderr.end();
        resolveExit({ code: exitCodeOf(status), signal: null });
      });
      execs += 1;
      return {
        pid: execs,
        stdin,
        stdout,
        stderr,
        exited,
        kill() {
          // Closing an exec does not kill the remote process: the agent exits when its stdin ends.
          stdin.end();
          setTimeout(() => socket.close(), 2000).unref();
        },
      };
    },
    nodeProxy: (node, path) =>
      call({ verb: 'get', resource: 'nodes/proxy' }, () =>
        core.connectGetNodeProxyWithPath({ name: node, path }),
      ),
  };
}

/** The exit code in an exec's final Status (Success → 0; NonZeroExitCode carries it). */
export function exitCodeOf(status: V1Status | undefined): number | null {
  if (status === undefined) return null;
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  return cause?.message === undefined ? 1 : Number(cause.message);
}
