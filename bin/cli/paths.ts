import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The project's root folder, found from this file upwards: the same answer whether the CLI runs from its
 * TypeScript sources (bin/cli) or from the built bundle (dist/cli), so paths to bundled files never depend on
 * which one started.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'earshot')
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the earshot package above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);

/** Development data beside the clone (../shared/data): only `eval` and `bench` read it, never `npm test`. */
export const DEFAULT_DATA_DIR = path.resolve(PROJECT_ROOT, '../shared/data');
