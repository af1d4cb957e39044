import * as z from 'zod/mini';
import '../../core/zod-locale';
import type { SourceConfigOf } from '../../config/schema';
import { buildUrl, HttpError } from '../http';
import { cleanText } from '../text';
import type { PollContext, PollResult, SourceAdapter } from '../types';
import { PollCollector, errorName, num, parsePage, requireSecret, searchTerms, stateFor } from './common';

/**
 * Bluesky `app.bsky.feed.searchPosts` (anonymous search has returned 403 since Jan 2025, so an app-password
 * session is required). `sort=latest&since=<watermark>`, paged with `cursor`, deduped on the post `uri`.
 * Sessions are cached in adapter state and renewed with refreshSession on 401 / ExpiredToken.
 */

const DEFAULT_URL = 'https://bsky.social';

const sessionSchema = z.looseObject({
  accessJwt: z.string().check(z.minLength(1)),
  refreshJwt: z.string().check(z.minLength(1)),
});

const postSchema = z.looseObject({
  uri: z.string().check(z.startsWith('at://')),
  author: z.looseObject({ did: z.string(), handle: z.string(), displayName: z.nullish(z.string()) }),
  record: z.looseObject({
    text: z.optional(z.string()),
    createdAt: z.optional(z.string()),
    langs: z.optional(z.array(z.string())),
  }),
  replyCount: z.nullish(z.number()),
  repostCount: z.nullish(z.number()),
  likeCount: z.nullish(z.number()),
  quoteCount: z.nullish(z.number()),
  indexedAt: z.string(),
});

const pageSchema = z.looseObject({ cursor: z.nullish(z.string()), posts: z.array(z.unknown()) });

interface Session {
  accessJwt: string;
  refreshJwt: string;
}

async function poll(ctx: PollContext): Promise<PollResult> {
  const source = ctx.source as SourceConfigOf<'bluesky'>;
  const collector = new PollCollector(ctx);
  const { window } = collector;
  const authUrl = source.authUrl ?? source.baseUrl ?? DEFAULT_URL;
  const apiUrl = source.baseUrl ?? DEFAULT_URL;
  const sessionState = stateFor<Session>(ctx, `session:${authUrl}`);

  async function createSession(): Promise<Session> {
    const identifier = await requireSecret(ctx, 'identifier');
    const password = await requireSecret(ctx, 'appPassword');
    try {
      const response = await ctx.http.postJson(buildUrl(authUrl, '/xrpc/com.atproto.server.createSession'), {
        identifier,
        password,
      });
      return remember(parsePage(sessionSchema, response.body, 'Bluesky createSession'));
    } catch (error) {
      if (error instanceof HttpError && (error.status === 400 || error.status === 401)) {
        throw new Error(
          `Bluesky rejected the app password for source ${source.id} (HTTP ${error.status}${errorName(error) ? ` ${errorName(error)}` : ''}): check the identifier and app password`,
        );
      }
      throw error;
    }
  }

  function remember(session: Session): Session {
    ctx.http.addSecret(session.accessJwt);
    ctx.http.addSecret(session.refreshJwt);
    sessionState.set({ accessJwt: session.accessJwt, refreshJwt: session.refreshJwt });
    return session;
  }

  async function refreshSession(session: Session): Promise<Session> {
    try {
      const response = await ctx.http.request(buildUrl(authUrl, '/xrpc/com.atproto.server.refreshSession'), {
        method: 'POST',
        headers: { authorization: `Bearer ${session.refreshJwt}` },
      });
      return remember(
        parsePage(sessionSchema, ctx.http.parseJson(response.body, response.url), 'Bluesky refreshSession'),
      );
    } catch (error) {
      // A refresh token expires too: start a new session.
      if (error instanceof HttpError && (error.status === 400 || error.status === 401)) return createSession();
      throw error;
    }
  }

  async function search(query: Record<string, string | number | undefined>) {
    let session = sessionState.get() ?? (await createSession());
    ctx.http.addSecret(session.accessJwt);
    ctx.http.addSecret(session.refreshJwt);
    const url = buildUrl(apiUrl, '/xrpc/app.bsky.feed.searchPosts', query);
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await ctx.http.getJson(url, { headers: { authorization: `Bearer ${session.accessJwt}` } });
        return parsePage(pageSchema, response.body, 'Bluesky searchPosts');
      } catch (error) {
        const expired =
          error instanceof HttpError &&
          (error.status === 401 || (error.status === 400 && errorName(error) === 'ExpiredToken'));
        if (attempt === 0 && expired) {
          session = await refreshSession(session);
          continue;
        }
        throw error;
      }
    }
  }

  // `until` is exclusive: resume just after the oldest post of the interrupted poll (ties are re-read, deduped).
  const until = window.resumeBeforeMs !== undefined ? new Date(window.resumeBeforeMs + 1).toISOString() : undefined;
  for (const term of searchTerms(source, ctx.brand)) {
    let cursor: string | undefined;
    await collector.paginate(source.maxPages, async (_page, seen) => {
      const body = await search({ q: term, sort: 'latest', since: window.sinceIso, until, limit: 100, cursor });
      for (const raw of body.posts) {
        const post = collector.parseItem(postSchema, raw);
        if (!post) continue;
        const indexedMs = Date.parse(post.indexedAt);
        const claimedMs = Date.parse(post.record.createdAt ?? '');
        // `since` filters on sortAt (the earlier of the two); createdAt is client-set and may be off.
        const sortMs = Number.isNaN(claimedMs) ? indexedMs : Math.min(claimedMs, indexedMs);
        seen(sortMs);
        const text = cleanText(post.record.text);
        const rkey = post.uri.split('/').pop();
        if (!text) {
          collector.drop(post.uri, sortMs);
          continue;
        }
        collector.offer({
          id: post.uri,
          url: `https://bsky.app/profile/${post.author.handle}/post/${rkey}`,
          author: post.author.handle,
          text,
          createdAt: new Date(sortMs).toISOString(),
          language: post.record.langs?.[0],
          engagement: {
            likes: num(post.likeCount),
            shares: (num(post.repostCount) ?? 0) + (num(post.quoteCount) ?? 0),
            replies: num(post.replyCount),
          },
        });
      }
      cursor = body.cursor ?? undefined;
      return !cursor || body.posts.length === 0;
    });
  }
  return collector.finish();
}

export const blueskyAdapter: SourceAdapter = {
  kind: 'bluesky',
  needs:
    'a Bluesky account and app password (identifierEnv/appPasswordEnv or …Secret); anonymous search is blocked since Jan 2025',
  poll,
};
