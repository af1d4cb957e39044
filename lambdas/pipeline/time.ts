/** `YYYY-MM-DDTHH` in UTC: the key of hourly counters. */
export function hourOf(date: Date): string {
  return date.toISOString().slice(0, 13);
}

/** The hour key `hours` before `hour`. */
export function hourBefore(hour: string, hours: number): string {
  return hourOf(new Date(Date.parse(`${hour}:00:00.000Z`) - hours * 3_600_000));
}
