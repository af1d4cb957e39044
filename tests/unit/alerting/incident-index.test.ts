import { assignIncident, IncidentIndex, mentionSignature } from '../../../lambdas/core/alerting/incidents';
import type { Aspect, Severity } from '../../../lambdas/core/analysis/types';
import type { Incident } from '../../../lambdas/core/incident';
import type { StoredMention } from '../../../lambdas/core/mention';
import { NOW, defaultAlerts, incident, mention } from './helpers';

/**
 * The open-incident index must change nothing but the cost: on any stream of mentions, grouping over the index
 * picks the same incident (or opens the same new one) as the linear scan over every open incident.
 */

const cfg = { ...defaultAlerts.incidents, ignoreWords: ['acme'] };

/** Mulberry32: the same stream on every run, so a failure names its seed and replays. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Problems share some words (generic complaint words, "flight", "order") so candidates overlap partly: the cases
// where a wrong candidate set would show.
const EN_PROBLEMS = [
  ['lost', 'baggage', 'luggage', 'claim', 'desk', 'flight'],
  ['refund', 'order', 'charged', 'twice', 'card', 'bank'],
  ['delivery', 'package', 'late', 'courier', 'order', 'tracking'],
  ['app', 'crash', 'login', 'update', 'password', 'screen'],
  ['hold', 'phone', 'support', 'agent', 'call', 'transferred'],
  ['battery', 'charger', 'laptop', 'screen', 'broken', 'warranty'],
  ['room', 'dirty', 'hotel', 'booking', 'cancelled', 'reception'],
  ['food', 'cold', 'waiter', 'rude', 'table', 'dinner'],
  ['seat', 'delayed', 'gate', 'flight', 'boarding', 'cancelled'],
  ['subscription', 'cancel', 'charged', 'plan', 'premium', 'account'],
];
const VI_PROBLEMS = [
  ['mất', 'hành', 'lý', 'chuyến', 'bay', 'sân'],
  ['giao', 'hàng', 'chậm', 'đơn', 'shipper', 'ngày'],
  ['hoàn', 'tiền', 'đơn', 'hàng', 'thẻ', 'trừ'],
  ['máy', 'lỗi', 'đổi', 'trả', 'bảo', 'hành'],
];
const FILLER = [
  'terrible',
  'worst',
  'never',
  'again',
  'still',
  'waiting',
  'customer',
  'service',
  'week',
  'hours',
  'really',
];
const ASPECTS: Aspect[] = ['service', 'time', 'price', 'function', 'appeal', 'environment'];
const SOURCES = ['acme-reddit', 'acme-hn', 'acme-desk'];

function pickFrom<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)];
}

/** One flagged mention: a few words of a problem, some filler, sometimes a flight or order number. */
function randomMention(random: () => number, n: number, brandId: string): StoredMention {
  const vietnamese = random() < 0.25;
  const problem = pickFrom(random, vietnamese ? VI_PROBLEMS : EN_PROBLEMS);
  const words: string[] = [];
  const count = 2 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) words.push(pickFrom(random, problem));
  for (let i = Math.floor(random() * 3); i > 0; i--) words.push(pickFrom(random, FILLER));
  if (random() < 0.3) words.push(`AC${100 + Math.floor(random() * 6)}`); // few numbers: they must recur
  if (random() < 0.1) words.push(String(2 + Math.floor(random() * 5)));
  const aspects = ASPECTS.filter(() => random() < 0.3);
  return mention(words.join(' '), {
    id: `r${n}`,
    brandId,
    sourceId: pickFrom(random, SOURCES),
    analysis: {
      language: vietnamese ? 'vi' : 'en',
      aspects,
      severity: pickFrom<Severity>(random, ['low', 'medium', 'high']),
    },
  });
}

/** Comparable view of an assignment. */
function view(result: ReturnType<typeof assignIncident>) {
  return { isNew: result.isNew, duplicate: result.duplicate, similarity: result.similarity, incident: result.incident };
}

describe('IncidentIndex: grouping over the index picks what the linear scan picks', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'seeded stream %i: 400 mentions, two brands, retries, closes, time passing',
    (seed) => {
      const random = seeded(seed);
      // The linear side holds every open incident of every brand (the old listOpenIncidents per brand, unioned);
      // the indexed side one index per brand, as the grouping keeps them.
      const open = new Map<string, Incident>();
      const indexes = new Map([
        ['acme', new IncidentIndex()],
        ['globex', new IncidentIndex()],
      ]);
      const seen: StoredMention[] = [];
      let now = NOW.getTime();
      let joined = 0;
      let opened = 0;
      for (let n = 0; n < 400; n++) {
        now += Math.floor(random() * 6 * 60_000); // 0–6 minutes between mentions: some incidents leave the window
        const at = new Date(now);
        const roll = random();
        let m: StoredMention;
        if (roll < 0.05 && seen.length > 0)
          m = pickFrom(random, seen); // a retry
        else m = randomMention(random, n, random() < 0.8 ? 'acme' : 'globex');
        seen.push(m);
        const index = indexes.get(m.brandId)!;
        const linear = assignIncident(m, [...open.values()], cfg, at);
        const indexed = assignIncident(m, index, cfg, at);
        expect({ seed, n, ...view(indexed) }).toEqual({ seed, n, ...view(linear) });
        if (linear.duplicate) continue;
        if (linear.isNew) opened++;
        else joined++;
        // Saved: the store and the index both hold the new version.
        const saved = { ...linear.incident, version: linear.incident.version + 1 };
        open.set(saved.key, saved);
        index.put(saved);
        if (random() < 0.03) {
          // Someone closes an incident: it leaves the open list and the index.
          const closing = pickFrom(random, [...open.values()]);
          open.delete(closing.key);
          indexes.get(closing.brandId)!.put({ ...closing, status: 'closed' });
        }
      }
      // The stream exercised both outcomes, with many incidents open at once.
      expect(joined).toBeGreaterThan(50);
      expect(opened).toBeGreaterThan(20);
    },
  );

  it('offers only incidents that share a term, and forgets the terms an incident no longer has', () => {
    const bag = incident({ key: 'inc-bag', signature: ['lost', 'baggag', 'ac123'] });
    const refund = incident({
      key: 'inc-refund',
      signature: ['refund', 'order', 'a1234'],
      mentionKeys: ['acme-hn#r1'],
    });
    const index = new IncidentIndex([bag, refund]);
    expect(index.sharingTerms(['baggag', 'desk']).map((i) => i.key)).toEqual(['inc-bag']);
    expect(index.sharingTerms(['nothing', 'shared'])).toEqual([]);
    index.put({ ...bag, signature: ['delay', 'gate'], version: bag.version + 1 });
    expect(index.sharingTerms(['baggag'])).toEqual([]);
    expect(index.sharingTerms(['gate']).map((i) => i.version)).toEqual([bag.version + 1]);
    index.put({ ...refund, status: 'closed' });
    expect(index.sharingTerms(['refund'])).toEqual([]);
    expect(index.holding(refund.mentionKeys[0])).toBeUndefined();
    expect(index.size).toBe(1);
  });

  it('does not offer incidents that share only words every complaint uses, unless those alone could match', () => {
    const bag = incident({ key: 'inc-bag', signature: ['lost', 'baggag', 'ac123', 'terribl', 'custom', 'servic'] });
    const rant = incident({
      key: 'inc-rant',
      signature: ['terribl', 'worst', 'never', 'custom', 'servic', 'week', 'hour', 'useless'],
    });
    const index = new IncidentIndex([bag, rant]);
    // Two generic words weigh 0.6, under the 1.9 two incidents must share: only the incident sharing "refund" is asked.
    expect(index.candidates(['refund', 'terribl', 'custom']).map((i) => i.key)).toEqual([]);
    expect(index.candidates(['baggag', 'terribl', 'custom']).map((i) => i.key)).toEqual(['inc-bag']);
    // Seven generic words could reach it on their own: then every incident sharing one is asked, and the rant matches.
    const generic = mention('terrible, worst, never again: customer service useless for weeks and hours', {
      analysis: { aspects: ['service'] },
    });
    const signature = mentionSignature(generic, cfg.ignoreWords);
    expect(
      index
        .candidates(signature)
        .map((i) => i.key)
        .sort(),
    ).toEqual(['inc-bag', 'inc-rant']);
    const linear = assignIncident(generic, [bag, rant], cfg, NOW);
    expect(assignIncident(generic, index, cfg, NOW)).toEqual(linear);
    expect(linear.incident.key).toBe('inc-rant');
  });

  it('finds a retried mention by the incident that holds it, whatever its words', () => {
    const first = mention('Acme lost my baggage on AC123, the baggage desk never answers');
    const created = assignIncident(first, new IncidentIndex(), cfg, NOW).incident;
    const index = new IncidentIndex([{ ...created, version: 1, signature: ['other', 'words'] }]);
    const again = assignIncident(first, index, cfg, NOW);
    expect(again).toMatchObject({ duplicate: true, incident: { key: created.key } });
    expect(mentionSignature(first, cfg.ignoreWords)).toContain('baggag');
  });
});
