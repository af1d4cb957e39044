import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEPLOYED_CONFIG_FILE, ENV } from '../config/env';
import { parseConfig } from '../config/parse';
import type { EarshotConfig } from '../config/schema';

let config: EarshotConfig | undefined;

/**
 * The function's config, validated once per execution environment: the file the stack bundles beside the code
 * (only the parts this function reads; no 4 KB environment ceiling), or `$EARSHOT_CONFIG_JSON` when set (tests).
 */
export function runtimeConfig(): EarshotConfig {
  config ??= readDeployedConfig();
  return config;
}

function readDeployedConfig(): EarshotConfig {
  const inline = process.env[ENV.CONFIG_JSON];
  if (inline) return parseConfig(JSON.parse(inline), `$${ENV.CONFIG_JSON}`);
  // In the bundle __dirname is the function's code directory, where the stack puts the file.
  const file = path.join(__dirname, DEPLOYED_CONFIG_FILE);
  if (!existsSync(file)) throw new Error(`No config: neither ${file} nor $${ENV.CONFIG_JSON} exists`);
  return parseConfig(JSON.parse(readFileSync(file, 'utf8')), file);
}
