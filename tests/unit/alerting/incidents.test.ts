import {
  assignIncident,
  contentTerms,
  incidentKeyFor,
  mentionSignature,
} from '../../../lambdas/core/alerting/incidents';
import type { Incident } from '../../../lambdas/core/incident';
import type { StoredMention } from '../../../lambdas/core/mention';
import { NOW, defaultAlerts, incident, mention, minutesAgo } from './helpers';

const cfg = { ...defaultAlerts.incidents, ignoreWords: ['acme air'] };

const BAGGAGE = [
  'Acme Air lost my baggage on flight AC123 from Hanoi, still no update after 3 days',
  'My bag was lost on AC123 and the Acme baggage desk says nothing. Lost baggage, terrible.',
  'Baggage lost again with Acme. Flight AC123 to Saigon. Nobody answers at the baggage desk',
  'Acme lost our luggage, the baggage claim for AC123 has been closed for hours',
  'Still no baggage from flight AC123, Acme customer service is a joke',
  'Lost baggage claim filed 4 days ago, Acme never replied. Flight AC123',
];

/** Feed mentions one by one the way the alert handler does: the store keeps the latest version of each incident. */
function groupAll(mentions: StoredMention[], now = NOW, start: Incident[] = []) {
  const store = new Map(start.map((i) => [i.key, i]));
  const results = mentions.map((m) => {
    const result = assignIncident(m, [...store.values()], cfg, now);
    store.set(result.incident.key, result.incident);
    return result;
  });
  return { results, incidents: [...store.values()] };
}

describe('contentTerms', () => {
  it('drops stop words, stems English and keeps numbers and flight codes', () => {
    expect(contentTerms('I waited 3 weeks for my refunds on flight VN123')).toEqual([
      'wait',
      '3',
      'week',
      'refund',
      'flight',
      'vn123',
    ]);
  });

  it('drops Vietnamese function words and pairs adjacent syllables', () => {
    const terms = contentTerms('Tôi bị mất hành lý và không ai trả lời', 'vi');
    expect(terms).toEqual(expect.arrayContaining(['mất', 'hành', 'lý', 'hành_lý', 'trả_lời']));
    expect(terms).not.toEqual(expect.arrayContaining(['tôi', 'bị', 'và', 'không']));
  });

  it("leaves out the brand's own name", () => {
    const signature = mentionSignature(mention('Acme Air lost my baggage'), ['acme air']);
    expect(signature).toEqual(['lost', 'baggag']);
  });
});

describe('assignIncident', () => {
  it('groups six similar baggage complaints into one incident', () => {
    const { results, incidents } = groupAll(BAGGAGE.map((text) => mention(text)));
    expect(results.map((r) => r.isNew)).toEqual([true, false, false, false, false, false]);
    expect(incidents).toHaveLength(1);
    const [grouped] = incidents;
    expect(grouped.size).toBe(6);
    expect(grouped.mentionKeys).toHaveLength(6);
    expect(grouped.signature.slice(0, 3)).toEqual(expect.arrayContaining(['baggag', 'ac123']));
  });

  it('starts a new incident for an unrelated complaint', () => {
    const { incidents } = groupAll(BAGGAGE.map((text) => mention(text)));
    const refund = mention('Acme charged me twice for a seat upgrade and refuses to refund me', {
      analysis: { aspects: ['price'] },
    });
    const result = assignIncident(refund, incidents, cfg, NOW);
    expect(result.isNew).toBe(true);
    expect(result.incident.size).toBe(1);
    expect(result.incident.key).not.toBe(incidents[0].key);
  });

  it('starts a new incident when the similar one was last active outside the window', () => {
    const old = incident({ firstAt: minutesAgo(400), lastAt: minutesAgo(cfg.windowMinutes + 1) });
    const result = assignIncident(mention(BAGGAGE[0]), [old], cfg, NOW);
    expect(result.isNew).toBe(true);
    const recent = incident({ firstAt: minutesAgo(400), lastAt: minutesAgo(cfg.windowMinutes - 1) });
    expect(assignIncident(mention(BAGGAGE[0]), [recent], cfg, NOW).isNew).toBe(false);
  });

  it('never joins an incident of another brand', () => {
    const other = incident({ brandId: 'globex' });
    expect(assignIncident(mention(BAGGAGE[0]), [other], cfg, NOW).isNew).toBe(true);
  });

  it('updates size, time, sources, aspects and keeps the highest severity', () => {
    const existing = incident({ severity: 'medium', aspects: ['service'] });
    const joining = mention(BAGGAGE[1], {
      sourceId: 'acme-hn',
      kind: 'hackernews',
      severity: 'critical',
      analysis: { aspects: ['time', 'service'] },
    });
    const { incident: updated, isNew } = assignIncident(joining, [existing], cfg, NOW);
    expect(isNew).toBe(false);
    expect(updated).toMatchObject({
      key: existing.key,
      size: 2,
      severity: 'critical',
      lastAt: NOW.toISOString(),
      firstAt: existing.firstAt,
      sources: ['acme-reddit', 'acme-hn'],
      aspects: ['service', 'time'],
      version: existing.version,
    });
    expect(updated.mentionKeys).toEqual([...existing.mentionKeys, `acme-hn#${joining.id}`]);
  });

  it('caps mention keys at the 50 most recent', () => {
    const keys = Array.from({ length: 50 }, (_, i) => `acme-reddit#old${i}`);
    const big = incident({ size: 50, mentionKeys: keys });
    const { incident: updated } = assignIncident(mention(BAGGAGE[2]), [big], cfg, NOW);
    expect(updated.size).toBe(51);
    expect(updated.mentionKeys).toHaveLength(50);
    expect(updated.mentionKeys[0]).toBe('acme-reddit#old1');
  });

  it('gives a retried first mention the same incident key', () => {
    const first = mention(BAGGAGE[0], { id: 't3_abc' });
    const a = assignIncident(first, [], cfg, NOW);
    const b = assignIncident({ ...first }, [], cfg, new Date(NOW.getTime() + 60_000));
    expect(a.incident.key).toBe(b.incident.key);
    expect(a.incident.key).toBe(incidentKeyFor('acme', 'acme-reddit#t3_abc'));
    expect(incidentKeyFor('globex', 'acme-reddit#t3_abc')).not.toBe(a.incident.key);
  });

  it('does not count a mention twice when it is retried', () => {
    const first = mention(BAGGAGE[0]);
    const { incident: created } = assignIncident(first, [], cfg, NOW);
    const again = assignIncident(first, [created], cfg, NOW);
    expect(again).toMatchObject({ isNew: false, duplicate: true });
    expect(again.incident.size).toBe(1);
  });

  it('groups Vietnamese complaints about the same lost luggage', () => {
    const vi = { analysis: { language: 'vi' } };
    const { results } = groupAll([
      mention('Acme mất hành lý của tôi trên chuyến bay VN123, không ai trả lời', vi),
      mention('Hành lý thất lạc trên chuyến VN123, Acme không hỗ trợ gì cả', vi),
    ]);
    expect(results.map((r) => r.isNew)).toEqual([true, false]);
  });

  it('groups complaints in two languages that name the same flight number and the same kind of problem', () => {
    const { results } = groupAll([
      mention('Acme Air lost my bag on AC123 and the refund never came', { analysis: { aspects: ['service'] } }),
      mention('Chuyến bay AC123 làm mất hành lý của tôi, không ai trả lời', {
        analysis: { language: 'vi', aspects: ['service', 'time'] },
      }),
      mention('Seat 14C on AC123 was broken', { analysis: { aspects: ['environment'] } }),
    ]);
    expect(results.map((r) => r.isNew)).toEqual([true, false, true]);
  });

  it('a mention naming a flight number prefers not to join an incident that never named it', () => {
    const { results } = groupAll([
      mention('This is why I cancelled my Acme membership. Paid for premium, got zero help.', {
        analysis: { aspects: ['service', 'price'] },
      }),
      mention('Flight AC123 lost my bag 3 weeks ago, promised refund never came, nobody answers. Paid for premium.', {
        analysis: { aspects: ['service', 'price'] },
      }),
    ]);
    expect(results.map((r) => r.isNew)).toEqual([true, true]);
  });

  it('keeps when the mentions were posted apart from when they were grouped', () => {
    // Posted out of order over a morning, grouped all at NOW (a backfill).
    const posted = [300, 420, 60, 180, 240, 120].map((m) => minutesAgo(m));
    const { results } = groupAll(BAGGAGE.map((text, i) => mention(text, { createdAt: posted[i] })));
    expect(results[0].incident).toMatchObject({ firstMentionAt: posted[0], lastMentionAt: posted[0] });
    expect(results[5].incident).toMatchObject({
      size: 6,
      firstAt: NOW.toISOString(),
      lastAt: NOW.toISOString(),
      firstMentionAt: minutesAgo(420),
      lastMentionAt: minutesAgo(60),
    });
  });

  it('an incident stored before posting times were kept gains none (its first mention time is unknown)', () => {
    const old = incident({ signature: mentionSignature(mention(BAGGAGE[0]), cfg.ignoreWords) });
    const { incident: grown, isNew } = assignIncident(
      mention(BAGGAGE[1], { createdAt: minutesAgo(5) }),
      [old],
      cfg,
      NOW,
    );
    expect(isNew).toBe(false);
    expect(grown.firstMentionAt).toBeUndefined();
    expect(grown.lastMentionAt).toBeUndefined();
  });

  it('measures the window in processing time, so a backfill of old mentions groups instead of flooding', () => {
    const { results } = groupAll(BAGGAGE.map((text, i) => mention(text, { createdAt: minutesAgo(600 + i * 200) })));
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect(results[5].incident).toMatchObject({ size: 6, firstAt: NOW.toISOString(), lastAt: NOW.toISOString() });
  });
});
