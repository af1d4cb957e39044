/**
 * Generated mention texts for `npm run bench`: mixed English and Vietnamese (with and without diacritics), of
 * review length, built from hand-written sentence parts by a seeded generator so every run scores the same lines.
 * Nothing here comes from the development data.
 */

const EN_OPENERS = [
  'Ordered a blender on the {n}th',
  'I have been a customer for six years',
  'Booked the {n}am flight AC{id}',
  'Tried the new app update today',
  'Went to the downtown store last night',
  'Called support {n} times about my bill',
  'Bought the premium plan last month',
  'My package finally arrived',
  'Just got back from the hotel',
  'Signed up for the free trial',
  'The delivery driver came this morning',
  'We had dinner there for our anniversary',
  'Upgraded my phone plan',
  'Picked up my car from the service centre',
];
const EN_MIDDLES = [
  'and it arrived two weeks late with a cracked jar',
  'and waited on hold for {n} hours before anyone answered',
  'and the checkout kept failing with an error',
  'and honestly it works better than I expected',
  'but the staff were friendly and the room was clean',
  'and they charged me twice for the same order',
  'and the battery life is shorter than advertised',
  'and nobody replied to my emails for a week',
  'and the food was cold and the waiter was rude',
  'and the new dark mode looks great',
  'but the app keeps crashing when I try to log in',
  'and the refund for order #{id} still has not shown up after {n} weeks',
  'and the setup took about ten minutes',
  'and the sound quality surprised me for the price',
  'and my bag was lost somewhere between two connections',
];
const EN_CLOSERS = [
  'Never again.',
  'Five stars from me!',
  'Really disappointed, I expected so much more for the price.',
  'Would buy from them again.',
  'Cancelling my subscription today.',
  'Not bad, not great.',
  'Everyone should know how they treat loyal customers.',
  'Thanks for the quick help 😊',
  'UNACCEPTABLE!!!',
  'Kind of useful, sort of clunky.',
  'Is anyone even reading these?',
  'Love it 😍',
  'Switching to a competitor.',
  'It does what it says, nothing more.',
];
const VI_OPENERS = [
  'Mình đặt hàng hôm thứ hai',
  'Mua điện thoại ở cửa hàng này',
  'Lần đầu mua trên shop',
  'Đi máy bay chuyến AC{id}',
  'Gọi tổng đài {n} lần',
  'Shop giao hàng nhanh',
  'Nhân viên tư vấn nhiệt tình',
  'Đặt phòng khách sạn qua app',
  'Dùng được hai tuần',
];
const VI_MIDDLES = [
  'nhưng giao hàng chậm {n} ngày',
  'sản phẩm không như hình, chất lượng kém',
  'hàng đẹp, đóng gói cẩn thận',
  'mà không ai trả lời tin nhắn',
  'pin rất tốt, màn hình đẹp',
  'bị mất hành lý mà hãng không hỗ trợ',
  'giá hợp lý, sẽ ủng hộ tiếp',
  'máy bị lỗi, đổi trả rất mệt',
  'vải mỏng, đường may xấu',
];
const VI_CLOSERS = [
  'Thất vọng quá.',
  'Rất hài lòng!',
  'Sẽ không bao giờ mua lại.',
  'Cho shop {n} sao.',
  'Mọi người nên cân nhắc.',
  'Tạm được.',
  'Quá tệ 😡',
  'Cảm ơn shop nhiều ❤️',
];

/** Optional starts and ends of a post: tags, hashtags, a day count. */
const EN_PREFIXES = ['@AcmeSupport', 'Update:', 'Honestly,', 'Day {n}:', 'PSA:', 'So'];
const EN_SUFFIXES = ['#fail', '#customerservice', '(posted from my phone)', 'Edit: still no reply after {n} days.'];
const VI_PREFIXES = ['@shop', 'Cập nhật:', 'Thật sự'];
const VI_SUFFIXES = ['#review', 'Đã {n} ngày rồi.'];

/** Mulberry32: a small seeded generator, so the lines are the same on every run and machine. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Vietnamese as many people type it: no diacritics ("thất vọng" → "that vong"). */
function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** Share of the lines that are Vietnamese, and of those, the share written without diacritics. */
export const VIETNAMESE_SHARE = 0.3;
export const NO_DIACRITICS_SHARE = 0.4;

/** `count` mention texts of 1–4 sentences (about 60–400 characters), English and Vietnamese mixed. */
export function generateBenchTexts(count: number, seed = 11): string[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const texts: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const vietnamese = random() < VIETNAMESE_SHARE;
    const [openers, middles, closers, prefixes, suffixes] = vietnamese
      ? [VI_OPENERS, VI_MIDDLES, VI_CLOSERS, VI_PREFIXES, VI_SUFFIXES]
      : [EN_OPENERS, EN_MIDDLES, EN_CLOSERS, EN_PREFIXES, EN_SUFFIXES];
    const sentences: string[] = [];
    if (random() < 0.3) sentences.push(pick(prefixes));
    const count = 1 + Math.floor(random() * 3);
    for (let s = 0; s < count; s++) sentences.push(`${pick(openers)} ${pick(middles)}.`);
    sentences.push(pick(closers));
    if (random() < 0.3) sentences.push(pick(suffixes));
    // Numbers vary (hours, order and flight numbers), so few lines repeat: caching a text's analysis gains nothing.
    let text = sentences
      .join(' ')
      .replace(/\{n\}/g, () => String(2 + Math.floor(random() * 9)))
      .replace(/\{id\}/g, () => String(100 + Math.floor(random() * 9900)));
    if (vietnamese && random() < NO_DIACRITICS_SHARE) text = stripDiacritics(text);
    texts[i] = text;
  }
  return texts;
}

/** The texts as `score --jsonl` input: one `{"id","text"}` object a line, no language hint. */
export function benchJsonl(texts: readonly string[]): string {
  return texts.map((text, i) => JSON.stringify({ id: String(i + 1), text })).join('\n') + '\n';
}
