import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fileGuardRails } from './guard-rails';
import { ConfigError, parseConfig } from './parse';
import type { EarshotConfig } from './schema';

export { ConfigError, parseConfig };

/**
 * Read and validate a YAML or JSON config file. Relative `storage.path` and `jsonl` sink paths resolve against the
 * config file's folder, as docker compose and eslint read theirs: the same store from any working directory.
 */
export function loadConfig(file: string): EarshotConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`cannot read file: ${(error as Error).message}`]);
  }
  const raw = /\.json$/i.test(file) ? parseJson(text, file) : parseYamlText(text, file);
  // An empty or comment-only YAML file (or JSON `null`) parses to nothing: say so, not what the schema makes of null.
  if (raw === null || raw === undefined) {
    throw new ConfigError(file, [
      'the file is empty (or only comments): expected brands, sources, alerts and storage; start from examples/earshot.config.yaml',
    ]);
  }
  const config = resolvePaths(parseConfig(raw, file), path.dirname(path.resolve(file)));
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
