import { formatAlert, sanitize } from '../../../lambdas/core/alerting/format';
import { truncate } from '../../../lambdas/core/text';
import { SUBJECT_MAX } from '../../../lambdas/core/alert';
import type { Cue } from '../../../lambdas/core/analysis/types';
import { NOW, alertRecord, incident, mention, minutesAgo } from './helpers';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const cues: Cue[] = [
  { name: 'negativity', strength: 0.7, evidence: ['terrible'] },
  { name: 'unanswered', strength: 0.9, evidence: ['nobody replied', 'still waiting'] },
  { name: 'churn', strength: 0, evidence: [] },
];

function refundMention(text = 'Waited 3 weeks for my refund and nobody replied. Terrible, still waiting.') {
  return mention(text, {
    id: 't3_abc',
    url: 'https://reddit.example/r/acme/t3_abc',
    author: 'u/jane',
    authorReach: 12345,
    cues,
    analysis: { aspects: ['time', 'service'], cxLevel: 'success' },
  });
}

describe('sanitize', () => {
  it('neutralises Slack and Markdown injection', () => {
    const out = sanitize(
      '> hey <!channel> <@U123> see <https://evil.example|your invoice> @here @everyone `rm -rf` [x](https://e.vil)',
    );
    expect(out).not.toMatch(/<|>|`|@here|@everyone|<!channel>|\]\(/);
    expect(out.startsWith('&gt;')).toBe(false);
    expect(out).toContain('your invoice');
    expect(out).not.toContain('evil.example');
  });

  it('strips control characters and bidi overrides and collapses whitespace', () => {
    expect(sanitize('a\u0000b\u202Egnp.exe\u2066 \n\n\t c\u0007')).toBe('abgnp.exe c');
  });

  it('HTML-escapes for email and Slack, or uses look-alike brackets when asked not to', () => {
    expect(sanitize('Tom & Jerry <b>bold</b>')).toBe('Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt;');
    expect(sanitize('a <b> & c', { html: false })).toBe('a ‹b› & c');
  });

  it('strips every default-ignorable and format character', () => {
    const hidden = [
      '\u061C',
      '\u00AD',
      '\u180E',
      '\u3164',
      '\u115F',
      '\uFFA0',
      '\u034F',
      '\u2061',
      '\u{E0041}',
      '\u{E007F}',
    ];
    for (const char of hidden) expect(sanitize(`re${char}fund`)).toBe('refund');
    expect(sanitize(`[HIGH] Acme${'\u{E0068}\u{E0069}'}`)).toBe('[HIGH] Acme');
  });

  it('defangs bare URLs and link targets a sink would turn into links', () => {
    const out = sanitize(
      'log in at https://evil.example/login or www.evil.example or evil.example/x, see [here](http://e.vil/a) <https://x.example>',
      { html: false },
    );
    expect(out).not.toMatch(/https?:\/\/|www\.evil|evil\.example|e\.vil|\]\(/);
    expect(out).toContain('hxxps[:]//evil[.]example/login');
    expect(out).toContain('evil[.]example/x');
    expect(sanitize('mail me: bob@evil.example')).toBe('mail me: bob@evil[.]example');
    expect(sanitize('version 2.5 works, e.g. here')).toBe('version 2.5 works, e.g. here');
  });

  it('keeps emoji sequences and Vietnamese letters', () => {
    expect(sanitize('Hành lý 👩‍👩‍👧 mất')).toBe('Hành lý 👩‍👩‍👧 mất');
    expect(sanitize('❤️ 🏳️‍🌈')).toBe('❤️ 🏳️‍🌈');
  });
});

describe('truncate', () => {
  it('never splits a surrogate pair or an emoji sequence', () => {
    const text = `${'a'.repeat(8)}😡😡👩‍👩‍👧 end`;
    for (let max = 2; max < text.length; max++) {
      const cut = truncate(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(LONE_SURROGATE);
      expect(cut).not.toMatch(/\u200D…$/);
    }
  });
});

describe('formatAlert mention', () => {
  const message = formatAlert('mention', {
    alertId: 'mention#acme-reddit#t3_abc',
    brandName: 'Acme',
    mention: refundMention(),
    incident: incident({ size: 6, sources: ['acme-reddit', 'acme-hn'] }),
  });

  it('has a short subject in the documented shape', () => {
    expect(message.subject).toMatch(/^\[HIGH\] Acme · Reddit · "Waited 3 weeks for my refund[^"]*"$/);
    expect(message.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
  });

  it('says why: each cue with its evidence words, strongest first, silent cues left out', () => {
    const whyAt = message.text.indexOf('Why:');
    expect(whyAt).toBeGreaterThan(0);
    const unanswered = message.text.indexOf('unanswered question (0.90): "nobody replied", "still waiting"');
    const negative = message.text.indexOf('negative tone (0.70): "terrible"');
    expect(unanswered).toBeGreaterThan(whyAt);
    expect(negative).toBeGreaterThan(unanswered);
    expect(message.text).not.toContain('churn');
    expect(message.json.why?.map((w) => w.cue)).toEqual(['unanswered', 'negativity']);
  });

  it('names the cues of a Vietnamese mention in Vietnamese, then in English', () => {
    const vi = formatAlert('mention', {
      alertId: 'mention#bephong-shopee#31000000107',
      brandName: 'Bếp Hồng',
      mention: mention('Nhắn shop 3 lần không ai trả lời, hẹn 7 ngày giờ đã 3 tuần.', {
        kind: 'shopee',
        sourceId: 'bephong-shopee',
        cues: [
          { name: 'unanswered', strength: 1, evidence: ['không ai trả lời'] },
          { name: 'effort', strength: 0.94, evidence: ['3 lần', '7 ngày'] },
        ],
        analysis: { language: 'vi' },
      }),
    });
    expect(vi.text).toContain('  • câu hỏi chưa được trả lời — unanswered question (1.00): "không ai trả lời"');
    expect(vi.text).toContain('  • tốn công / thời gian — effort / time cost (0.94): "3 lần", "7 ngày"');
    expect(vi.json.why?.[0]).toMatchObject({
      cue: 'unanswered',
      label: 'câu hỏi chưa được trả lời — unanswered question',
    });
    expect(message.text).not.toContain('câu hỏi');
  });

  it('carries link, author and reach, aspects, CX level, incident size and how to acknowledge', () => {
    expect(message.text).toContain('Link: https://reddit.example/r/acme/t3_abc');
    expect(message.text).toContain('u/jane (reach 12,345)');
    expect(message.text).toContain('Aspects: time, service');
    expect(message.text).toContain('CX level that failed: success');
    expect(message.text).toContain('Incident: 6 similar mentions');
    expect(message.text).toContain('npx earshot triage ack acme-reddit t3_abc');
    expect(message.text).toContain('POST /triage/acme-reddit/t3_abc/ack');
  });

  it('sets SNS attributes and a versioned JSON form with an AWS Chatbot payload', () => {
    expect(message.attributes).toEqual({ brand: 'acme', severity: 'high', source: 'reddit', kind: 'mention' });
    expect(message.json).toMatchObject({
      version: 1,
      kind: 'mention',
      alertId: 'mention#acme-reddit#t3_abc',
      mention: { sourceId: 'acme-reddit', id: 't3_abc', authorReach: 12345 },
      incident: { size: 6 },
      chatbot: { version: '1.0', source: 'custom', content: { title: expect.any(String) } },
    });
    expect(message.json.chatbot.content.description).toContain('Why:');
    expect(message.json.chatbot.content.nextSteps).toEqual(['npx earshot triage ack acme-reddit t3_abc']);
    expect(JSON.parse(JSON.stringify(message.json))).toEqual(message.json);
  });

  it('keeps the subject within the limit with emoji and surrogates, and neutralises the excerpt', () => {
    const nasty = refundMention(`<!channel> 😡😡😡 ${'mất hành lý 👩‍👩‍👧 '.repeat(20)}\u202E`);
    const hostile = formatAlert('mention', { alertId: 'x', brandName: 'Acme 🚀 Airlines', mention: nasty });
    expect(hostile.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect([...hostile.subject].length).toBeLessThanOrEqual(100);
    expect(hostile.subject).not.toMatch(LONE_SURROGATE);
    expect([...hostile.subject].some((c) => c.charCodeAt(0) < 0x20 || c === '\u202E')).toBe(false);
    expect(hostile.subject).not.toContain('<!channel>');
    expect(hostile.text).not.toContain('<!channel>');
    expect(hostile.text).not.toContain('\u202E');
  });

  it('truncates a long excerpt to about 500 characters', () => {
    const long = formatAlert('mention', { alertId: 'x', mention: refundMention('word '.repeat(400)) });
    const excerptLine = long.text.split('\n').find((line) => line.startsWith('> '))!;
    expect(excerptLine.length).toBeLessThanOrEqual(503);
    expect(excerptLine.endsWith('…')).toBe(true);
    expect(long.subject).toContain('[HIGH] acme · Reddit');
  });

  it('drops links that are not http(s)', () => {
    const evil = formatAlert('mention', { alertId: 'x', mention: { ...refundMention(), url: 'javascript:alert(1)' } });
    expect(evil.text).not.toContain('javascript:');
    expect(evil.json.mention?.url).toBeUndefined();
  });

  it('neutralises Slack control sequences hidden in source-chosen ids (an RSS guid is free text)', () => {
    const id = 'x <!channel> <https://evil.example|click to re-verify your login>';
    const message = formatAlert('mention', {
      alertId: `mention#news#${id}`,
      mention: { ...refundMention(), sourceId: 'news', id },
    });
    expect(message.text).not.toMatch(/<!channel>|<https:\/\/evil/);
    // What Slack renders (via AWS Chatbot) is neutralised; the JSON data fields keep the exact id for machines.
    expect(JSON.stringify(message.json.chatbot.content)).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(message.json.mention?.id).toBe(id);
  });
});

describe('formatAlert other kinds', () => {
  it('formats an incident update with its size', () => {
    const grown = incident({ size: 20, title: 'Lost baggage on AC123' });
    const message = formatAlert('incident', {
      alertId: `incident#acme#${grown.key}#20`,
      brandName: 'Acme',
      incident: grown,
      mention: refundMention(),
    });
    expect(message.subject).toBe('[HIGH] Acme · incident grew to 20 mentions · "Lost baggage on AC123"');
    expect(message.attributes.kind).toBe('incident');
    expect(message.json.incident?.size).toBe(20);
    expect(message.json.chatbot.metadata?.threadId).toBe(grown.key);
  });

  it('formats a spike with expected vs observed', () => {
    const message = formatAlert('spike', {
      brandName: 'Acme',
      spike: {
        brandId: 'acme',
        hour: '2024-05-01T12',
        alertId: 'spike#acme#2024-05-01T12',
        observed: 42,
        expected: 3,
        spread: 1.48,
        threshold: 12,
        baselineHours: 168,
      },
    });
    expect(message.subject).toContain('42 negative mentions');
    expect(message.subject).toContain('usually 3');
    expect(message.text).toContain('expected about 3');
    expect(message.attributes).toEqual({ brand: 'acme', severity: 'high', source: 'all', kind: 'spike' });
    expect(message.json.spike).toMatchObject({ observed: 42, expected: 3 });
    // A spike is about no single mention: it is acknowledged by its alert id.
    expect(message.text).toContain("npx earshot triage ack-alert 'spike#acme#2024-05-01T12'".replace(/'/g, ''));
    expect(message.json.acknowledge?.api).toBe('POST /triage/alerts/spike%23acme%232024-05-01T12/ack');
  });

  it('formats an escalation naming the level, the wait and the original alert', () => {
    const original = alertRecord({ createdAt: minutesAgo(45) });
    const message = formatAlert('escalation', {
      alertId: 'escalation#mention#acme-reddit#t3_abc#1',
      original,
      level: 1,
      now: NOW,
    });
    expect(message.subject).toMatch(/^\[ESCALATION 1\] unacknowledged 45 min: \[HIGH\] Acme/);
    expect(message.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(message.text).toContain('npx earshot triage ack acme-reddit t3_abc');
    expect(message.json.escalation).toMatchObject({ level: 1, originalAlertId: original.alertId });
    expect(message.attributes.kind).toBe('escalation');
  });

  it('lists at most 50 alerts in a digest, worst first, and says how many more there are', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({
      alertId: `mention#acme-reddit#${i}`,
      severity: (i === 59 ? 'critical' : 'medium') as 'critical' | 'medium',
      subject: `complaint ${i}`,
    }));
    const message = formatAlert('digest', {
      alertId: 'digest#acme#2024-05-01T12',
      brandId: 'acme',
      hour: '2024-05-01T12',
      items,
    });
    expect(message.json.digest?.items).toHaveLength(50);
    expect(message.json.digest?.items[0].subject).toBe('complaint 59');
    expect(message.text).toContain('… and 10 more in the triage queue');
  });

  it('formats a digest listing what was held back', () => {
    const message = formatAlert('digest', {
      alertId: 'digest#acme#2024-05-01T12',
      brandId: 'acme',
      brandName: 'Acme',
      hour: '2024-05-01T12',
      items: [
        { alertId: 'a', severity: 'medium', subject: 'first <!here>' },
        { alertId: 'b', severity: 'critical', subject: 'second', url: 'https://x.example/2' },
      ],
    });
    expect(message.subject).toContain('2 alerts held back');
    expect(message.severity).toBe('critical');
    expect(message.text).toContain('https://x.example/2');
    expect(message.text).not.toContain('<!here>');
    expect(message.json.digest?.items).toHaveLength(2);
  });
});
