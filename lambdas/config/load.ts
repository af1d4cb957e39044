import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { EarshotError } from '../core/errors';
import { fileGuardRails } from './guard-rails';
import { configSchema, type EarshotConfig } from './schema';

/** A config that failed validation; `issues` are "field.path: why" lines. */
export class ConfigError extends EarshotError {
  override readonly name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`Invalid config ${source}:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`, 'invalid_config', 500);
  }
}

function formatPath(segments: PropertyKey[]): string {
  return segments.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    return out ? `${out}.${String(segment)}` : String(segment);
  }, '');
}

/** Validate a parsed config object; throws ConfigError naming each bad field and why. */
export function parseConfig(raw: unknown, source = '(inline)'): EarshotConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(source, result.error.issues.flatMap(describeIssue));
  }
  return result.data;
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    // schema.ts's message holds one line per key, in order: each key gets its own "path.key: why".
    const why = issue.message.split('\n');
    return issue.keys.map((key, i) => `${formatPath([...issue.path, key])}: ${why[i] ?? 'unknown option'}`);
  }
  return [describeOne(issue)];
}

function describeOne(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path) || '(root)';
  if (issue.code === 'invalid_union' && issue.path.length > 0) {
    // Discriminated unions on `kind`: say which kinds exist rather than dumping every branch.
    if ('note' in issue && issue.note === 'No matching discriminator') {
      return `${where}: must be one of ${configSchema.shape.sources
        .unwrap()
        .element.options.map((o) => o.shape.kind.value)
        .join(', ')}`;
    }
  }
  return `${where}: ${issue.message}`;
}

/** Read and validate a YAML or JSON config file; relative storage/jsonl paths resolve against the working directory, where `earshot` runs. */
export function loadConfig(file: string): EarshotConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`cannot read file: ${(error as Error).message}`]);
  }
  const raw = /\.json$/i.test(file) ? parseJson(text, file) : parseYamlText(text, file);
  const config = resolvePaths(parseConfig(raw, file), process.cwd());
  const problems = fileGuardRails(config, file, process.cwd());
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config;
}

function parseYamlText(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new ConfigError(file, [`not valid YAML: ${(error as Error).message}`]);
  }
}

/** A .json config is read as JSON, and its syntax errors are told in JSON terms with line and column. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    let where = '';
    if (position) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      where = ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
    }
    throw new ConfigError(file, [`not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}`]);
  }
}

function resolvePaths(config: EarshotConfig, baseDir: string): EarshotConfig {
  const storage =
    config.storage === 'memory'
      ? config.storage
      : { ...config.storage, path: path.resolve(baseDir, config.storage.path) };
  const sinks = config.alerts.sinks.map((sink) =>
    typeof sink === 'object' && 'jsonl' in sink ? { jsonl: path.resolve(baseDir, sink.jsonl) } : sink,
  );
  return { ...config, storage, alerts: { ...config.alerts, sinks } };
}
