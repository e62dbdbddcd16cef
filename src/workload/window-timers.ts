/**
 * The measured window of a tool that cannot say when it measures (iperf3, sockperf): timers from
 * the tool's start. `finish()` when the tool exits closes a window the timers left open, so a
 * tool that ends a few milliseconds early still gets its resources sampled.
 */
import type { Milliseconds } from '../core/units.js';
import type { WindowPhase } from './engine/open-loop.js';

/**
 * How long before a tool's own end the sampling window closes: the final reading must still find
 * the tool's processes (an exited process's last CPU ticks are lost), so it is taken a moment
 * early. CPU is a rate over the readings' own span, so a shorter span does not bias it.
 */
export function endMarginMs(durationS: number): Milliseconds {
  return Math.min(200, durationS * 1000 * 0.2);
}

export interface WindowTimers {
  finish(): void;
}

export function startWindowTimers(
  onWindow: ((phase: WindowPhase) => void) | undefined,
  startInMs: Milliseconds,
  endInMs: Milliseconds,
  onStart?: () => void,
): WindowTimers {
  let phase: 'before' | 'open' | 'closed' = 'before';
  const open = (): void => {
    phase = 'open';
    onStart?.();
    onWindow?.('start');
  };
  const close = (): void => {
    if (phase !== 'open') return;
    phase = 'closed';
    onWindow?.('end');
  };
  const startTimer = setTimeout(open, startInMs);
  const endTimer = setTimeout(close, endInMs);
  return {
    finish() {
      clearTimeout(startTimer);
      clearTimeout(endTimer);
      close();
    },
  };
}
