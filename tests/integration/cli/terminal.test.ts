import { spawn } from 'node:child_process';
import { Terminal } from '@xterm/headless';
import { earshot, linkedBin } from './earshot';

/**
 * The demo in a real terminal: util-linux `script` gives it a pseudo-terminal (so the progress bar draws, as for a
 * person), and @xterm/headless plays the bytes it wrote onto a 120×60 screen with scrollback, as a terminal would:
 * cursor moves, line clears and wraps included. What that screen shows must be exactly what a pipe gets.
 */

const COLS = 120;
const ROWS = 60;

function underPty(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', `stty cols ${COLS} rows ${ROWS}; ${command}`, '/dev/null'], {
      env: { ...process.env, TERM: 'xterm-256color' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let raw = '';
    child.stdout.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(raw) : reject(new Error(`exit ${code}: ${raw}`))));
  });
}

/** The screen and its scrollback after `raw`, one entry per logical line (a wrapped line joined back). */
async function screenLines(raw: string): Promise<string[]> {
  const term = new Terminal({ cols: COLS, rows: ROWS, scrollback: 5000, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(raw, resolve));
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) {
    const line = buffer.getLine(y)!;
    const text = line.translateToString(true);
    if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  term.dispose();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const RULE = '─'.repeat(60);
const samePort = (text: string) => text.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');

describe('the demo in a terminal', () => {
  it('draws a progress bar, and the final screen shows every alert intact: the same lines a pipe gets', async () => {
    const [raw, piped] = await Promise.all([underPty(`${linkedBin()} demo`), earshot(['demo'])]);
    // The bar did draw (so this is the terminal path), and left nothing behind.
    expect(raw).toMatch(/░+.* \d+\/\d+ poll/);
    const screen = (await screenLines(raw)).map(samePort);
    expect(screen.join('\n')).not.toMatch(/[░█]/);

    const expected = samePort(piped.stdout).trimEnd().split('\n');
    const subjects = expected.filter((_, i) => expected[i - 1] === RULE);
    expect(subjects.length).toBeGreaterThanOrEqual(8); // four alerts, four escalations
    for (const subject of subjects) expect(screen).toContain(subject);
    expect(screen).toEqual(expected);
  }, 120_000);
});
