/**
 * Cutting text to a size: the one truncation alerts (SNS subjects, excerpts, Slack blocks) and sources use; and the
 * one rule for which characters a source may not put on a screen (alerts, triage show, score, the web inbox).
 */

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

// C0/C1 controls except tab/newline/CR (whitespace, collapsed later), and every default-ignorable or format
// character (bidi embeddings/overrides/isolates, zero-width spaces, soft hyphen, U+061C, U+180E, Hangul fillers, the
// tag block…): they hide or reorder text. The zero-width joiner and emoji presentation selectors stay (emoji
// sequences need them).
export const CONTROL_CHARS =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- matching these is the point
  /(?![\u200D\uFE0E\uFE0F])[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Default_Ignorable_Code_Point}\p{Cf}]/gu;

/** Text for a terminal or a page, lines kept: control characters (escape sequences) and invisible or reordering ones removed. */
export function stripControls(text: string): string {
  return text.replace(CONTROL_CHARS, '');
}
