import * as fs from 'node:fs';
import * as path from 'node:path';

/** The development data folder CI places beside the clone (../shared/data): read for measuring, never copied. */
export const SHARED_DATA = path.resolve(__dirname, '../../shared/data');

/** Rows of one JSONL file of the shared data; a clear error when the folder is not beside the clone. */
export function readSharedJsonl<T>(file: string): T[] {
  const full = path.join(SHARED_DATA, file);
  if (!fs.existsSync(full)) {
    throw new Error(`Shared data ${full} is missing: the shared/ data folder must sit beside the repo clone.`);
  }
  return fs
    .readFileSync(full, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
