import type { EarshotConfig } from './schema';

/**
 * The environment variables a config names (`…Env` options of enabled sources and of alert sinks) that are not
 * set: checked when `earshot run` starts, before any poll, so a missing credential is one clear error rather
 * than a failing source or an alert that cannot be sent hours later. One line per variable, naming who needs it.
 */
export function missingEnvironment(config: EarshotConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  const missing: string[] = [];
  const check = (where: string, options: object) => {
    for (const [key, name] of Object.entries(options)) {
      if (key.endsWith('Env') && typeof name === 'string' && !env[name]) {
        missing.push(`${where}.${key}: environment variable ${name} is not set`);
      }
    }
  };
  config.sources.forEach((source, i) => {
    if (source.enabled) check(`sources[${i}] (${source.id})`, source);
  });
  config.alerts.sinks.forEach((sink, i) => {
    if (typeof sink === 'object') check(`alerts.sinks[${i}]`, sink);
  });
  return missing;
}
