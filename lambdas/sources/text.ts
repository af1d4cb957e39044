import { decode } from 'he';
import { truncate } from '../core/text';

/** Default cap on mention text: enough for any review or post, bounded for queues and tables. */
export const MAX_TEXT_LENGTH = 5000;

const DROP_BLOCKS = /<(script|style|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const LINE_BREAK_TAGS = /<\s*(br|hr)\b[^>]*\/?>/gi;
const BLOCK_TAGS = /<\/?\s*(p|div|li|ul|ol|h[1-6]|blockquote|pre|tr|table|section|article|header|footer)\b[^>]*>/gi;
const ANY_TAG = /<\/?[a-zA-Z][^>]*>|<!--[\s\S]*?-->/g;

/** Collapse runs of spaces inside lines and keep at most one blank line between paragraphs. */
export function normalizeWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\f\v \u00a0\u2000-\u200b\u202f\u205f\u3000]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** HTML (or text with entities) to plain text: tags dropped, paragraphs and breaks kept as newlines, entities decoded. */
export function htmlToText(html: string | null | undefined, max = MAX_TEXT_LENGTH): string {
  if (!html) return '';
  const withBreaks = html
    .replace(DROP_BLOCKS, ' ')
    .replace(LINE_BREAK_TAGS, '\n')
    .replace(BLOCK_TAGS, '\n\n')
    .replace(ANY_TAG, '');
  return truncate(normalizeWhitespace(decode(withBreaks)), max, { atWord: true });
}

/** Plain text from a source (already tag-free) with whitespace normalized and length capped. */
export function cleanText(text: string | null | undefined, max = MAX_TEXT_LENGTH): string {
  return text ? truncate(normalizeWhitespace(text), max, { atWord: true }) : '';
}

/** Title and body joined, so analysis sees both (posts often carry the complaint in the title). */
export function joinTitleAndBody(title: string | undefined, body: string): string {
  if (!title) return body;
  if (!body) return title;
  return body.startsWith(title) ? body : `${title}\n\n${body}`;
}
