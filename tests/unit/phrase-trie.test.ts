import { NO_WORD, PhraseTrie, Vocabulary } from '../../lambdas/core/analysis/phrase-trie';

/** The phrases matching at each position, longest first, as the cue scanner reads them. */
function matches(trie: PhraseTrie<string>, ids: number[]): string[][] {
  return ids.map((_, at) => {
    const found: string[] = [];
    for (let d = trie.walk(ids, at) - 1; d >= 0; d--) {
      for (let k = trie.endsFrom(d); k < trie.endsTo(d); k++) found.push(trie.valueAt(k));
    }
    return found;
  });
}

describe('PhraseTrie', () => {
  const vocabulary = new Vocabulary();
  const idsOf = (text: string) => text.split(' ').map((word) => vocabulary.idOf(word));
  const trie = new PhraseTrie<string>();
  for (const phrase of ['not working', 'not', 'stopped working', 'not working at all', 'working', 'on hold']) {
    trie.add(
      phrase.split(' ').map((word) => vocabulary.intern(word)),
      phrase,
    );
  }
  trie.add([vocabulary.intern('not')], 'not (second list)');

  test('finds every phrase that starts at a position, longest first, in the order added for one length', () => {
    expect(matches(trie, idsOf('it is not working at all'))).toEqual([
      [],
      [],
      ['not working at all', 'not working', 'not', 'not (second list)'],
      ['working'],
      [],
      [],
    ]);
  });

  test('stops at a word no phrase continues with, at words in no list, and at the end of the text', () => {
    expect(matches(trie, idsOf('not at all'))).toEqual([['not', 'not (second list)'], [], []]);
    expect(matches(trie, [vocabulary.idOf('not'), NO_WORD, vocabulary.idOf('working')])).toEqual([
      ['not', 'not (second list)'],
      [],
      ['working'],
    ]);
    expect(matches(trie, idsOf('put on'))).toEqual([[], []]); // "on hold" cut off by the end
    expect(matches(trie, [])).toEqual([]);
  });

  test('ids beyond any first word, and texts far longer than any phrase, walk safely', () => {
    const unknown = vocabulary.intern('zebra');
    const long = Array.from({ length: 10_000 }, (_, k) => (k % 3 === 0 ? vocabulary.idOf('on') : unknown));
    long.push(vocabulary.idOf('hold'));
    const found = matches(trie, long);
    expect(found[long.length - 2]).toEqual(['on hold']);
    expect(found.filter((list) => list.length > 0)).toHaveLength(1);
  });

  test('many phrases sharing first words (a full table of children) are all found', () => {
    const big = new PhraseTrie<string>();
    const words = Array.from({ length: 300 }, (_, k) => vocabulary.intern(`w${k}`));
    for (let a = 0; a < 30; a++) for (let b = 0; b < 300; b++) big.add([words[a], words[b]], `${a}-${b}`);
    for (let a = 0; a < 30; a += 7) {
      for (let b = 0; b < 300; b += 13) {
        expect(matches(big, [words[a], words[b]])).toEqual([[`${a}-${b}`], []]);
      }
    }
    expect(big.walk([words[40], words[0]], 0)).toBe(0);
  });

  test('walks only the first `count` ids when given, and tells which words start a phrase', () => {
    const ids = idsOf('not working at all');
    expect(trie.walk(ids, 0)).toBe(4);
    expect(trie.walk(ids, 0, 2)).toBe(2); // "not working", the rest of the array not read
    expect(trie.walk(ids, 0, 1)).toBe(1);
    expect(trie.startsPhrase(vocabulary.idOf('not'))).toBe(true);
    expect(trie.startsPhrase(vocabulary.idOf('at'))).toBe(false); // only inside phrases
    expect(trie.startsPhrase(NO_WORD)).toBe(false);
    expect(trie.startsPhrase(vocabulary.intern('beyond every first word'))).toBe(false);
  });

  test('lays its phrases out once: valueCount, and sealing again changes nothing', () => {
    const small = new PhraseTrie<string>();
    small.add([vocabulary.intern('a')], 'a');
    small.add([vocabulary.intern('a'), vocabulary.intern('b')], 'a b');
    small.seal();
    small.seal();
    expect(small.valueCount).toBe(2);
    expect(matches(small, [vocabulary.idOf('a'), vocabulary.idOf('b')])).toEqual([['a b', 'a'], []]);
  });

  test('refuses phrases once it has been walked (its tables are laid out then)', () => {
    const sealed = new PhraseTrie<string>();
    sealed.add([vocabulary.intern('a')], 'a');
    sealed.walk([vocabulary.idOf('a')], 0);
    expect(() => sealed.add([vocabulary.intern('b')], 'b')).toThrow(/before the first walk/);
  });
});
