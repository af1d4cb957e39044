import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { buildUrl } from '../http';
import { cleanText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, SourceConfigError, num, parsePage, requireSecret } from './common';

/**
 * Zalo Official Account (SOURCES-VN §7). The webhook (`parseZaloDelivery`) is the primary path; with
 * `pollRecentChats: true` and an OA access token the poller also reads `listrecentchat` (10 chats a page, newest
 * first) as a fallback for missed deliveries. Message ids are the same in both, so the store keeps one copy.
 * Direct messages are private.
 */

const PAGE_SIZE = 10;

const envelopeSchema = z.looseObject({
  error: z.number(),
  message: z.optional(z.string()),
  data: z.optional(z.array(z.unknown())),
});

const chatSchema = z.looseObject({
  from_id: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
  from_display_name: z.optional(z.string()),
  message_id: z.string().check(z.minLength(1)),
  type: z.optional(z.string()),
  message: z.optional(z.string()),
  time: z.number(),
});

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'zalo'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  // Push-only unless the fallback is switched on: nothing to poll.
  if (!source.pollRecentChats) return collector.result(window.unchanged());
  const base = source.baseUrl ?? 'https://openapi.zalo.me';
  const token = await requireSecret(ctx, 'accessToken');
  let reachedEnd = false;
  let oldestMs: number | undefined;
  for (let page = 0; page < source.maxPages; page++) {
    const url = buildUrl(base, '/v2.0/oa/listrecentchat', {
      data: JSON.stringify({ offset: page * PAGE_SIZE, count: PAGE_SIZE }),
    });
    const body = parsePage(
      envelopeSchema,
      (await ctx.http.getJson(url, { headers: { access_token: token } })).body,
      'Zalo listrecentchat',
    );
    if (body.error === -216) {
      throw new SourceConfigError('Zalo OA access token expired or invalid (error -216): issue a new OA access token');
    }
    if (body.error === -501) {
      throw new SourceConfigError(
        'Zalo refused the caller (error -501): this endpoint only answers callers in Vietnam',
      );
    }
    if (body.error !== 0) throw new Error(`Zalo error ${body.error}: ${(body.message ?? '').slice(0, 160)}`);
    const chats = body.data ?? [];
    let olderThanWatermark = false;
    for (const raw of chats) {
      const chat = collector.parseItem(chatSchema, raw);
      if (!chat) continue;
      oldestMs = Math.min(oldestMs ?? chat.time, chat.time);
      if (window.isOlderThanWatermark(chat.time)) {
        olderThanWatermark = true;
        continue;
      }
      // The OA's own answers are not customer messages.
      if (chat.from_id === source.oaId) continue;
      const text = chat.type && chat.type !== 'text' ? '' : cleanText(chat.message);
      if (!text) {
        collector.drop(chat.message_id, chat.time);
        continue;
      }
      collector.offer(
        {
          id: chat.message_id,
          author: chat.from_display_name ?? `zalo:${chat.from_id}`,
          text,
          createdAt: new Date(num(chat.time) ?? 0).toISOString(),
          language: 'vi',
          country: 'vn',
          visibility: 'private',
        },
        { relevant: true },
      );
    }
    if (olderThanWatermark || chats.length < PAGE_SIZE) {
      reachedEnd = true;
      break;
    }
  }
  if (!reachedEnd) collector.stoppedEarly(oldestMs);
  return collector.finish();
}

export const zaloAdapter: SourceAdapter = {
  kind: 'zalo',
  needs:
    'the OA id, app id and OA secret key (oaSecretKeyEnv/…Secret) for webhook signatures; optional listrecentchat fallback with an OA access token (accessTokenEnv/…Secret, pollRecentChats: true)',
  poll,
};
