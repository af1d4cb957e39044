import {
  digestAlertId,
  escalationAlertId,
  incidentAlertId,
  mentionAlertId,
  mentionKeyOf,
  parseEscalationAlertId,
  parseMentionKey,
  spikeAlertId,
} from '../../lambdas/core/alert-id';

describe('alert ids', () => {
  it('names each kind of alert by what it is about', () => {
    expect(mentionAlertId({ sourceId: 'acme-hn', id: '42' })).toBe('mention#acme-hn#42');
    expect(incidentAlertId({ brandId: 'acme', key: 'k1' }, 5)).toBe('incident#acme#k1#5');
    expect(spikeAlertId('acme', '2026-01-01T10')).toBe('spike#acme#2026-01-01T10');
    expect(digestAlertId('acme', '2026-01-01T10')).toBe('digest#acme#2026-01-01T10');
    expect(escalationAlertId('mention#acme-hn#42', 2)).toBe('escalation#mention#acme-hn#42#2');
  });

  it('reads back the alert an escalation escalates, even an escalation of an id full of #', () => {
    const original = incidentAlertId({ brandId: 'acme', key: 'k#1' }, 3);
    expect(parseEscalationAlertId(escalationAlertId(original, 1))).toEqual({ originalAlertId: original, level: 1 });
    expect(parseEscalationAlertId(original)).toBeUndefined();
    expect(parseEscalationAlertId('escalation#x#not-a-level')).toBeUndefined();
  });

  it('splits a mention key at the first # (source ids are slugs; mention ids may hold #)', () => {
    const mention = { sourceId: 'acme-bsky', id: 'at://did:plc:x/post#3' };
    expect(parseMentionKey(mentionKeyOf(mention))).toEqual(mention);
    expect(parseMentionKey('no-separator')).toBeUndefined();
    expect(parseMentionKey('#id')).toBeUndefined();
    expect(parseMentionKey('source#')).toBeUndefined();
  });
});
