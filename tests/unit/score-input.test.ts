import { Readable, Writable } from 'node:stream';
import { readPlainLine } from '../../bin/cli/score-input';
import { scoreJsonLineToJson, scoreJsonlStream } from '../../bin/cli/score';
import { generateBenchTexts } from '../../bin/cli/bench-texts';

function read(line: string | Buffer) {
  const bytes = typeof line === 'string' ? Buffer.from(line) : line;
  return readPlainLine(bytes, 0, bytes.length);
}

/** Lines the byte reader takes: flat objects of score's fields, strings without escapes. */
const PLAIN = [
  '{"id":"1","text":"great"}',
  ' { "id" : "a b" ,\t"text" : "Giao hàng chậm 😡" , "language" : "vi" }\r',
  '{"text":"x","id":12,"title":"Tệ quá","rating":4.5}',
  '{"id":-0.50,"text":"x","lang":"en","rating":-0}',
  '{"id":9007199254740993,"text":"","rating":1e400}',
  '{"id":"x","text":"bad \uFFFD byte"}',
];

/** Lines left to JSON.parse and the schema: anything else, valid or not. */
const OTHER = [
  '{"id":"1","text":"say \\"hi\\""}', // an escape
  '{"id":"1","text":"tab\tinside"}', // a raw control character (invalid JSON)
  '{"id":"1","text":"a","text":"b"}', // a repeated field
  '{"id":"1","text":"a","source":"x"}', // another field
  '{"id":"1","text":"a","meta":{"k":1}}',
  '{"id":"","text":"a"}', // an empty id
  '{"id":"1"}', // no text
  '{"id":"1","text":"a","language":"vi","lang":"en"}', // both hints
  '{"id":"1","text":5}',
  '{"id":"1","text":"a","rating":"5"}',
  '{"id":null,"text":"a"}',
  '{"id":01,"text":"a"}', // not a JSON number
  '{"id":1.,"text":"a"}',
  '{"id":"1","text":"a"} x',
  '{"id":"1","text":"a",}',
  '{"id":"1","text":"a"',
  '{}',
  '[1]',
  '',
  '   ',
];

describe('readPlainLine', () => {
  it('reads the common line as JSON.parse reads it, numeric ids as their source text', () => {
    expect(PLAIN.map(read)).toEqual([
      { id: '1', text: 'great', lang: undefined, title: undefined, rating: undefined },
      { id: 'a b', text: 'Giao hàng chậm 😡', lang: 'vi', title: undefined, rating: undefined },
      { id: '12', text: 'x', lang: undefined, title: 'Tệ quá', rating: 4.5 },
      { id: '-0.50', text: 'x', lang: 'en', title: undefined, rating: -0 },
      { id: '9007199254740993', text: '', lang: undefined, title: undefined, rating: Infinity },
      { id: 'x', text: 'bad \uFFFD byte', lang: undefined, title: undefined, rating: undefined },
    ]);
  });

  it('decodes bytes that are not UTF-8 as a decoder of the whole line does', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"id":"1","text":"bad '),
      Buffer.from([0xff, 0xe1, 0xba]),
      Buffer.from('"}'),
    ]);
    const whole = JSON.parse(bytes.toString('utf8')) as { text: string };
    expect(read(bytes)?.text).toBe(whole.text);
  });

  it('leaves every other line to JSON.parse and the schema', () => {
    for (const line of OTHER) expect(read(line)).toBeNull();
  });

  it('reads only its own bytes of a larger buffer', () => {
    const bytes = Buffer.from('{"id":"1","text":"a"}\n{"id":"2","text":"b"}');
    expect(readPlainLine(bytes, 0, 21)).toMatchObject({ id: '1', text: 'a' });
    expect(readPlainLine(bytes, 22, bytes.length)).toMatchObject({ id: '2', text: 'b' });
    expect(readPlainLine(bytes, 0, 20)).toBeNull(); // cut before the closing brace
  });
});

describe('score --jsonl from the bytes and from the string', () => {
  it('writes the same line for a line read from its bytes as for the line parsed by JSON.parse', async () => {
    const texts = generateBenchTexts(200);
    const lines = [
      ...PLAIN,
      ...OTHER,
      ...texts.map((text, i) => JSON.stringify({ id: String(i), text, ...(i % 4 === 0 ? { rating: i % 5 } : {}) })),
      '\uFEFF{"id":"bom","text":"fine"}',
    ];
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString();
        done();
      },
    });
    await scoreJsonlStream(Readable.from([Buffer.from(lines.join('\n') + '\n')]), sink);
    const expected = lines
      .map((line, i) => (line.trim() === '' ? null : scoreJsonLineToJson(line.replace(/^\uFEFF|\r$/g, ''), i + 1)))
      .filter((line) => line !== null);
    expect(out.trimEnd().split('\n')).toEqual(expected);
  });
});
