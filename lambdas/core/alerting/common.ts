import { SEVERITIES, type Severity } from '../analysis/types';

/** Small pure helpers shared by the alert policy modules. */

const SEVERITY_RANK: ReadonlyMap<Severity, number> = new Map(SEVERITIES.map((s, i) => [s, i]));

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK.get(severity) ?? 0;
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

export function atLeast(severity: Severity, minimum: Severity): boolean {
  return severityRank(severity) >= severityRank(minimum);
}

/** The UTC hour bucket of a time, `YYYY-MM-DDTHH` (the HourlyCounter format). */
export function hourOf(time: Date | string | number): string {
  return new Date(time).toISOString().slice(0, 13);
}

/** Epoch milliseconds of the start of an hour bucket. */
export function hourStartMs(hour: string): number {
  const ms = Date.parse(`${hour}:00:00.000Z`);
  if (Number.isNaN(ms)) throw new Error(`not an hour bucket (YYYY-MM-DDTHH): "${hour}"`);
  return ms;
}

export function addHours(hour: string, hours: number): string {
  return hourOf(hourStartMs(hour) + hours * 3_600_000);
}

export function minutesBetween(earlier: string | Date, later: string | Date): number {
  return (new Date(later).getTime() - new Date(earlier).getTime()) / 60_000;
}
