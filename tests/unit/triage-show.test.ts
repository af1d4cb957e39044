import { formatMention } from '../../bin/cli/triage';
import { mention } from './alerting/helpers';

/** `triage show`'s text: the brand's reply under the mention, and nothing a source chose can drive the terminal. */

it('prints the brand reply under the text, and no escape sequence or bidi control from the source', () => {
  const m = mention(
    'Nồi tróc chống dính\u001b[2J\u001b]0;pwned\u0007, bảo hành 3 tuần chưa trả.\nGọi không ai nghe máy.',
    {
      id: '31000000105',
      sourceId: 'bephong-shopee',
      kind: 'shopee',
      author: 'minh\u202Etuan\u001b[31m',
      reply: { text: 'Dạ <b>shop</b> xin lỗi\u001b[1m anh\n ạ', createdAt: '2026-06-10T10:15:00.000Z' },
    },
  );
  const out = formatMention(m);
  const lines = out.split('\n');
  const at = lines.indexOf('Gọi không ai nghe máy.');
  expect(lines[at - 1]).toBe('Nồi tróc chống dính[2J]0;pwned, bảo hành 3 tuần chưa trả.');
  expect(lines[at + 1]).toBe('↳ the brand replied at 2026-06-10T10:15:00.000Z: Dạ ‹b›shop‹/b› xin lỗi[1m anh ạ');
  expect(lines[at + 2]).toBe('');
  expect(out).toContain('by minhtuan[31m');
  // eslint-disable-next-line no-control-regex -- the point
  expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
});

it('without a reply the text is followed by the blank line, as before', () => {
  const lines = formatMention(mention('Acme lost my bag.')).split('\n');
  expect(lines[lines.indexOf('Acme lost my bag.') + 1]).toBe('');
  expect(lines.join('\n')).not.toContain('the brand replied');
});
