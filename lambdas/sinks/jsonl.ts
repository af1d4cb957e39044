import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AlertMessage, AlertSink } from './types';

/** One JSON line per alert, appended to a file (its folder is created). */
export function createJsonlSink(filePath: string, clock: () => Date = () => new Date()): AlertSink {
  const path = resolve(filePath);
  return {
    name: `jsonl:${filePath}`,
    async send(message: AlertMessage): Promise<void> {
      await mkdir(dirname(path), { recursive: true });
      const line = {
        at: clock().toISOString(),
        alertId: message.alertId,
        kind: message.kind,
        severity: message.severity,
        brand: message.brandId,
        subject: message.subject,
        attributes: message.attributes,
        text: message.text,
        json: message.json,
      };
      // One appendFile call per line: a single write, so concurrent runs do not interleave within a line.
      await appendFile(path, `${JSON.stringify(line)}\n`, 'utf8');
    },
  };
}
