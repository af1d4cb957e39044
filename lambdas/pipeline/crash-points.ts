/**
 * Named points of the alert path where a test can kill the process for real (SIGKILL, no cleanup), to prove that a
 * rerun finishes what the killed run started: `EARSHOT_CRASH_AT=<point>` in the environment of `earshot run`.
 * Unset (always, outside the crash tests), a point costs one property read.
 */
export const CRASH_POINTS = ['alert-recorded', 'incident-saved', 'mention-noted', 'delivery-leased'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export const CRASH_AT_ENV = 'EARSHOT_CRASH_AT';

export function crashPoint(point: CrashPoint): void {
  if (process.env[CRASH_AT_ENV] !== point) return;
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is not handled and ends the process; nothing after this point may run meanwhile.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
