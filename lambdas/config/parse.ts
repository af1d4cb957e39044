import type * as z from 'zod/mini';
import { EarshotError } from '../core/errors';
import {
  CONFIG_PARTS,
  configSchemaFor,
  SOURCE_KINDS,
  type ConfigPart,
  type EarshotConfig,
  type SourceKind,
} from './schema';

/**
 * Validating a config object, without reading files or YAML: what a Lambda needs at cold start for its bundled
 * JSON config (handlers/deployed-config.ts), so its bundle carries no YAML parser. load.ts adds the file reading.
 */

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
  return parseConfigParts(raw, CONFIG_PARTS, source);
}

/**
 * Validate a config that has only these parts (a Lambda's deployed file): the same checks and messages for each,
 * any other key is unknown, and the other parts' schemas are never built.
 */
export function parseConfigParts<P extends ConfigPart>(
  raw: unknown,
  parts: readonly P[],
  source = '(inline)',
): Pick<EarshotConfig, P> {
  // A config is parsed once per process: zod's compiled fast path (jit) costs more to build than it saves here.
  const result = configSchemaFor(sourceKindsIn(raw), parts).safeParse(raw, { jitless: true });
  if (!result.success) {
    throw new ConfigError(source, result.error.issues.flatMap(describeIssue));
  }
  return result.data;
}

/**
 * The source kinds a raw config names, when every source has a known one: its schema then builds only those (a
 * Lambda's deployed config names one or two). Anything else gets every kind, so its errors are the full union's.
 */
function sourceKindsIn(raw: unknown): readonly SourceKind[] {
  const sources = raw && typeof raw === 'object' ? (raw as { sources?: unknown }).sources : undefined;
  if (sources === undefined) return [];
  if (!Array.isArray(sources)) return SOURCE_KINDS;
  const named = new Set<unknown>(
    sources.map((item: unknown) => (item && typeof item === 'object' ? (item as { kind?: unknown }).kind : undefined)),
  );
  const kinds = SOURCE_KINDS.filter((kind) => named.has(kind));
  return kinds.length === named.size ? kinds : SOURCE_KINDS;
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
      return `${where}: must be one of ${SOURCE_KINDS.join(', ')}`;
    }
  }
  return `${where}: ${issue.message}`;
}
