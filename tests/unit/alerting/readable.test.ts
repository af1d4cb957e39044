import { formatAlert, incidentSpan, titleAndText } from '../../../lambdas/core/alerting/format';
import { mentionSignature, termSpellings } from '../../../lambdas/core/alerting/incidents';
import { toTriageItem } from '../../../lambdas/pipeline/triage-service';
import { incident, mention } from './helpers';

/** What a person reads in an alert: no title twice, the author's reach only, times and words as people say them. */

describe('titles', () => {
  it('shows a title once when the text starts with it (Reddit, RSS), and before the text otherwise', () => {
    const title = 'Acme Air lost my luggage on AC123';
    expect(titleAndText(title, `${title}\n\nLanded June 2, bag never came.`)).toBe(
      'Acme Air lost my luggage on AC123 Landed June 2, bag never came.',
    );
    expect(titleAndText('Acme   Air lost my luggage…', 'Acme Air lost my luggage on AC123')).toBe(
      'Acme Air lost my luggage on AC123',
    );
    expect(titleAndText('Ask HN: refunds?', 'Mine never came.')).toBe('Ask HN: refunds? — Mine never came.');
    expect(titleAndText(undefined, 'Just text')).toBe('Just text');
  });

  it('in the alert excerpt and the triage queue', () => {
    const title = 'Acme Air lost my luggage on AC123 and the refund never came';
    const post = mention(`${title}\n\nLanded June 2 on AC123. Bag never showed up.`, { title });
    const message = formatAlert('mention', { alertId: 'mention#acme-reddit#t3', mention: post });
    expect(message.text).not.toContain(`${title} — ${title}`);
    expect(message.text).toContain(`> ${title} Landed June 2`);
    expect(toTriageItem(post).excerpt).toBe(`${title} Landed June 2 on AC123. Bag never showed up.`);
  });
});

describe('reach', () => {
  it("labels a community's size as such and never as the author's reach", () => {
    const post = mention('Acme lost my bag', { communitySize: 2_900_000, author: 'u/jane' });
    const message = formatAlert('mention', { alertId: 'mention#acme-reddit#x', mention: post });
    expect(message.text).toMatch(/^Author: u\/jane · Reddit \(acme-reddit\) · in a community of 2,900,000 members$/m);
    expect(message.text).not.toMatch(/reach/);
    expect(message.json.mention).toMatchObject({ communitySize: 2_900_000 });
    expect(message.json.mention!.authorReach).toBeUndefined();
  });
});

describe('incident times', () => {
  it('says "all at" for one instant, the date once within a day, and both dates across days', () => {
    expect(incidentSpan('2026-06-10T12:00:00.000Z', '2026-06-10T12:00:00.000Z')).toBe('all at 2026-06-10 12:00:00 UTC');
    expect(incidentSpan('2026-06-10T09:15:00.000Z', '2026-06-10T12:00:30.000Z')).toBe(
      'first at 2026-06-10 09:15:00 UTC, latest at 12:00:30 UTC',
    );
    expect(incidentSpan('2026-06-09T23:50:00.000Z', '2026-06-10T00:10:00.000Z')).toBe(
      'first at 2026-06-09 23:50:00 UTC, latest at 2026-06-10 00:10:00 UTC',
    );
  });

  it('an incident update names them, never "between X and X"', () => {
    const at = '2026-06-10T12:00:00.000Z';
    const latest = mention('Nobody replies and nothing happened about my bag on AC123');
    const message = formatAlert('incident', {
      alertId: 'incident#acme#inc#5',
      incident: incident({ size: 5, firstAt: at, lastAt: at, signature: mentionSignature(latest) }),
      mention: latest,
    });
    expect(message.text).toContain('5 similar mentions, all at 2026-06-10 12:00:00 UTC');
    expect(message.text).not.toMatch(/between (\S+) and \1/);
  });
});

describe('incident times are posting times', () => {
  it('an alert says when the posts were made, not when they were grouped', () => {
    const at = '2026-06-10T12:00:00.000Z';
    const latest = mention('Nobody replies and nothing happened about my bag on AC123');
    const grown = incident({
      size: 5,
      firstAt: at,
      lastAt: at,
      firstMentionAt: '2026-06-10T08:05:00.000Z',
      lastMentionAt: '2026-06-10T11:40:00.000Z',
      signature: mentionSignature(latest),
    });
    const update = formatAlert('incident', { alertId: 'incident#acme#inc#5', incident: grown, mention: latest });
    expect(update.text).toContain('5 similar mentions, first at 2026-06-10 08:05:00 UTC, latest at 11:40:00 UTC');
    expect(update.text).not.toContain('all at');
    expect(update.json.incident).toMatchObject({ firstAt: at, firstMentionAt: '2026-06-10T08:05:00.000Z' });
    const first = formatAlert('mention', { alertId: 'mention#acme-reddit#x', mention: latest, incident: grown });
    expect(first.text).toContain('Incident: 5 similar mentions, first at 2026-06-10 08:05:00 UTC, latest at 11:40:00');
  });

  it('an incident stored without them falls back to its grouping times', () => {
    const latest = mention('Nobody replies and nothing happened about my bag on AC123');
    const at = '2026-06-10T12:00:00.000Z';
    const message = formatAlert('incident', {
      alertId: 'incident#acme#inc#5',
      incident: incident({ size: 5, firstAt: at, lastAt: at }),
      mention: latest,
    });
    expect(message.text).toContain('5 similar mentions, all at 2026-06-10 12:00:00 UTC');
  });
});

describe('key words', () => {
  it('are the words as written, not their stems', () => {
    const text = 'Nobody replies, nothing happened to my baggage on AC123';
    const latest = mention(text);
    const signature = mentionSignature(latest);
    expect(signature).toEqual(expect.arrayContaining(['nobodi', 'repli', 'noth']));
    const message = formatAlert('incident', {
      alertId: 'incident#acme#inc#5',
      incident: incident({ size: 5, signature }),
      mention: latest,
    });
    const line = /^Key words: (.*)$/m.exec(message.text)![1].split(', ');
    expect(line).toEqual(expect.arrayContaining(['nobody', 'replies', 'nothing', 'baggage', 'ac123']));
    expect(line).not.toEqual(expect.arrayContaining(['nobodi']));
    for (const stem of ['repli', 'noth', 'nobodi', 'baggag']) expect(line).not.toContain(stem);
  });

  it('leave out bare numbers and the syllables of a compound they also show', () => {
    const latest = mention('Gửi bảo hành 3 tuần chưa trả, hotline không ai nghe máy', { analysis: { language: 'vi' } });
    const signature = mentionSignature(latest);
    const message = formatAlert('incident', {
      alertId: 'incident#acme#inc#5',
      incident: incident({ size: 5, signature }),
      mention: latest,
    });
    const line = /^Key words: (.*)$/m.exec(message.text)![1].split(', ');
    expect(line).toContain('bảo hành');
    for (const noise of ['3', 'bảo', 'hành']) expect(line).not.toContain(noise);
  });

  it('Vietnamese syllable pairs read as two words', () => {
    expect(termSpellings('mất hành lý', 'vi').get('hành_lý')).toBe('hành lý');
  });
});
