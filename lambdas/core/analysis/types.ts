/** VADER-style polarity scores; compound in [-1, 1]. */
export interface Sentiment {
  neg: number;
  neu: number;
  pos: number;
  compound: number;
}

export const CUE_NAMES = [
  'negativity',
  'intensity',
  'expectationGap',
  'effort',
  'unanswered',
  'churn',
  'amplification',
  'reach',
  'lowRating',
  'notScored',
] as const;
export type CueName = (typeof CUE_NAMES)[number];

/** How each cue is named to people: in `earshot score`, triage and alert bodies alike. */
export const CUE_LABELS: Readonly<Record<CueName, string>> = {
  negativity: 'negative tone',
  intensity: 'emotional intensity',
  expectationGap: 'expectation gap',
  effort: 'effort / time cost',
  unanswered: 'unanswered question',
  churn: 'churn intent',
  amplification: 'amplification',
  reach: 'reach',
  lowRating: 'low rating',
  notScored: 'not scored',
};

/** The cues' names in Vietnamese (as the web inbox shows them), for alerts about Vietnamese mentions. */
export const CUE_LABELS_VI: Readonly<Record<CueName, string>> = {
  negativity: 'giọng tiêu cực',
  intensity: 'cảm xúc mạnh',
  expectationGap: 'kỳ vọng hụt hẫng',
  effort: 'tốn công / thời gian',
  unanswered: 'câu hỏi chưa được trả lời',
  churn: 'ý định rời bỏ',
  amplification: 'lan truyền',
  reach: 'độ tiếp cận',
  lowRating: 'đánh giá thấp',
  notScored: 'chưa chấm điểm',
};

/** One named, explainable reason, with the words that triggered it and its weight in memorability. */
export interface Cue {
  name: CueName;
  /** Contribution in [0, 1] before weighting. */
  strength: number;
  /** The words or signals that triggered it (short excerpts). */
  evidence: string[];
}

export const ASPECTS = ['function', 'time', 'appeal', 'environment', 'service', 'price'] as const;
export type Aspect = (typeof ASPECTS)[number];

export type CxLevel = 'success' | 'effort' | 'emotion';
export const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The sentiment in one word: `positive` when compound >= POLARITY_BAND, `negative` when compound <= -POLARITY_BAND,
 * `neutral` in between (VADER's usual band). Facts, questions and plain descriptions score inside the band.
 */
export type Polarity = 'positive' | 'neutral' | 'negative';
export const POLARITY_BAND = 0.05;

export function polarityOf(compound: number): Polarity {
  if (compound >= POLARITY_BAND) return 'positive';
  if (compound <= -POLARITY_BAND) return 'negative';
  return 'neutral';
}

export interface Analysis {
  language: string;
  sentiment: Sentiment;
  polarity: Polarity;
  complaint: boolean;
  memorable: boolean;
  memorability: number;
  severity: Severity;
  cues: Cue[];
  aspects: Aspect[];
  cxLevel: CxLevel | null;
}

/** What analysis needs to know about a mention: the text, plus optional signals the source carried. */
export interface AnalysisInput {
  text: string;
  title?: string;
  /** Language hint from the source or the caller (e.g. `vi`). */
  lang?: string;
  rating?: number;
  authorReach?: number;
  engagement?: { likes?: number; shares?: number; replies?: number };
}
