import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEPLOYED_CONFIG_FILE, DEPLOYED_CONFIG_PARTS, ENV, type DeployedPart, type HandlerName } from '../config/env';
import { parseConfig, parseConfigParts } from '../config/parse';
import type { EarshotConfig } from '../config/schema';

/** What a function's config holds: the parts it reads (DEPLOYED_CONFIG_PARTS). */
export type DeployedConfig<H extends HandlerName> = Pick<EarshotConfig, DeployedPart<H>>;

const configs = new Map<HandlerName, unknown>();

/**
 * The function's config, validated once per execution environment: the file the stack bundles beside the code
 * (only the parts this function reads, and only those are validated; no 4 KB environment ceiling), or
 * `$EARSHOT_CONFIG_JSON` when set (tests and local harnesses: a whole config).
 */
export function runtimeConfig<H extends HandlerName>(handler: H): DeployedConfig<H> {
  let config = configs.get(handler) as DeployedConfig<H> | undefined;
  if (!config) configs.set(handler, (config = readDeployedConfig(handler)));
  return config;
}

function readDeployedConfig<H extends HandlerName>(handler: H): DeployedConfig<H> {
  const inline = process.env[ENV.CONFIG_JSON];
  if (inline) return parseConfig(JSON.parse(inline), `$${ENV.CONFIG_JSON}`);
  // In the bundle __dirname is the function's code directory, where the stack puts the file.
  const file = path.join(__dirname, DEPLOYED_CONFIG_FILE);
  if (!existsSync(file)) throw new Error(`No config: neither ${file} nor $${ENV.CONFIG_JSON} exists`);
  const parts: readonly DeployedPart<H>[] = DEPLOYED_CONFIG_PARTS[handler];
  return parseConfigParts(JSON.parse(readFileSync(file, 'utf8')), parts, file);
}
