/**
 * The product's canonical cases, hand-written brand mentions (not taken from any data set): what a brand team must
 * be told about (memorable negative experiences), what is a complaint but not an alert, and what is no complaint.
 */
import { analyze } from '../../lambdas/core/analysis/analyze';
import { SEVERITIES, type Analysis, type CueName } from '../../lambdas/core/analysis/types';

function cueNames(a: Analysis): CueName[] {
  return a.cues.map((c) => c.name);
}

const atLeastMedium = (a: Analysis) => SEVERITIES.indexOf(a.severity) >= SEVERITIES.indexOf('medium');

/** Text, then the experience cues it must carry. */
type Case = [string, CueName[]];

const MEMORABLE_EN: Case[] = [
  ['Still waiting for my refund after 3 weeks. Nobody answers the phone.', ['effort', 'unanswered']],
  [
    'Paid $1200 for this laptop and the screen died after a week. Never buying Acme again.',
    ['expectationGap', 'churn'],
  ],
  [
    'Acme lost my order for the third time, waited 2 weeks, support never replied. Cancelling my Acme account.',
    ['effort', 'unanswered', 'churn'],
  ],
  [
    'Been on hold with Acme for 2 hours and then they hung up on me. Switching to Globex tomorrow.',
    ['effort', 'unanswered', 'churn'],
  ],
  [
    'I pay for Acme Premium and the app has crashed every day for a month. Emailed support 4 times, no reply.',
    ['effort', 'unanswered'],
  ],
  [
    'My Acme fridge stopped working after 3 weeks and the technician never showed up. I want my money back.',
    ['expectationGap', 'effort', 'churn'],
  ],
  [
    "Third time this month my Acme delivery is late and nobody from customer service responds. I'm done with you.",
    ['effort', 'unanswered', 'churn'],
  ],
  ['Acme charged me twice, I have called 5 times and still no refund. Closing my account.', ['effort', 'churn']],
  [
    'Ordered a birthday cake from Acme, it never arrived, spent hours on the phone and nobody picked up. Never ordering again.',
    ['effort', 'unanswered', 'churn'],
  ],
  [
    '@AcmeAir lost my luggage, waited 3 days for an update and still nothing. Never flying Acme again.',
    ['effort', 'unanswered', 'churn'],
  ],
  [
    'Spent $300 on Acme headphones that broke after two weeks. Customer service ignored my emails. Avoid.',
    ['expectationGap', 'effort', 'unanswered', 'amplification'],
  ],
  [
    'Acme promised delivery by Friday. It has been 10 days, no update, and my emails are ignored. Cancelling.',
    ['expectationGap', 'effort', 'unanswered', 'churn'],
  ],
  [
    'I have been a loyal customer for 10 years and waited 45 minutes on hold just to get disconnected. Moving to Globex.',
    ['expectationGap', 'effort', 'churn'],
  ],
  [
    "Acme internet has been down for 3 days. Called support 6 times and it is still not fixed. I'm switching providers.",
    ['effort', 'churn'],
  ],
  [
    'Worst experience ever at Acme: waited 2 hours at the store, staff were rude and refused to refund me. Never going back.',
    ['effort', 'churn'],
  ],
  ["It's been a month and Acme still hasn't refunded me. My emails go unanswered.", ['effort', 'unanswered']],
  [
    "Two hours on the phone with Acme and nobody could help. I'm cancelling my subscription.",
    ['effort', 'unanswered', 'churn'],
  ],
  ['Day 5 of no internet from Acme and nobody will give me an answer.', ['effort', 'unanswered']],
  [
    "Acme told me my replacement would ship in 3 days. It's been 3 weeks. Nobody replies to my emails.",
    ['effort', 'unanswered'],
  ],
  ['Acme keeps charging me after I cancelled. Third email this week, no response.', ['effort', 'unanswered']],
];

const MILD_EN: string[] = [
  '@AcmeHelp my package says delivered but it is not here. Order #12345',
  'The Acme app is a bit slow to load today.',
  '@AcmeHelp the checkout page keeps giving me an error.',
  'My Acme coffee was cold and the lid was missing.',
  'Why does the Acme app log me out every time I update it?',
  'My Acme headphones have a buzzing noise in the left ear, kind of annoying.',
  'The Acme store on Main St was out of stock of the blue jacket again.',
  '@AcmeHelp my order arrived damaged, can you send a replacement?',
  'Why is Acme so slow today?',
];

const NOT_COMPLAINTS_EN: string[] = [
  'Acme support is great, they fixed my issue in minutes.',
  'thanks @AcmeHelp for the quick refund!',
  'Does the Acme store on Main St open on Sundays?',
  'Can I change the delivery address on my Acme order?',
  'Just got my new Acme laptop, loving it so far!',
  'Acme announces quarterly results and a new store in Denver.',
  'Shoutout to the Acme team, my order arrived a day early.',
  'Is the Acme winter jacket true to size?',
  'Thank you Acme for sorting out my account so quickly.',
  "Acme's new phone launches next week, pre-orders open Monday.",
  'No problems at all with my Acme washer, five years and still going strong.',
  "Can't wait for the Acme sale this weekend!",
  'Had an issue with my bill but Acme support resolved it in one call. Great service.',
  "Acme's new update is great, love the dark mode!",
  'Hey @AcmeHelp, is there a way to reset my password from the app?',
];

const MEMORABLE_VI: Case[] = [
  [
    'Đặt hàng trên Acme 2 tuần rồi vẫn chưa nhận được, gọi tổng đài không ai nghe máy. Không bao giờ mua nữa.',
    ['effort', 'unanswered', 'churn'],
  ],
  [
    'Mua điện thoại Acme giá 20 triệu mà dùng được một tuần đã hỏng, nhắn tin shop không trả lời. Thất vọng quá.',
    ['expectationGap', 'unanswered'],
  ],
  [
    'Hàng không như hình, chờ mãi không ai trả lời, lần đầu và cũng là lần cuối mua ở Acme.',
    ['expectationGap', 'effort', 'unanswered', 'churn'],
  ],
  ['Giao hàng chậm cả tuần, nhân viên thái độ kém, đã hủy đơn và sẽ không quay lại Acme nữa.', ['effort', 'churn']],
  [
    'Gọi Acme 5 lần vẫn không ai giải quyết, mất tiền mà không được gì. Chuyển sang hãng khác.',
    ['effort', 'unanswered', 'churn'],
  ],
  ['dat hang 3 tuan van chua giao, shop khong tra loi, khong bao gio mua nua', ['effort', 'unanswered', 'churn']],
];

const MILD_VI: string[] = [
  'Giao hàng hơi chậm một chút.',
  'Áo bị lỗi đường may ở tay.',
  'Không hài lòng với chất lượng áo lần này.',
];

const NOT_COMPLAINTS_VI: string[] = [
  'Cảm ơn Acme, giao hàng nhanh, sản phẩm rất tốt.',
  'Shop ơi áo này còn size M không ạ?',
  'Acme khai trương cửa hàng mới ở Hà Nội tuần sau.',
  'Rất hài lòng, sẽ ủng hộ shop dài dài.',
  'Nhân viên tư vấn nhiệt tình, cảm ơn shop nhiều.',
  'Tiếp tục ủng hộ shop, áo màu hồng rất đẹp.',
];

describe('canonical memorable negative experiences (English)', () => {
  it.each(MEMORABLE_EN)('%s', (text, expected) => {
    const a = analyze({ text });
    expect(a.language).toBe('en');
    expect(a.complaint).toBe(true);
    expect(a.memorable).toBe(true);
    expect(atLeastMedium(a)).toBe(true);
    expect(cueNames(a)).toEqual(expect.arrayContaining(expected));
  });
});

describe('canonical memorable negative experiences (Vietnamese)', () => {
  it.each(MEMORABLE_VI)('%s', (text, expected) => {
    const a = analyze({ text, lang: 'vi' });
    expect(a.complaint).toBe(true);
    expect(a.memorable).toBe(true);
    expect(atLeastMedium(a)).toBe(true);
    expect(cueNames(a)).toEqual(expect.arrayContaining(expected));
  });
});

describe('mild complaints: a complaint, not an alert', () => {
  it.each(MILD_EN.map((text) => [text, 'en']).concat(MILD_VI.map((text) => [text, 'vi'])))('%s', (text, lang) => {
    const a = analyze({ text, lang });
    expect(a.complaint).toBe(true);
    expect(a.memorable).toBe(false);
  });
});

describe('questions, praise, thanks and news are not complaints', () => {
  it.each(NOT_COMPLAINTS_EN.map((text) => [text, 'en']).concat(NOT_COMPLAINTS_VI.map((text) => [text, 'vi'])))(
    '%s',
    (text, lang) => {
      const a = analyze({ text, lang });
      expect(a.complaint).toBe(false);
      expect(a.memorable).toBe(false);
      expect(a.severity).toBe('none');
    },
  );
});

describe('what the canonical cases rest on', () => {
  it('a refund is not churn: thanks for a quick refund carries no churn cue', () => {
    const a = analyze({ text: 'thanks @AcmeHelp for the quick refund!' });
    expect(cueNames(a)).not.toContain('churn');
  });

  it('strong experience cues carry a mention to memorable even when VADER reads it as positive', () => {
    const a = analyze({
      text: 'Acme lost my order for the third time, waited 2 weeks, support never replied. Cancelling my Acme account.',
    });
    expect(a.sentiment.compound).toBeGreaterThan(0);
    expect(a.memorable).toBe(true);
    expect(a.cues.find((c) => c.name === 'churn')?.evidence).toContain('Cancelling');
  });

  it('plain negativity with nothing it is about is not memorable', () => {
    for (const text of ['I hate Mondays.', 'The movie was terrible lol', 'Ugh, what a day.']) {
      expect(analyze({ text }).memorable).toBe(false);
    }
  });

  it('the same experience told with one cue is less memorable than with several', () => {
    const one = analyze({ text: 'Still waiting for my Acme refund.' });
    const several = analyze({ text: 'Still waiting for my Acme refund after 3 weeks. Nobody answers the phone.' });
    expect(several.memorability).toBeGreaterThan(one.memorability);
  });
});
