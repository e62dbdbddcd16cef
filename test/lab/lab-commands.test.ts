import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertRoot, binPath, namespacesOf } from '../helpers/lab.js';

interface LabUp {
  runId: string;
  datapath: { podMtu: number; encapsulation: string };
  pods: { pod: string; ip: string }[];
}

function netbench(args: string[]) {
  return spawnSync(process.execPath, [binPath, ...args], { encoding: 'utf8' });
}

/** Sends one ping with the don't-fragment bit and `size` bytes of payload from a pod. */
function dfPing(runId: string, pod: string, target: string, size: number): boolean {
  const r = spawnSync(
    'ip',
    [
      'netns',
      'exec',
      `nb-${runId}-e1-${pod}`,
      'ping',
      '-c',
      '1',
      '-W',
      '1',
      '-M',
      'do',
      '-s',
      String(size),
      target,
    ],
    { encoding: 'utf8' },
  );
  return r.status === 0;
}

const cases = [
  { datapath: 'bridge', placement: 'same-node', mtu: 1500, encapsulation: 'none' },
  { datapath: 'vxlan', placement: 'cross-node', mtu: 1450, encapsulation: 'vxlan' },
  { datapath: 'routed', placement: 'cross-node', mtu: 1500, encapsulation: 'none' },
] as const;

describe('netbench lab up / status / down', () => {
  beforeAll(assertRoot);

  for (const c of cases) {
    it(`builds ${c.datapath} ${c.placement}: pods reach each other and a DF packet of the path MTU passes, one byte more fails`, async () => {
      const up = netbench([
        'lab',
        'up',
        '--datapath',
        c.datapath,
        '--placement',
        c.placement,
        '--json',
      ]);
      expect(up.stderr).toBe('');
      expect(up.status).toBe(0);
      const lab = JSON.parse(up.stdout) as LabUp;
      try {
        expect(lab.datapath).toMatchObject({ podMtu: c.mtu, encapsulation: c.encapsulation });
        const server = lab.pods.find((p) => p.pod === 'server')!.ip;
        // ICMP payload = MTU - 20 (IP header) - 8 (ICMP header).
        expect(dfPing(lab.runId, 'client', server, c.mtu - 28)).toBe(true);
        expect(dfPing(lab.runId, 'client', server, c.mtu - 27)).toBe(false);

        const status = netbench(['lab', 'status']);
        expect(status.stdout).toContain(lab.runId);
        expect(status.stdout).toContain('kept (lab up)');
      } finally {
        const down = netbench(['lab', 'down', '--run', lab.runId]);
        expect(down.status).toBe(0);
      }
      expect(await namespacesOf(lab.runId)).toEqual([]);
    });
  }

  it('refuses an impossible lab with a hint instead of building half of it', () => {
    const r = netbench(['lab', 'up', '--datapath', 'bridge', '--placement', 'cross-node']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('NB_PLAN_IMPOSSIBLE');
  });

  it('names a misspelt datapath and suggests the right one', () => {
    const r = netbench(['lab', 'up', '--datapath', 'vxlam']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('did you mean "vxlan"?');
  });

  it('rejects a malformed run id for lab down', () => {
    const r = netbench(['lab', 'down', '--run', 'NOT-AN-ID']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('NB_USAGE_BAD_FLAG');
  });
});
