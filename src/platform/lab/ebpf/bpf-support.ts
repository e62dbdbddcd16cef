/**
 * Whether this machine can run the ebpf datapath, decided once when the lab platform is created
 * so that planning stays pure: loading tc programs needs real root (CAP_BPF and CAP_NET_ADMIN in
 * the initial user namespace, which a rootless lab does not have) and the compiled object.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled datapath object, built by bpf/build.sh (from src/ and dist/ alike). */
export function bpfObjectPath(): string {
  return fileURLToPath(new URL('../../../../bpf/build/datapath.bpf.o', import.meta.url));
}

/** True inside a user namespace (a rootless lab): uid 0 there is not root of the machine. */
export function inUserNamespace(): boolean {
  try {
    return !/^\s*0\s+0\s+4294967295\s*$/.test(readFileSync('/proc/self/uid_map', 'utf8'));
  } catch {
    return true;
  }
}

/** Why BPF programs cannot be loaded here, or undefined when they can. */
export function whyBpfUnavailable(objectPath = bpfObjectPath()): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'loading eBPF programs needs root';
  }
  if (inUserNamespace()) {
    return 'this lab runs in a user namespace (rootless), where the kernel refuses to load eBPF programs: run as real root';
  }
  if (!existsSync(objectPath)) {
    return `the eBPF object ${objectPath} is not built: run \`sh bpf/build.sh\` (needs clang and libbpf-dev)`;
  }
  return undefined;
}
