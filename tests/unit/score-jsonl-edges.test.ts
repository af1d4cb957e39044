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

describe('score --jsonl lines cut from the bytes', () => {
  test('a character split across chunks is read whole, and ASCII and Vietnamese lines share chunks', async () => {
    const bytes = Buffer.from(
      '{"id":"vi","text":"Thất vọng 😡, giao hàng chậm"}\n{"id":"en","text":"Refund please!"}\n{"id":"vi2","text":"ổn"}\n',
    );
    const whole = await score([bytes]);
    // Every cut: inside the 3-byte "ấ", the 4-byte emoji and the 3-byte "ổ", and next to the newlines.
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await score([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
    expect(whole.map((o) => o.id)).toEqual(['vi', 'en', 'vi2']);
    expect(whole[0].language).toBe('vi');
  });

  test('bytes that are not UTF-8 read as replacement characters, as a decoder of the whole input reads them', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"id":"1","text":"bad '),
      Buffer.from([0xff, 0xe1, 0xba]),
      Buffer.from(' byte"}\n{"id":"2","text":"ok"}\n'),
    ]);
    const out = await score([bytes.subarray(0, 22), bytes.subarray(22)]);
    expect(out.map((o) => o.id)).toEqual(['1', '2']);
    expect(out[0]).toEqual((await score([new TextDecoder().decode(bytes)]))[0]);
  });

  test('the 1 MB bound counts characters, not bytes: 600,000 three-byte letters are one line', async () => {
    const text = 'ấ'.repeat(600_000);
    const line = Buffer.from(JSON.stringify({ id: 'wide', text }) + '\n');
    const chunks = [];
    for (let at = 0; at < line.length; at += 64 * 1024) chunks.push(line.subarray(at, at + 64 * 1024));
    const out = await score(chunks);
    expect(out).toHaveLength(1);
    expect(out[0].id).toBe('wide');
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
