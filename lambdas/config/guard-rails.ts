import * as path from 'node:path';
import type { z } from 'zod';

/**
 * Config guard rails: settings that parse but would hurt. Checked on partly invalid configs too, so every problem
 * is reported at once, each naming its field.
 */

const URL_FIELDS = ['baseUrl', 'authUrl', 'instance', 'url'] as const;
const SYSTEM_DIRS = ['/etc', '/usr', '/bin', '/sbin', '/boot', '/proc', '/sys', '/dev', '/lib', '/lib64', '/var/lib'];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function records(value: unknown): [number, Record<string, unknown>][] {
  return Array.isArray(value)
    ? value.flatMap((v, i) => (v && typeof v === 'object' ? [[i, v as Record<string, unknown>] as const] : []))
    : [];
}

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** `/`, or a system directory or anything under one. */
export function isSystemPath(file: string): boolean {
  const resolved = path.resolve(file);
  return (
    resolved === path.parse(resolved).root || SYSTEM_DIRS.some((d) => resolved === d || resolved.startsWith(`${d}/`))
  );
}

export function guardRails(
  config: { sources?: unknown; alerts?: unknown; storage?: unknown },
  ctx: z.core.$RefinementCtx,
): void {
  const issue = (at: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path: at, message });
  for (const [i, source] of records(config.sources)) {
    const hasCredentials = Object.entries(source).some(
      ([key, value]) => /(Env|Secret)$/.test(key) && typeof value === 'string' && value !== '',
    );
    for (const field of URL_FIELDS) {
      const url = parseUrl(source[field]);
      if (!url) continue;
      if (url.username || url.password) {
        // Never echo the value: it is a credential.
        issue(['sources', i, field], 'must not carry credentials (user:password@); name them with …Env or …Secret');
      }
      if (hasCredentials && url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
        issue(['sources', i, field], 'must be https: this source sends credentials (http is allowed only to loopback)');
      }
    }
  }
  const alerts = config.alerts as { sinks?: unknown } | undefined;
  for (const [i, sink] of records(alerts?.sinks)) {
    const url = parseUrl(sink.webhook);
    if (url && (url.username || url.password)) {
      issue(['alerts', 'sinks', i, 'webhook'], 'must not carry credentials (user:password@)');
    }
    if (typeof sink.jsonl === 'string' && isSystemPath(sink.jsonl)) {
      issue(['alerts', 'sinks', i, 'jsonl'], 'must not be the root or a system directory (e.g. /etc)');
    }
  }
  const storage = config.storage as { path?: unknown } | undefined;
  if (storage && typeof storage.path === 'string' && isSystemPath(storage.path)) {
    issue(['storage', 'path'], 'must not be the root or a system directory: the store writes its files there');
  }
}
