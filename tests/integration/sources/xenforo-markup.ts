/**
 * XenForo 2 markup for the forum tests, in the shape voz.vn and tinhte.vn serve: the forum RSS (one item per
 * thread, pubDate = last post, slash:comments = replies) and thread pages (`article.message--post`).
 */

export interface FeedThread {
  id: number;
  slug: string;
  title: string;
  /** Last post time (ISO). */
  last: string;
  replies?: number;
  starter: string;
  firstPost: string;
}

const rfc822 = (iso: string) => new Date(iso).toUTCString().replace('GMT', '+0000');
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function forumFeed(origin: string, threads: FeedThread[], extraItems = ''): string {
  const items = threads
    .map(
      (t) => `    <item>
      <title>${escapeXml(t.title)}</title>
      <pubDate>${rfc822(t.last)}</pubDate>
      <link>${origin}/t/${t.slug}.${t.id}/</link>
      <guid isPermaLink="false">${t.id}</guid>
      <author>invalid@example.com (${escapeXml(t.starter)})</author>
      <category domain="${origin}/f/diem-bao.33/"><![CDATA[Điểm báo]]></category>
      <dc:creator>${escapeXml(t.starter)}</dc:creator>
      <content:encoded><![CDATA[<div class="bbWrapper">${t.firstPost}</div>]]></content:encoded>
${t.replies === undefined ? '' : `      <slash:comments>${t.replies}</slash:comments>\n`}    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
  <channel>
    <title>Điểm báo</title>
    <description>Tin tức, thảo luận</description>
    <pubDate>${rfc822(threads[0]?.last ?? '2026-06-10T11:00:00Z')}</pubDate>
    <lastBuildDate>${rfc822(threads[0]?.last ?? '2026-06-10T11:00:00Z')}</lastBuildDate>
    <generator>voz</generator>
    <link>${origin}/f/diem-bao.33/</link>
    <atom:link rel="self" type="application/rss+xml" href="${origin}/f/diem-bao.33/index.rss"/>
${items}
${extraItems}
  </channel>
</rss>
`;
}

export interface PagePost {
  id: number;
  position: number;
  author: string;
  /** ISO time. */
  at: string;
  html: string;
  deleted?: boolean;
  /** XenForo 2.2 puts Unix seconds in data-time; 2.3 in data-timestamp. */
  legacyTime?: boolean;
}

/** `2026-06-10T09:00:00Z` as Vietnam local time with XenForo's offset (+0700, no colon). */
function localIso(iso: string): string {
  const local = new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${local}+0700`;
}

export function threadPage(
  thread: { id: number; slug: string; title: string },
  posts: PagePost[],
  nav: { prev?: number; next?: number } = {},
): string {
  const base = `/t/${thread.slug}.${thread.id}`;
  const articles = posts
    .map((p) => {
      const seconds = Math.floor(Date.parse(p.at) / 1000);
      const stamp = p.legacyTime
        ? `data-time="${seconds}" data-date-string="Jun 10, 2026" data-time-string="4:00 PM"`
        : `data-timestamp="${seconds}" data-date="Jun 10, 2026" data-time="4:00 PM"`;
      return `<article class="message message--post js-post js-inlineModContainer ${p.deleted ? 'message--deleted' : ''} " data-author="${p.author}" data-content="post-${p.id}" id="js-post-${p.id}" itemscope itemtype="https://schema.org/Comment" itemid="https://voz.vn/p/${p.id}/">
  <span class="u-anchorTarget" id="post-${p.id}"></span>
  <div class="message-inner">
    <div class="message-cell message-cell--user">
      <section class="message-user"><div class="message-userDetails"><h4 class="message-name"><a href="/u/${p.author}.1/" class="username" dir="auto" data-user-id="1" data-xf-init="member-tooltip">${p.author}</a></h4></div></section>
    </div>
    <div class="message-cell message-cell--main">
      <div class="message-main js-quickEditTarget">
        <header class="message-attribution message-attribution--split">
          <ul class="message-attribution-main listInline ">
            <li class="u-concealed"><a href="${base}/post-${p.id}" rel="nofollow"><time class="u-dt" dir="auto" datetime="${localIso(p.at)}" ${stamp} title="Jun 10, 2026 at 4:00 PM">Jun 10, 2026</time></a></li>
          </ul>
          <ul class="message-attribution-opposite message-attribution-opposite--list ">
            <li><a href="${base}/post-${p.id}" class="message-attribution-gadget" data-xf-init="share-tooltip" data-href="/p/${p.id}/share" aria-label="Share" rel="nofollow"><i class="fa--xf far fa-share-alt" aria-hidden="true"></i></a></li>
            <li><a href="${base}/post-${p.id}" rel="nofollow">#${p.position}</a></li>
          </ul>
        </header>
        <div class="message-content js-messageContent">
          <div class="message-userContent lbContainer js-lbContainer " data-lb-id="post-${p.id}" data-lb-caption-desc="${p.author} · Jun 10, 2026 at 4:00 PM">
            <article class="message-body js-selectToQuote">
              <div class="bbWrapper">${p.deleted ? '' : p.html}</div>
              <div class="js-selectToQuoteEnd">&nbsp;</div>
            </article>
          </div>
        </div>
        <footer class="message-footer"><div class="reactionsBar js-reactionsList "></div></footer>
      </div>
    </div>
  </div>
</article>`;
    })
    .join('\n');
  const pageNav =
    nav.prev || nav.next
      ? `<div class="pageNav  ">${nav.prev ? `<a href="${base}/page-${nav.prev}" class="pageNav-jump pageNav-jump--prev">Prev</a>` : ''}<ul class="pageNav-main"></ul>${nav.next ? `<a href="${base}/page-${nav.next}" class="pageNav-jump pageNav-jump--next">Next</a>` : ''}</div>`
      : '';
  return `<!DOCTYPE html>
<html id="XF" lang="vi-VN" dir="LTR" data-app="public" data-template="thread_view" class="has-no-js template-thread_view">
<head><meta charset="utf-8" /><title>${thread.title} | VOZ</title><script>window.XF = {};</script></head>
<body data-template="thread_view">
<div class="p-body"><div class="p-body-inner"><div class="p-body-main"><div class="p-body-content"><div class="p-body-pageContent">
<div class="block block--messages" data-xf-init="" data-type="post" data-href="/inline-mod/" data-search-target="*">
  <div class="block-outer">${pageNav}</div>
  <div class="block-container lbContainer"><div class="block-body js-replyNewMessageContainer">
${articles}
  </div></div>
</div>
</div></div></div></div></div>
</body></html>
`;
}

/** A quoted post as XenForo renders it inside a reply. */
export const quote = (author: string, text: string) =>
  `<blockquote data-attributes="member: 1" data-quote="${author}" data-source="post: 1" class="bbCodeBlock bbCodeBlock--expandable bbCodeBlock--quote js-expandWatch"><div class="bbCodeBlock-title"><a href="/goto/post?id=1" class="bbCodeBlock-sourceJump" rel="nofollow" data-xf-click="attribution" data-content-selector="#post-1">${author} said:</a></div><div class="bbCodeBlock-content"><div class="bbCodeBlock-expandContent js-expandContent ">${text}</div></div></blockquote>`;
