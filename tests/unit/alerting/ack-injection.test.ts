import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatAlert, shellQuote } from '../../../lambdas/core/alerting/format';
import type { AlertMessage } from '../../../lambdas/core/alert';
import { createConsoleSink } from '../../../lambdas/sinks/console';
import { slackPayload } from '../../../lambdas/sinks/webhook';
import { alertRecord, mention } from './helpers';

/**
 * The printed "Acknowledge" line is run by people. Source-chosen ids (an RSS guid, a webhook id) must reach the
 * CLI as one unchanged argument, whatever they contain, in every place the line is printed.
 */

const HOSTILE_IDS = [
  'x`; touch PWNED; `',
  "x'; touch PWNED; '",
  'x$(touch PWNED)',
  '$(touch PWNED)`touch PWNED`',
  'a"b"c;touch PWNED',
  'line1\ntouch PWNED\n',
  'nul\u0000byte; touch PWNED',
  '-rf --config /etc/passwd',
  '#comment',
  '~/x & touch PWNED | cat > PWNED',
  '<!channel> <https://evil.example|x> *bold* _it_ `code`',
  'plain_id-1.2',
];

let dir: string;
let stubDir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-ack-'));
  stubDir = path.join(dir, 'bin');
  fs.mkdirSync(stubDir);
  // A stand-in `npx` that records the arguments it was given, NUL-separated.
  fs.writeFileSync(path.join(stubDir, 'npx'), '#!/bin/bash\nprintf \'%s\\0\' "$@" > "$ARGS_OUT"\n', { mode: 0o755 });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Run one printed line as a person pasting it into bash would; return the arguments `npx` received. */
function runPrinted(line: string): string[] {
  const out = path.join(dir, 'args.json');
  fs.rmSync(out, { force: true });
  execFileSync('bash', ['-c', line], {
    cwd: dir,
    env: { ...process.env, PATH: `${stubDir}:${process.env.PATH}`, ARGS_OUT: out },
    stdio: 'pipe',
  });
  expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
  return fs.readFileSync(out, 'utf8').split('\0').slice(0, -1);
}

/** The ids the CLI ends up with: `--encoded` arguments are percent-decoded, as `earshot triage` does. */
function idsReceived(args: string[], command: string): string[] {
  expect(args.slice(0, 3)).toEqual(['earshot', 'triage', command]);
  const rest = args.slice(3);
  const configAt = rest.indexOf('--config');
  const positional = configAt >= 0 ? rest.slice(0, configAt) : rest;
  return positional[0] === '--encoded' ? positional.slice(1).map(decodeURIComponent) : positional;
}

function ackLine(text: string): string {
  const line = text.split('\n').find((l) => l.startsWith('Acknowledge: '));
  expect(line).toBeDefined();
  return line!.slice('Acknowledge: '.length);
}

/** Every place a person can copy the command from. Slack shows `&amp;`, `&lt;`, `&gt;` as the characters. */
async function printedCommands(message: AlertMessage): Promise<string[]> {
  let consoleOut = '';
  await createConsoleSink({ color: false, stream: { write: (s: string) => ((consoleOut += s), true) } }).send(message);
  const slack = slackPayload(message);
  const unSlack = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const sectionText = (slack.blocks[1] as { text: { text: string } }).text.text;
  const lines = [
    ackLine(consoleOut),
    message.json.acknowledge!.cli,
    ...(message.json.chatbot.content.nextSteps ?? []),
    ackLine(unSlack(slack.text)),
    ackLine(unSlack(sectionText)),
  ];
  expect(lines).toHaveLength(5);
  return [...new Set(lines)];
}

describe('printed acknowledge commands', () => {
  test.each(HOSTILE_IDS)('a mention id %j reaches the CLI as one unchanged argument', async (id) => {
    const configPath = "my configs/it's.yaml";
    const message = formatAlert('mention', {
      alertId: `mention#news#${id}`,
      configPath,
      mention: mention('Terrible, nobody replied', { sourceId: 'news', id }),
    });
    for (const line of await printedCommands(message)) {
      const args = runPrinted(line);
      expect(idsReceived(args, 'ack')).toEqual(['news', id]);
      expect(args.slice(-2)).toEqual(['--config', configPath]);
    }
    // The API route names the same id, percent-encoded as one path segment.
    const route = message.json.acknowledge!.api;
    const [, source, encodedId] = /^POST \/triage\/([^/]+)\/([^/]+)\/ack$/.exec(route)!;
    expect([decodeURIComponent(source), decodeURIComponent(encodedId)]).toEqual(['news', id]);
  });

  test.each(HOSTILE_IDS)('an escalation of a mention alert with id %j prints a safe command', async (id) => {
    const message = formatAlert('escalation', {
      alertId: `escalation#mention#news#${id}#1`,
      level: 1,
      original: alertRecord({ alertId: `mention#news#${id}`, mentionKey: `news#${id}` }),
    });
    for (const line of await printedCommands(message))
      expect(idsReceived(runPrinted(line), 'ack')).toEqual(['news', id]);
  });

  test.each(HOSTILE_IDS)('a spike alert acknowledged by an alert id containing %j', async (id) => {
    const alertId = `spike#${id}#2024-05-01T12`;
    const message = formatAlert('spike', {
      spike: {
        alertId,
        brandId: 'acme',
        hour: '2024-05-01T12',
        observed: 30,
        expected: 2,
        spread: 1,
        threshold: 8,
        baselineHours: 168,
      },
    });
    for (const line of await printedCommands(message)) {
      expect(idsReceived(runPrinted(line), 'ack-alert')).toEqual([alertId]);
    }
  });

  test('plain ids stay readable', () => {
    const message = formatAlert('mention', {
      alertId: 'mention#acme-reddit#t3_abc',
      mention: mention('Terrible', { sourceId: 'acme-reddit', id: 't3_abc' }),
    });
    expect(message.json.acknowledge!.cli).toBe('npx earshot triage ack acme-reddit t3_abc');
  });

  test('shellQuote keeps any printable value one argument', () => {
    for (const value of ["it's", 'a b', '$(x)', '`x`', '#x', '-x', 'a;b', 'plain']) {
      expect(runPrinted(`npx ${shellQuote(value)}`)).toEqual([value]);
    }
  });
});
