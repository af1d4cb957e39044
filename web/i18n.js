// The inbox's words in English and Vietnamese. The language comes from the browser (navigator.languages) unless
// the viewer picked one (kept in localStorage). Dates and numbers are formatted for that language, in the viewer's
// own time zone.

const en = {
  appName: 'Earshot inbox',
  skip: 'Skip to content',
  inbox: 'Inbox',
  incidents: 'Incidents',
  overview: 'Overview',
  language: 'Language',
  brand: 'Brand',
  allBrands: 'All brands',
  unknownBrand: 'No brand {brand}; showing all brands.',
  status: 'Status',
  severity: 'Severity',
  source: 'Source',
  cue: 'Cue',
  lang: 'Language of the mention',
  assignee: 'Assignee',
  search: 'Search',
  searchPlaceholder: 'Search text, title, author…',
  sort: 'Sort',
  sortPriority: 'Severity, then newest',
  sortOverdue: 'Most overdue first',
  any: 'Any',
  unassigned: 'Unassigned',
  clearFilters: 'Clear filters',
  'status.open': 'Open',
  'status.all': 'All',
  'status.new': 'New',
  'status.acknowledged': 'Acknowledged',
  'status.resolved': 'Resolved',
  'status.false_positive': 'False positive',
  'severity.critical': 'Critical',
  'severity.high': 'High',
  'severity.medium': 'Medium',
  'severity.low': 'Low',
  'severity.none': 'None',
  'sla.ok': 'Due in {time}',
  'sla.due_soon': 'Due soon: {time}',
  'sla.overdue': 'Overdue by {time}',
  'sla.met': 'Answered in time',
  'sla.missed': 'Answered late',
  'sla.none': 'No SLA',
  ack: 'Acknowledge',
  resolve: 'Resolve',
  falsePositive: 'False positive',
  reopen: 'Reopen',
  assign: 'Assign',
  assignTo: 'Assign to',
  note: 'Add note',
  notePlaceholder: 'Write a note for the team…',
  save: 'Save',
  select: 'Select',
  selectAll: 'Select all on this page',
  selected: '{n} selected',
  clearSelection: 'Clear selection',
  loadMore: 'Load more',
  loading: 'Loading…',
  emptyQueue: 'Nothing here. The queue is clear for these filters.',
  error: 'Something went wrong: {message}',
  retry: 'Retry',
  done: '{n} updated',
  failed: '{n} could not be updated: {message}',
  keys: 'Keyboard shortcuts',
  'key.j': 'Next mention',
  'key.k': 'Previous mention',
  'key.a': 'Acknowledge (the selection, or the current mention)',
  'key.r': 'Resolve',
  'key.f': 'Mark as false positive',
  'key.x': 'Select or unselect the current mention',
  'key./': 'Search',
  'key.enter': 'Open the current mention',
  'key.?': 'Show these keys',
  'key.esc': 'Close, or go back',
  close: 'Close',
  back: 'Back to the inbox',
  openOriginal: 'Open the original',
  by: 'by {who}',
  reach: 'reach {n}',
  why: 'Why it was flagged',
  evidence: 'Evidence',
  otherSignals: 'Signals outside the text',
  brandReply: 'The brand replied',
  scores: 'Scores',
  sentiment: 'Sentiment',
  memorability: 'Memorability',
  aspects: 'Aspects',
  cxLevel: 'CX level',
  'cx.success': 'Success (problem not solved)',
  'cx.effort': 'Effort (too much struggle)',
  'cx.emotion': 'Emotion (left a bad feeling)',
  none: 'none',
  incident: 'Incident',
  partOfIncident: 'Part of incident “{title}” ({n} mentions)',
  history: 'History',
  notes: 'Notes',
  noNotes: 'No notes yet.',
  'event.created': 'entered the queue',
  'event.acknowledged': 'acknowledged',
  'event.resolved': 'resolved',
  'event.false_positive': 'marked as false positive',
  'event.assigned': 'assigned',
  'event.noted': 'added a note',
  'event.reopened': 'reopened',
  mentions: 'Mentions',
  size: 'Size',
  sources: 'Sources',
  languages: 'Languages',
  firstSeen: 'First seen',
  lastSeen: 'Last seen',
  title: 'Title',
  ackIncident: 'Acknowledge incident',
  incidentAcked: 'Incident acknowledged: {n} mentions',
  noIncidents: 'No open incidents.',
  timeline: 'Timeline',
  incidentSummary: '{n} mentions · {s} sources · languages: {l}',
  hourly: 'Mentions, negative and flagged per hour',
  spike: 'Spike',
  spikes: 'Spikes',
  negative: 'Negative',
  flagged: 'Flagged',
  fetched: 'Fetched',
  snr: 'Signal-to-noise per source',
  snrHelp: 'Relevant mentions out of everything fetched.',
  topCues: 'Top cues this week',
  topAspects: 'Top aspects this week',
  precisionByCue: 'Precision by cue',
  precisionBySource: 'Precision by source',
  precisionHelp: 'Share of reviewed flags that were not false positives.',
  reviewed: 'Reviewed',
  precision: 'Precision',
  health: 'Source health',
  lastSuccess: 'Last success',
  lag: 'Lag',
  lastError: 'Last error',
  failures: 'Failures in a row',
  never: 'never',
  nothingYet: 'No data yet.',
  signIn: 'Sign in',
  signOut: 'Sign out',
  tokenPrompt: 'This server needs its access token (the value of EARSHOT_SERVE_TOKEN).',
  token: 'Access token',
  age: 'Age',
  mention: 'Mention',
  row: '{severity} {status} mention from {source}',
  count: 'Count',
  total: 'Total',
  key: 'Key',
  'cue.negativity': 'negative tone',
  'cue.intensity': 'emotional intensity',
  'cue.expectationGap': 'expectation gap',
  'cue.effort': 'effort / time cost',
  'cue.unanswered': 'unanswered question',
  'cue.churn': 'churn intent',
  'cue.amplification': 'amplification',
  'cue.reach': 'reach',
  'cue.lowRating': 'low rating',
  'cue.notScored': 'not scored',
  'aspect.function': 'function',
  'aspect.time': 'time',
  'aspect.appeal': 'appeal',
  'aspect.environment': 'environment',
  'aspect.service': 'service',
  'aspect.price': 'price',
};

const vi = {
  appName: 'Hộp thư Earshot',
  skip: 'Chuyển đến nội dung',
  inbox: 'Hộp thư',
  incidents: 'Sự cố',
  overview: 'Tổng quan',
  language: 'Ngôn ngữ',
  brand: 'Thương hiệu',
  allBrands: 'Tất cả thương hiệu',
  unknownBrand: 'Không có thương hiệu {brand}; đang hiện tất cả thương hiệu.',
  status: 'Trạng thái',
  severity: 'Mức độ',
  source: 'Nguồn',
  cue: 'Dấu hiệu',
  lang: 'Ngôn ngữ của bài viết',
  assignee: 'Người phụ trách',
  search: 'Tìm kiếm',
  searchPlaceholder: 'Tìm theo nội dung, tiêu đề, tác giả…',
  sort: 'Sắp xếp',
  sortPriority: 'Mức độ, rồi mới nhất',
  sortOverdue: 'Quá hạn lâu nhất trước',
  any: 'Tất cả',
  unassigned: 'Chưa giao',
  clearFilters: 'Xóa bộ lọc',
  'status.open': 'Đang mở',
  'status.all': 'Tất cả',
  'status.new': 'Mới',
  'status.acknowledged': 'Đã tiếp nhận',
  'status.resolved': 'Đã xử lý',
  'status.false_positive': 'Báo nhầm',
  'severity.critical': 'Nghiêm trọng',
  'severity.high': 'Cao',
  'severity.medium': 'Trung bình',
  'severity.low': 'Thấp',
  'severity.none': 'Không',
  'sla.ok': 'Còn {time}',
  'sla.due_soon': 'Sắp đến hạn: {time}',
  'sla.overdue': 'Quá hạn {time}',
  'sla.met': 'Phản hồi đúng hạn',
  'sla.missed': 'Phản hồi trễ',
  'sla.none': 'Không có SLA',
  ack: 'Tiếp nhận',
  resolve: 'Đã xử lý',
  falsePositive: 'Báo nhầm',
  reopen: 'Mở lại',
  assign: 'Giao việc',
  assignTo: 'Giao cho',
  note: 'Thêm ghi chú',
  notePlaceholder: 'Viết ghi chú cho nhóm…',
  save: 'Lưu',
  select: 'Chọn',
  selectAll: 'Chọn tất cả trên trang này',
  selected: 'Đã chọn {n}',
  clearSelection: 'Bỏ chọn',
  loadMore: 'Xem thêm',
  loading: 'Đang tải…',
  emptyQueue: 'Không có gì ở đây. Hàng đợi trống với bộ lọc này.',
  error: 'Đã xảy ra lỗi: {message}',
  retry: 'Thử lại',
  done: 'Đã cập nhật {n}',
  failed: 'Không cập nhật được {n}: {message}',
  keys: 'Phím tắt',
  'key.j': 'Bài tiếp theo',
  'key.k': 'Bài trước',
  'key.a': 'Tiếp nhận (các bài đã chọn, hoặc bài hiện tại)',
  'key.r': 'Đánh dấu đã xử lý',
  'key.f': 'Đánh dấu báo nhầm',
  'key.x': 'Chọn hoặc bỏ chọn bài hiện tại',
  'key./': 'Tìm kiếm',
  'key.enter': 'Mở bài hiện tại',
  'key.?': 'Hiện các phím này',
  'key.esc': 'Đóng, hoặc quay lại',
  close: 'Đóng',
  back: 'Quay lại hộp thư',
  openOriginal: 'Mở bài gốc',
  by: 'bởi {who}',
  reach: 'lượt tiếp cận {n}',
  why: 'Vì sao bài này được gắn cờ',
  evidence: 'Bằng chứng',
  otherSignals: 'Tín hiệu ngoài nội dung',
  brandReply: 'Thương hiệu đã trả lời',
  scores: 'Điểm số',
  sentiment: 'Cảm xúc',
  memorability: 'Mức đáng nhớ',
  aspects: 'Khía cạnh',
  cxLevel: 'Cấp độ trải nghiệm',
  'cx.success': 'Kết quả (vấn đề chưa được giải quyết)',
  'cx.effort': 'Công sức (quá vất vả)',
  'cx.emotion': 'Cảm xúc (để lại ấn tượng xấu)',
  none: 'không có',
  incident: 'Sự cố',
  partOfIncident: 'Thuộc sự cố “{title}” ({n} bài)',
  history: 'Lịch sử',
  notes: 'Ghi chú',
  noNotes: 'Chưa có ghi chú.',
  'event.created': 'vào hàng đợi',
  'event.acknowledged': 'đã tiếp nhận',
  'event.resolved': 'đã xử lý',
  'event.false_positive': 'đánh dấu báo nhầm',
  'event.assigned': 'đã giao việc',
  'event.noted': 'đã thêm ghi chú',
  'event.reopened': 'đã mở lại',
  mentions: 'Bài viết',
  size: 'Số bài',
  sources: 'Nguồn',
  languages: 'Ngôn ngữ',
  firstSeen: 'Lần đầu',
  lastSeen: 'Lần cuối',
  title: 'Tiêu đề',
  ackIncident: 'Tiếp nhận sự cố',
  incidentAcked: 'Đã tiếp nhận sự cố: {n} bài',
  noIncidents: 'Không có sự cố nào đang mở.',
  timeline: 'Dòng thời gian',
  incidentSummary: '{n} bài · {s} nguồn · ngôn ngữ: {l}',
  hourly: 'Số bài, bài tiêu cực và bài bị gắn cờ mỗi giờ',
  spike: 'Tăng đột biến',
  spikes: 'Tăng đột biến',
  negative: 'Tiêu cực',
  flagged: 'Gắn cờ',
  fetched: 'Đã lấy',
  snr: 'Tỷ lệ tín hiệu trên nhiễu theo nguồn',
  snrHelp: 'Số bài liên quan trên tổng số bài đã lấy.',
  topCues: 'Dấu hiệu nổi bật tuần này',
  topAspects: 'Khía cạnh nổi bật tuần này',
  precisionByCue: 'Độ chính xác theo dấu hiệu',
  precisionBySource: 'Độ chính xác theo nguồn',
  precisionHelp: 'Tỷ lệ cờ đã xem xét mà không phải báo nhầm.',
  reviewed: 'Đã xem xét',
  precision: 'Độ chính xác',
  health: 'Tình trạng nguồn',
  lastSuccess: 'Thành công gần nhất',
  lag: 'Độ trễ',
  lastError: 'Lỗi gần nhất',
  failures: 'Số lần lỗi liên tiếp',
  never: 'chưa bao giờ',
  nothingYet: 'Chưa có dữ liệu.',
  signIn: 'Đăng nhập',
  signOut: 'Đăng xuất',
  tokenPrompt: 'Máy chủ này cần mã truy cập (giá trị của EARSHOT_SERVE_TOKEN).',
  token: 'Mã truy cập',
  age: 'Thời gian',
  mention: 'Bài viết',
  row: 'Bài {severity}, {status}, từ {source}',
  count: 'Số lượng',
  total: 'Tổng',
  key: 'Mục',
  'cue.negativity': 'giọng tiêu cực',
  'cue.intensity': 'cảm xúc mạnh',
  'cue.expectationGap': 'kỳ vọng hụt hẫng',
  'cue.effort': 'tốn công / thời gian',
  'cue.unanswered': 'câu hỏi chưa được trả lời',
  'cue.churn': 'ý định rời bỏ',
  'cue.amplification': 'lan truyền',
  'cue.reach': 'độ tiếp cận',
  'cue.lowRating': 'đánh giá thấp',
  'cue.notScored': 'chưa chấm điểm',
  'aspect.function': 'chức năng',
  'aspect.time': 'thời gian',
  'aspect.appeal': 'hình thức',
  'aspect.environment': 'môi trường',
  'aspect.service': 'dịch vụ',
  'aspect.price': 'giá cả',
};

export const DICTIONARIES = { en, vi };
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'vi', name: 'Tiếng Việt' },
];
const STORAGE_KEY = 'earshot.lang';

function pickLanguage() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && DICTIONARIES[saved]) return saved;
  } catch {
    // storage may be disabled
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const code = String(tag).toLowerCase().split('-')[0];
    if (DICTIONARIES[code]) return code;
  }
  return 'en';
}

let current = pickLanguage();

export function lang() {
  return current;
}

export function setLang(code) {
  if (!DICTIONARIES[code]) return;
  current = code;
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // storage may be disabled
  }
  document.documentElement.lang = code;
}

export function t(key, vars = {}) {
  const text = DICTIONARIES[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? `{${name}}` : String(vars[name])));
}

// Intl formatters are slow to build (a queue page formats hundreds of dates): one of each per language and options.
const formatters = new Map();
function cached(Kind, options) {
  const key = `${Kind.name}\u0000${current}\u0000${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) formatters.set(key, (found = new Kind(current, options)));
  return found;
}

export function formatDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso ?? '');
  return cached(Intl.DateTimeFormat, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatHour(ms) {
  return cached(Intl.DateTimeFormat, { month: 'short', day: 'numeric', hour: '2-digit' }).format(new Date(ms));
}

/** "3 h", "12 min", "2 d": a short duration for SLA badges. */
export function formatDuration(ms) {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60000));
  const unit = (value, u) => cached(Intl.NumberFormat, { style: 'unit', unit: u, unitDisplay: 'narrow' }).format(value);
  if (minutes < 60) return unit(minutes, 'minute');
  if (minutes < 48 * 60) return unit(Math.round(minutes / 6) / 10, 'hour');
  return unit(Math.round(minutes / 144) / 10, 'day');
}

export function formatAgo(iso, nowMs) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const rtf = cached(Intl.RelativeTimeFormat, { numeric: 'auto', style: 'short' });
  const seconds = Math.round((ms - nowMs) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

export function formatNumber(n, opts) {
  return cached(Intl.NumberFormat, opts ?? {}).format(n);
}

export function formatPercent(value) {
  return value === null || value === undefined
    ? '–'
    : formatNumber(value, { style: 'percent', maximumFractionDigits: 0 });
}
