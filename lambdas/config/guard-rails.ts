import { realpathSync } from 'node:fs';
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

/** The shortest webhook signing secret accepted: a guessable secret lets anyone push mentions (and alerts). */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** A path with symlinks resolved as far as it exists (a store folder may not exist yet). */
function real(file: string): string {
  const resolved = path.resolve(file);
  try {
    return realpathSync(resolved);
  } catch {
    const parent = path.dirname(resolved);
    return parent === resolved ? resolved : path.join(real(parent), path.basename(resolved));
  }
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Guard rails that need to know where the config file is and where `earshot` runs (checked by loadConfig, after
 * relative paths are resolved): the store stays inside the project unless the config says otherwise, and no
 * `jsonl` sink appends alerts to the config file itself. One "field: why" line each.
 */
export function fileGuardRails(
  config: {
    storage: 'memory' | { path: string; allowOutsideProject?: boolean };
    alerts: { sinks: readonly unknown[] };
  },
  configFile: string,
  cwd: string,
): string[] {
  const problems: string[] = [];
  const configDir = real(path.dirname(configFile));
  const workDir = real(cwd);
  if (config.storage !== 'memory' && !config.storage.allowOutsideProject) {
    const store = real(config.storage.path);
    if (!isInside(store, workDir) && !isInside(store, configDir)) {
      problems.push(
        `storage.path: ${config.storage.path} is outside the project (the working directory ${workDir} and the ` +
          `config file's folder ${configDir}); move it inside, or set storage.allowOutsideProject: true to keep it there`,
      );
    }
  }
  const configReal = real(configFile);
  config.alerts.sinks.forEach((sink, i) => {
    if (sink && typeof sink === 'object' && 'jsonl' in sink && typeof sink.jsonl === 'string') {
      if (real(sink.jsonl) === configReal) {
        problems.push(`alerts.sinks[${i}].jsonl: is the config file itself; alerts would be appended to it`);
      }
    }
  });
  return problems;
}

/**
 * Webhook signing secrets shorter than MIN_WEBHOOK_SECRET_LENGTH, read from the environment the local run has:
 * checked when `earshot run` starts, with the missing variables. One line each, naming the source and the variable
 * (never the value).
 */
export function weakSecrets(
  config: { sources: readonly { id: string; kind: string; enabled: boolean; secretEnv?: string }[] },
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const weak: string[] = [];
  config.sources.forEach((source, i) => {
    if (!source.enabled || source.kind !== 'webhook' || !source.secretEnv) return;
    const value = env[source.secretEnv];
    if (value && value.length < MIN_WEBHOOK_SECRET_LENGTH) {
      weak.push(
        `sources[${i}] (${source.id}).secretEnv: the secret in ${source.secretEnv} has ${value.length} ` +
          `character${value.length === 1 ? '' : 's'}; a webhook secret needs at least ${MIN_WEBHOOK_SECRET_LENGTH} ` +
          '(e.g. openssl rand -hex 32)',
      );
    }
  });
  return weak;
}
