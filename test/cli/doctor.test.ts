import { describe, expect, it } from 'vitest';
import { doctorCommand } from '../../src/cli/commands/doctor.js';
import type { DoctorPort } from '../../src/cli/doctor/doctor-port.js';
import type { DoctorSection } from '../../src/cli/doctor/doctor-checks.js';
import { cli } from '../helpers/cli-context.js';

/** A machine with every tool but those in `missing`, a kernel built with `config`. */
function fakeMachine(options: {
  missing: readonly string[];
  config: string;
  files?: Record<string, string>;
  kubectl?: (args: readonly string[]) => { exitCode: number; stdout: string; stderr: string };
}): DoctorPort {
  const files: Record<string, string> = {
    '/proc/sys/kernel/osrelease': '6.1.0-test\n',
    ...options.files,
  };
  return {
    isRoot: true,
    env: {},
    homeDir: '/home/test',
    run: (argv) => {
      const [tool = '', ...args] = argv;
      if (options.missing.includes(tool)) return Promise.resolve(undefined);
      if (tool === 'kubectl' && options.kubectl !== undefined && args[0] !== 'version') {
        return Promise.resolve(options.kubectl(args));
      }
      return Promise.resolve({ exitCode: 0, stdout: `${tool} 1.2.3\n`, stderr: '' });
    },
    readText: (path) => Promise.resolve(files[path]),
    exists: (path) => Promise.resolve(path in files),
    kernelConfig: () => Promise.resolve(options.config),
  };
}

async function doctorJson(port: DoctorPort, flags = {}): Promise<DoctorSection[]> {
  let out = '';
  const code = await doctorCommand({ ...flags, json: true }, port, {
    stdout: { write: (s: string | Uint8Array) => ((out += String(s)), true) },
  });
  expect(code).toBe(0);
  return (JSON.parse(out) as { sections: DoctorSection[] }).sections;
}

const fullKernel = ['VXLAN', 'NF_TABLES', 'IP_VS', 'NET_SCH_NETEM', 'VETH', 'BRIDGE']
  .map((o) => `CONFIG_${o}=y`)
  .join('\n');

describe('netbench doctor', () => {
  it('names a missing tool, the workload it stops, and the command that installs it', async () => {
    const sections = await doctorJson(fakeMachine({ missing: ['iperf3'], config: fullKernel }));
    const stream = sections.find((s) => s.title === 'workload tcp-stream, udp-stream')!;
    expect(stream.ready).toBe(false);
    expect(stream.checks).toContainEqual(
      expect.objectContaining({
        name: 'iperf3',
        ok: false,
        fix: expect.stringContaining('apt-get install -y iperf3') as string,
      }),
    );
    const rr = sections.find((s) => s.title === 'workload tcp-rr')!;
    expect(rr.ready).toBe(true);
    expect(rr.checks[0]!.detail).toBe('sockperf 1.2.3');
  });

  it('tells a kernel feature that is not built in from one that is', async () => {
    const sections = await doctorJson(
      fakeMachine({
        missing: [],
        config: fullKernel.replace('CONFIG_NET_SCH_NETEM=y', '# CONFIG_NET_SCH_NETEM is not set'),
      }),
    );
    const netem = sections
      .find((s) => s.title === 'network emulation')!
      .checks.find((c) => c.name === 'netem')!;
    expect(netem).toMatchObject({
      ok: false,
      fix: expect.stringContaining('modprobe sch_netem') as string,
    });
    const vxlan = sections.find((s) => s.title === 'datapath vxlan')!.checks[0]!;
    expect(vxlan).toMatchObject({ ok: true, detail: 'built into the kernel (CONFIG_VXLAN=y)' });
  });

  it('reports a cluster whose API server does not answer, with its context', async () => {
    const sections = await doctorJson(
      fakeMachine({
        missing: [],
        config: fullKernel,
        files: { '/tmp/kubeconfig': 'apiVersion: v1' },
        kubectl: (args) =>
          args.includes('current-context')
            ? { exitCode: 0, stdout: 'kind-test\n', stderr: '' }
            : {
                exitCode: 1,
                stdout: '',
                stderr:
                  'Unable to connect to the server: dial tcp 127.0.0.1:6443: connect: connection refused\n',
              },
      }),
      { kubeconfig: '/tmp/kubeconfig' },
    );
    const cluster = sections.find((s) => s.title === 'kubernetes platform')!;
    expect(cluster.checks.map((c) => [c.name, c.ok])).toEqual([
      ['kubectl', true],
      ['context', true],
      ['reachable', false],
    ]);
    expect(cluster.checks[2]!.detail).toContain('connection refused');
  });

  it('lists what this machine has, as JSON', async () => {
    const r = await cli(['doctor', '--json'], { env: { KUBECONFIG: '/nonexistent/kubeconfig' } });
    expect(r.exitCode).toBe(0);
    const sections = (JSON.parse(r.stdout) as { sections: DoctorSection[] }).sections;
    expect(sections.map((s) => s.title)).toContain('lab platform');
    const ip = sections[0]!.checks.find((c) => c.name === 'ip')!;
    expect(ip.ok).toBe(true);
    expect(ip.detail).toMatch(/iproute2/);
  });
});
