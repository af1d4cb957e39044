/** Cutting text to a size: the one truncation alerts (SNS subjects, excerpts, Slack blocks) and sources use. */

// Made on the first cut, not at import: building a segmenter takes ~8 ms, a Lambda's init pays it otherwise.
let graphemes: Intl.Segmenter | undefined;

/**
 * Cut `text` to at most `maxUnits` UTF-16 code units (what SNS and JavaScript count), ending with `…` when cut.
 * Never splits a surrogate pair, an emoji sequence or a base letter from its accents. With `atWord`, the cut moves
 * back to the last space when one is within the last fifth, so a word is not chopped in half.
 */
export function truncate(text: string, maxUnits: number, options: { atWord?: boolean } = {}): string {
  if (text.length <= maxUnits) return text;
  let out = '';
  graphemes ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length + 1 > maxUnits) break;
    out += segment;
  }
  if (options.atWord) {
    const lastSpace = out.lastIndexOf(' ');
    if (lastSpace > maxUnits * 0.8) out = out.slice(0, lastSpace);
  }
  return `${out.trimEnd()}…`;
}
