import { PassThrough } from 'node:stream';
import {
  scoreJsonLine,
  scoreJsonLineToJson,
  scoreJsonlStream,
  serializeScore,
  type ScoreOutput,
} from '../../bin/cli/score';
import { generateBenchTexts } from '../../bin/cli/bench-texts';

const TEXTS = [
  'I paid for premium and waited 3 hours, nobody answered. Cancelling!!! 😡 @AcmeSupport #fail',
  'Giao hàng chậm, sản phẩm không như hình, thất vọng',
  'giao hang cham, san pham khong nhu hinh, that vong qua',
  'He said "fine" \\ then left\ttab\u2028line',
  'Love it 😍',
  '',
  '🤷',
  ...generateBenchTexts(300),
];

describe('serializeScore', () => {
  it('writes exactly what JSON.stringify writes, for analyses and errors', () => {
    for (const [i, text] of TEXTS.entries()) {
      const out = scoreJsonLine(JSON.stringify({ id: `id-${i}"\u00e9`, text, rating: i % 5 }));
      expect(serializeScore(out)).toBe(JSON.stringify(out));
    }
    const error: ScoreOutput = { id: null, error: 'not valid JSON: "x"' };
    expect(serializeScore(error)).toBe(JSON.stringify(error));
  });

  it('the line writer of the stream writes JSON.stringify of scoreJsonLine, for analyses and errors', () => {
    const lines = [
      ...TEXTS.map((text, i) => JSON.stringify({ id: `id-${i}"\u00e9`, text, title: i % 3 ? 'Tệ quá' : undefined })),
      '{"id":"1","text":5}',
      '{"id":"x","text":"ok","language":"klingon"}',
      'not json',
      '{"id":12345678901234567890,"text":"great"}',
    ];
    for (const line of lines) expect(scoreJsonLineToJson(line)).toBe(JSON.stringify(scoreJsonLine(line)));
  });

  it('writes numbers outside the score tables, and non-finite ones, as JSON.stringify does', () => {
    const base = scoreJsonLine(JSON.stringify({ id: '1', text: 'terrible service, never again' }));
    if ('error' in base) throw new Error(base.error);
    for (const x of [0, -0, 1, -1, 0.1234, 0.12345, 1e-7, 2.5, -0.0001, Number.NaN, Number.POSITIVE_INFINITY]) {
      const out = { ...base, memorability: x, sentiment: { ...base.sentiment, compound: x } };
      expect(serializeScore(out)).toBe(JSON.stringify(out));
    }
  });

  it('escapes ids and evidence as JSON.stringify does, and only quotes the plain ones', () => {
    const base = scoreJsonLine(JSON.stringify({ id: '1', text: 'terrible service, never again' }));
    if ('error' in base) throw new Error(base.error);
    const odd = ['say "hi"', 'back\\slash', 'tab\t', '\u0000\u001f', 'lone \ud83d', 'lone \ude00 low', '😡 pair'];
    const plain = ['on hold', 'giao hàng chậm', 'line\u2028sep', 'DEL\u007f', ''];
    for (const text of [...odd, ...plain]) {
      const out: ScoreOutput = {
        ...base,
        id: text,
        cues: [{ name: 'effort', strength: 0.5, evidence: ['plain', text] }],
        aspects: ['time', 'price'],
      };
      expect(serializeScore(out)).toBe(JSON.stringify(out));
    }
  });

  it('falls back to JSON.stringify for an analysis with a field it does not know', () => {
    const base = scoreJsonLine(JSON.stringify({ id: '1', text: 'fine' }));
    const out = { ...base, extra: { nested: true } } as unknown as ScoreOutput;
    expect(serializeScore(out)).toBe(JSON.stringify(out));
  });
});

describe('scoreJsonLine', () => {
  it('takes numeric ids and optional fields, and says which field is wrong', () => {
    const ok = scoreJsonLine('{"id":7,"text":"ok","lang":"en","title":"t","rating":4}');
    expect(ok.id).toBe('7');
    expect('error' in ok).toBe(false);
    expect(scoreJsonLine('{"id":"1","text":5}')).toEqual({ id: '1', error: 'text: text must be a string' });
    expect(scoreJsonLine('{"id":"2","text":"x","rating":"5"}')).toMatchObject({ id: '2', error: /^rating: / });
    expect(scoreJsonLine('[1]')).toMatchObject({ id: null, error: /./ });
    expect(scoreJsonLine('{"text":')).toMatchObject({ id: null, error: /^not valid JSON/ });
  });
});

describe('scoreJsonlStream', () => {
  async function run(chunks: string[]): Promise<{ count: number; lines: ScoreOutput[] }> {
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.on('data', (data: Buffer) => (written += data.toString('utf8')));
    const done = scoreJsonlStream(input, output);
    for (const chunk of chunks) input.write(chunk);
    input.end();
    const count = await done;
    return {
      count,
      lines:
        written.trim() === ''
          ? []
          : written
              .trimEnd()
              .split('\n')
              .map((l) => JSON.parse(l)),
    };
  }

  it('splits lines across chunks, drops CR and blank lines, and scores a last line without a newline', async () => {
    const body = '{"id":"a","text":"great"}\r\n\n  \n{"id":"b","te' + 'xt":"awful"}\nnot json\n{"id":"c","text":"ok"}';
    const { count, lines } = await run([body.slice(0, 10), body.slice(10, 40), body.slice(40)]);
    expect(count).toBe(4);
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', null, 'c']);
    // Line 5 of the input: blank lines count, so the number finds the line in the file.
    expect(lines[2]).toMatchObject({ error: /^line 5: not valid JSON/ });
  });

  it('keeps every line of a long input, in order, through many output blocks', async () => {
    const texts = generateBenchTexts(3000);
    const body = texts.map((text, i) => JSON.stringify({ id: String(i), text })).join('\n') + '\n';
    const { count, lines } = await run([body]);
    expect(count).toBe(3000);
    expect(lines.map((l) => l.id)).toEqual(texts.map((_, i) => String(i)));
  });
});
