import { CursorWindow } from '../../../lambdas/sources/cursor';

const now = new Date('2026-06-10T12:00:00Z');
const t = (iso: string) => Date.parse(iso);

describe('CursorWindow', () => {
  it('first poll looks back lookbackHours and moves the watermark to the newest item taken', () => {
    const w = new CursorWindow(null, 's', now, 24);
    expect(w.sinceIso).toBe('2026-06-09T12:00:00.000Z');
    expect(w.isNew('old', t('2026-06-09T11:00:00Z'))).toBe(false);
    w.take('a', t('2026-06-10T10:00:00Z'));
    w.take('b', t('2026-06-10T11:00:00Z'));
    w.take('c', t('2026-06-10T11:00:00Z'));
    const next = w.next({ complete: true });
    expect(next.watermark).toBe('2026-06-10T11:00:00.000Z');
    expect(next.seenIds.sort()).toEqual(['b', 'c']);
  });

  it('remembers the replies handed on, so a reply goes on once and a changed one again', () => {
    const w = new CursorWindow(null, 's', now, 24);
    const reply = { text: 'Dạ shop xin lỗi', createdAt: '2026-06-10T11:30:00.000Z' };
    expect(w.isNewReply('a', undefined)).toBe(false);
    expect(w.isNewReply('a', reply)).toBe(true);
    w.noteReply('a', reply);
    expect(w.isNewReply('a', reply)).toBe(false);
    const next = new CursorWindow(w.next({ complete: true }), 's', now, 24);
    expect(next.isNewReply('a', reply)).toBe(false);
    expect(next.isNewReply('a', { ...reply, text: 'Đã gọi lại' })).toBe(true);
    expect(next.isNewReply('a', { text: reply.text })).toBe(true);
    expect(next.isNewReply('b', reply)).toBe(true);
    // Bounded: the latest 500 are kept.
    for (let i = 0; i < 600; i++) next.noteReply(`id${i}`, reply);
    const kept = JSON.parse(next.next({ complete: true }).extra!.replies) as [string, string][];
    expect(kept).toHaveLength(500);
    expect(kept[kept.length - 1][0]).toBe('id599');
  });

  it('re-reads ties at the watermark and dedupes them by seenIds', () => {
    const prev = { sourceId: 's', watermark: '2026-06-10T11:00:00.000Z', seenIds: ['b'], updatedAt: '' };
    const w = new CursorWindow(prev, 's', now, 24);
    expect(w.isNew('b', t('2026-06-10T11:00:00Z'))).toBe(false);
    expect(w.isNew('d', t('2026-06-10T11:00:00Z'))).toBe(true);
    w.take('d', t('2026-06-10T11:00:00Z'));
    expect(w.next({ complete: true }).seenIds.sort()).toEqual(['b', 'd']);
  });

  it('holds the watermark when a poll stops early, then backfills the gap before moving it', () => {
    const prev = { sourceId: 's', watermark: '2026-06-10T00:00:00.000Z', seenIds: [], updatedAt: '' };
    const first = new CursorWindow(prev, 's', now, 24);
    first.take('new', t('2026-06-10T11:00:00Z'));
    first.take('mid', t('2026-06-10T06:00:00Z'));
    const interrupted = first.next({ complete: false, oldestFetchedMs: t('2026-06-10T06:00:00Z') });
    expect(interrupted.watermark).toBe('2026-06-10T00:00:00.000Z');
    expect(interrupted.extra?.resumeBefore).toBe('2026-06-10T06:00:00.000Z');

    const second = new CursorWindow(interrupted, 's', now, 24);
    expect(second.resumeBeforeMs).toBe(t('2026-06-10T06:00:00Z'));
    expect(second.isNew('new', t('2026-06-10T11:00:00Z'))).toBe(false);
    expect(second.isNew('gap', t('2026-06-10T03:00:00Z'))).toBe(true);
    second.take('gap', t('2026-06-10T03:00:00Z'));
    const done = second.next({ complete: true });
    expect(done.watermark).toBe('2026-06-10T11:00:00.000Z');
    expect(done.seenIds).toEqual(['new']);
    expect(done.extra?.resumeBefore).toBeUndefined();
    expect(done.extra?.pendingWatermark).toBeUndefined();
  });

  it('takes an item published late (up to half an hour below the watermark) without handing on any item twice', () => {
    const first = new CursorWindow(null, 's', now, 24);
    first.take('a', t('2026-06-10T11:50:00Z'));
    first.take('b', t('2026-06-10T12:00:00Z'));
    const cursor = first.next({ complete: true });

    const second = new CursorWindow(cursor, 's', now, 24);
    // Queries and paging still stop at the watermark: the overlap only covers what pages show anyway.
    expect(second.sinceIso).toBe('2026-06-10T12:00:00.000Z');
    expect(second.isOlderThanWatermark(t('2026-06-10T11:59:00Z'))).toBe(true);
    // Published late, dated before the watermark: new. Already handed on: not new. Older than the overlap: not new.
    expect(second.isNew('late', t('2026-06-10T11:55:00Z'))).toBe(true);
    expect(second.isNew('a', t('2026-06-10T11:50:00Z'))).toBe(false);
    expect(second.isNew('b', t('2026-06-10T12:00:00Z'))).toBe(false);
    expect(second.isNew('ancient', t('2026-06-10T11:00:00Z'))).toBe(false);
    second.take('late', t('2026-06-10T11:55:00Z'));
    const third = new CursorWindow(second.next({ complete: true }), 's', now, 24);
    expect(third.isNew('late', t('2026-06-10T11:55:00Z'))).toBe(false);
  });
});
