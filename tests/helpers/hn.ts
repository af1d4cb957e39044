/** Hacker News (Algolia) search results as `search_by_date` returns them, for the CLI tests' local servers. */

/** A complaint every CLI test expects to be stored, flagged and alerted. */
export const HN_COMPLAINT =
  'Acme lost my order for the third time and support never replied. Worst service ever, cancelling my Acme account, never again!';

/** One comment hit, `ago` seconds before `now` (Unix seconds). */
export function hnCommentHit(id: string, ago: number, text: string, now = Math.floor(Date.now() / 1000)) {
  return {
    objectID: id,
    created_at: new Date((now - ago) * 1000).toISOString(),
    created_at_i: now - ago,
    author: `u${id}`,
    comment_text: text,
    story_title: 'Ask HN',
    _tags: ['comment'],
  };
}
