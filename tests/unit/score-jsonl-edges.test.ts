import { Readable, Writable } from 'node:stream';
import { MAX_LINE_CHARS, rawNumericId, scoreJsonlStream } from '../../bin/cli/score';

/** `score --jsonl` input edges: ids exactly as given, one line is one record, bounded lines. */

async function score(chunks: (string | Buffer)[]): Promise<Record<string, unknown>[]> {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  await scoreJsonlStream(Readable.from(chunks), sink);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('score --jsonl edges', () => {
  test('numeric ids keep their source text (no rounding into another id)', async () => {
    const out = await score([
      '{"id": 9007199254740993, "text": "ok"}\n{"id": 9007199254740992, "text": "ok"}\n{"id": 1e3, "text": "x"}\n{"id":-0.50,"text":"x"}\n',
    ]);
    expect(out.map((o) => o.id)).toEqual(['9007199254740993', '9007199254740992', '1e3', '-0.50']);
  });

  test('the scanner reads only the top-level id', () => {
    expect(rawNumericId('{"meta":{"id":5},"text":"\\"id\\": 6","id":7}')).toBe('7');
    expect(rawNumericId('{"id":"12","x":{"id":3}}')).toBeUndefined();
    expect(rawNumericId('{"id": null}')).toBeUndefined();
  });

  test('an empty, missing or mistyped id is refused with its line and what an id must be', async () => {
    const out = await score([
      '{"id": "", "text": "terrible"}\n{"text": "no id"}\n\n{"id": null, "text": "x"}\n{"id": {"n": 1}, "text": "x"}\n',
    ]);
    expect(out).toEqual([
      { id: '', error: 'line 1: id: required, a non-empty string or number' },
      { id: null, error: 'line 2: id: required, a non-empty string or number' },
      { id: null, error: 'line 4: id: required, a non-empty string or number' },
      { id: null, error: 'line 5: id: required, a non-empty string or number' },
    ]);
  });

  test('every error line names its input line', async () => {
    const out = await score([
      '{"id":"a","text":"ok"}\nnot json\n[1]\n{"id":"t","text":5}\n{"id":"l","text":"x","lang":"xx"}\n',
    ]);
    expect(out.slice(1).map((o) => o.error)).toEqual([
      expect.stringMatching(/^line 2: not valid JSON: /),
      'line 3: not a JSON object ({"id": …, "text": …})',
      expect.stringMatching(/^line 4: text: /),
      expect.stringMatching(/^line 5: language: unknown language "xx"/),
    ]);
  });

  test('a BOM is accepted, and only \\n ends a line (a raw CR is part of it)', async () => {
    const out = await score([
      '\uFEFF{"id":"a","text":"fine"}\r\n{"id":"b\r2","text":"one\rline"}\n{"id":"c",',
      '"text":"split chunk"}',
    ]);
    expect(out.map((o) => o.id)).toEqual(['a', 'b\r2', 'c']);
    expect(out.every((o) => !('error' in o))).toBe(true);
  });

  test('an overlong line gets one error and the lines around it are scored', async () => {
    const chunk = Buffer.alloc(256 * 1024, 'a');
    const long = [
      Buffer.from('{"id":"big","text":"'),
      ...Array(Math.ceil(MAX_LINE_CHARS / chunk.length) + 2).fill(chunk),
    ];
    const out = await score([
      '{"id":"before","text":"ok"}\n',
      ...long,
      Buffer.from('"}\n{"id":"after","text":"ok"}\n'),
    ]);
    expect(out).toHaveLength(3);
    expect(out[0].id).toBe('before');
    expect(out[1]).toEqual({ id: null, error: 'line 2: longer than 1 MB: skipped' });
    expect(out[2].id).toBe('after');
  });
});

describe('score --jsonl output blocks', () => {
  test('an output line larger than a block (a huge id) is written whole, in its place', async () => {
    const id = 'x'.repeat(300_000) + 'é';
    const out = await score([
      '{"id":"a","text":"fine"}\n',
      JSON.stringify({ id, text: 'terrible, broken' }) + '\n',
      '{"id":"b","text":"ok"}\n',
    ]);
    expect(out.map((o) => o.id)).toEqual(['a', id, 'b']);
  });
});
