/**
 * EventBridge Scheduler's expression grammar for a recurring schedule, checked at validation time so a bad
 * expression fails `earshot run` and `cdk synth` rather than the deploy:
 *   rate(1 minute) · rate(N minutes) · rate(1 hour) · rate(N hours) · rate(1 day) · rate(N days)   (N ≥ 2)
 *   cron(minutes hours day-of-month month day-of-week year), one of day-of-month / day-of-week being "?".
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Characters this field allows beyond numbers, `,` `-` `*` `/`. */
  special?: RegExp;
}

const FIELDS: Field[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(\?|L|[1-7]L|[A-Z]{3}L|[1-7]#[1-5]|[A-Z]{3}#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199 },
];

function value(token: string, field: Field): number | undefined {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const named = field.names?.indexOf(token.toUpperCase()) ?? -1;
  return named >= 0 ? named + 1 : undefined;
}

/** Why one cron field is invalid, or undefined. */
function fieldProblem(text: string, field: Field): string | undefined {
  const bad = `${field.name} "${text}" is not valid (${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : ''}, with , - * /)`;
  for (const part of text.split(',')) {
    if (field.special?.test(part.toUpperCase())) {
      if (text.includes(',') && part === '?') return bad;
      continue;
    }
    const [range, step, extra] = part.split('/');
    if (extra !== undefined || range === '') return bad;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return bad;
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2 || bounds.some((b) => value(b, field) === undefined)) return bad;
  }
  return undefined;
}

/** Why `expression` is not a valid recurring EventBridge Scheduler expression, or undefined when it is. */
export function scheduleProblem(expression: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) {
    const match = /^(\d+) (minute|hour|day)(s?)$/.exec(rate[1]);
    if (!match) return 'a rate is "rate(N unit)" with unit minute(s), hour(s) or day(s), e.g. "rate(15 minutes)"';
    const n = Number(match[1]);
    if (n < 1) return 'a rate must be at least 1';
    if (n === 1 && match[3] === 's') return `write "rate(1 ${match[2]})" (singular for 1)`;
    if (n > 1 && match[3] === '') return `write "rate(${n} ${match[2]}s)" (plural above 1)`;
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) {
      return `a cron has six fields (minutes hours day-of-month month day-of-week year), not ${fields.length}: e.g. "cron(0 * * * ? *)"`;
    }
    for (let i = 0; i < 6; i++) {
      const problem = fieldProblem(fields[i], FIELDS[i]);
      if (problem) return problem;
    }
    const [, , dayOfMonth, , dayOfWeek] = fields;
    if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
      return 'exactly one of day-of-month and day-of-week must be "?", e.g. "cron(0 9 * * ? *)"';
    }
    return undefined;
  }
  return 'must be "rate(…)" or "cron(…)", e.g. "rate(15 minutes)" or "cron(0 * * * ? *)"';
}
