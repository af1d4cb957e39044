import type { Severity } from '../core/analysis/types';
import type { AlertMessage, AlertSink } from './types';

export interface ConsoleSinkOptions {
  /** Colour by severity; only applied when the stream is a TTY. Default true. */
  color?: boolean;
  stream?: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean };
}

const SEVERITY_COLORS: Record<Severity, string> = {
  none: '\x1b[2m',
  low: '\x1b[36m',
  medium: '\x1b[33m',
  high: '\x1b[31m',
  critical: '\x1b[1;41;97m',
};
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';

/** Human-readable alerts on a terminal (stderr by default, so `--json` output on stdout stays clean). */
export function createConsoleSink(options: ConsoleSinkOptions = {}): AlertSink {
  const stream = options.stream ?? process.stderr;
  const colored = options.color !== false && stream.isTTY === true;
  return {
    name: 'console',
    async send(message: AlertMessage): Promise<void> {
      const rule = '─'.repeat(60);
      const lines = message.text.split('\n').slice(1); // the first line repeats the subject
      const out = colored
        ? `${DIM}${rule}${RESET}\n${SEVERITY_COLORS[message.severity]}${BOLD}${message.subject}${RESET}\n${lines.join('\n')}\n`
        : `${rule}\n${message.subject}\n${lines.join('\n')}\n`;
      stream.write(out);
    },
  };
}
