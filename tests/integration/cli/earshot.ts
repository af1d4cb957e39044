import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * The CLI as a user starts it: npm (and npx, from its cache) puts a symlink to bin/earshot.js in
 * node_modules/.bin and runs the symlink itself, through its `#!/usr/bin/env node` line. So do the tests.
 */

export const REAL_BIN = path.resolve(__dirname, '../../../bin/earshot.js');

let linked: string | undefined;
/** A `node_modules/.bin/earshot` symlink to the project's bin, made once per test file. */
export function linkedBin(): string {
  if (!linked) {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'earshot-bin-')), 'node_modules', '.bin');
    mkdirSync(dir, { recursive: true });
    linked = path.join(dir, 'earshot');
    symlinkSync(REAL_BIN, linked);
  }
  return linked;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `earshot ARGS` through the symlinked bin; `input` is its stdin. */
export function earshot(
  args: string[],
  options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(linkedBin(), args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
