/**
 * From cues to decisions: complaint yes/no, memorability, aspects, the CX level that failed, and severity.
 * Every number here is a named constant so an alert can be explained and the rules audited.
 */
import { ASPECTS, type Aspect, type Cue, type CueName, type CxLevel, type Sentiment, type Severity } from './types';
import type { CueDetection, TextSignals } from './cues';

// ---------------------------------------------------------------------------------------------------------------
// Complaint: a breach of the writer's expectations by a brand, product or service.

/** Weights of the complaint score. Problems and unmet expectations count most; gratitude and praise count against. */
export const COMPLAINT_WEIGHTS = {
  negativeSentiment: 0.3,
  problem: 0.9,
  expectationGap: 0.5,
  effort: 0.35,
  unanswered: 0.7,
  churn: 0.6,
  amplification: 0.5,
  emotion: 0.4,
  intensity: 0.2,
  /** Talking about an order, an app, a store, support, a price...: the negativity is about a product or service. */
  productContext: 0.15,
  satisfaction: -0.3,
  positiveSentiment: -0.2,
  /** A gripe about oneself or the world (the weather, traffic, politics) is no complaint about a brand. */
  elsewhere: -0.6,
} as const;
/** Naming only a thing a brand sells (no aspect of it) is half the product context. */
export const PRODUCT_ONLY_CONTEXT = 0.5;
/** Score at or above which a mention is a complaint. */
export const COMPLAINT_THRESHOLD = 0.225;

function cueStrength(cues: Cue[], name: CueName): number {
  for (const cue of cues) if (cue.name === name) return cue.strength;
  return 0;
}

/** The complaint score: a weighted sum of what was found in the text and its sentiment. */
export function complaintScore(detection: CueDetection, sentiment: Sentiment): number {
  const s = detection.signals;
  const w = COMPLAINT_WEIGHTS;
  const negative = sentiment.compound < 0 ? -sentiment.compound : 0;
  // Service words are positive to VADER ("support", "help", "please"): with two strong experience cues the
  // positive compound says more about the vocabulary than about the experience, so it no longer counts against.
  const positive = sentiment.compound > 0 && experienceCombination(detection.cues) === 0 ? sentiment.compound : 0;
  return (
    w.negativeSentiment * negative +
    w.problem * s.problem.strength +
    w.expectationGap * s.expectationGap.strength +
    w.effort * s.effort.strength +
    w.unanswered * s.unanswered.strength +
    w.churn * s.churn.strength +
    w.amplification * s.amplification.strength +
    w.emotion * s.emotion.strength +
    w.intensity * cueStrength(detection.cues, 'intensity') +
    w.productContext * (namesAnAspect(s) ? 1 : s.product.strength > 0 ? PRODUCT_ONLY_CONTEXT : 0) +
    w.satisfaction * s.satisfaction.strength +
    w.positiveSentiment * positive +
    w.elsewhere * s.elsewhere.strength
  );
}

/**
 * A complaint is about something: a product, a service, a promise. Negativity, swearing and "can't" with nothing
 * they are about (no aspect named, no broken promise, no time lost, no unanswered question, no leaving) is a mood,
 * a joke or politics: it needs this much more evidence to count.
 */
export const UNANCHORED_COMPLAINT_THRESHOLD = 0.45;
/** An experience cue at least this strong anchors a complaint. */
export const ANCHORING_CUE = 0.5;

function anchorsAComplaint(detection: CueDetection): boolean {
  const s = detection.signals;
  return (
    s.product.strength > 0 ||
    namesAnAspectBesidesTime(s) ||
    s.expectationGap.strength >= ANCHORING_CUE ||
    s.effort.strength >= ANCHORING_CUE ||
    s.unanswered.strength > 0 ||
    s.churn.strength > 0
  );
}

/**
 * Compound at or above which the text as a whole is praise: a fault named in passing ("pin hơi yếu nhưng mọi thứ
 * tuyệt vời") is then a reservation, not a complaint, unless the text also says what it cost (a strong experience
 * cue: a broken promise, time lost, no answer, leaving).
 */
export const PRAISE_COMPOUND = 0.05;

function hasStrongExperienceCue(cues: Cue[]): boolean {
  for (const cue of cues) if (isExperienceCue(cue.name) && cue.strength >= STRONG_EXPERIENCE_CUE) return true;
  return false;
}

export function isComplaint(detection: CueDetection, sentiment: Sentiment): boolean {
  return isComplaintAt(detection, sentiment, COMPLAINT_THRESHOLD);
}

/** The complaint decision at a given threshold of the score (eval tunes it leave-one-domain-out). */
export function isComplaintAt(detection: CueDetection, sentiment: Sentiment, threshold: number): boolean {
  const score = complaintScore(detection, sentiment);
  if (score < threshold) return false;
  // Only where our own scorer judged the words: VADER scores service words ("please help", "support") positive.
  if (detection.language === 'vi' && sentiment.compound > -PRAISE_COMPOUND && !hasStrongExperienceCue(detection.cues))
    return false;
  if (isThanksWithoutFault(detection, sentiment)) return false;
  return score >= UNANCHORED_COMPLAINT_THRESHOLD || anchorsAComplaint(detection);
}

/** Compound at or above which thanks with no fault named is praise ("switched to fibre, incredible, thanks"). */
export const THANKS_COMPOUND = 0.3;

/** Praise with thanks that names no fault and no unanswered question: leaving words there are joining words. */
function isThanksWithoutFault(detection: CueDetection, sentiment: Sentiment): boolean {
  const s = detection.signals;
  return (
    sentiment.compound >= THANKS_COMPOUND &&
    s.satisfaction.strength > 0 &&
    s.problem.strength === 0 &&
    s.unanswered.strength === 0 &&
    s.expectationGap.strength === 0
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Memorability: how likely the writer is to retell this experience.

/** Weight of each cue's strength in memorability (they sum above 1: several strong cues saturate it). */
export const MEMORABILITY_WEIGHTS: Readonly<Record<CueName, number>> = {
  negativity: 0.8,
  intensity: 0.1,
  expectationGap: 0.1,
  effort: 0.05,
  unanswered: 0.2,
  churn: 0.1,
  amplification: 0.2,
  reach: 0.05,
  lowRating: 0.2,
  notScored: 0,
};
/**
 * The same weights in a Map: read with a cue's name, a Map lookup stays fast where a read of the record by a computed
 * key takes one of ten names (a megamorphic lookup in V8, the costliest step of memorability).
 */
const MEMORABILITY_WEIGHT: ReadonlyMap<CueName, number> = new Map(
  Object.entries(MEMORABILITY_WEIGHTS) as [CueName, number][],
);
/** Praise and hedges in the same text (a mixed review: "great app but...") take this much off memorability. */
export const MIXED_REVIEW_DAMPING = 0.4;
/** A complaint at or above this memorability is a memorable negative experience. */
export const MEMORABLE_THRESHOLD = 0.44;

/**
 * Cues that say what the experience cost the customer, beyond a bad feeling: a broken promise, time and struggle,
 * an unanswered question, leaving the brand. Together they make the story a customer retells.
 */
export function isExperienceCue(name: CueName): boolean {
  // Comparisons, not a Set: cue names are interned strings (a pointer compare each), and this runs for every cue
  // of every text, several times.
  return name === 'expectationGap' || name === 'effort' || name === 'unanswered' || name === 'churn';
}
/** An experience cue at least this strong counts as present: a lone "still" or "always" is not a story. */
export const STRONG_EXPERIENCE_CUE = 0.6;
/**
 * Memorability added per strong experience cue beyond the strongest one (times its strength): "waited 3 weeks"
 * plus "nobody answers" is memorable even in calm words, and VADER often scores such texts neutral or positive.
 */
export const COMBINATION_BONUS = 0.35;
/**
 * Memorability of a text that names nothing it is about (no aspect, no experience cue, no rating): plain
 * negativity ("I hate Mondays") is a mood, not an experience, so it stays below MEMORABLE_THRESHOLD.
 */
export const UNANCHORED_CAP = 0.35;

/** Strengths of the strong experience cues, summed, and the strongest: the combination bonus needs both. */
function experienceCombination(cues: Cue[]): number {
  let sum = 0;
  let max = 0;
  for (const cue of cues) {
    if (!isExperienceCue(cue.name) || cue.strength < STRONG_EXPERIENCE_CUE) continue;
    sum += cue.strength;
    if (cue.strength > max) max = cue.strength;
  }
  return sum - max;
}

/** Whether the text says what went wrong with what: an aspect, an experience cue, a rating, or a warning. */
function isAnchored(cues: Cue[], signals: TextSignals): boolean {
  if (namesAnAspect(signals)) return true;
  for (const cue of cues) {
    if (isExperienceCue(cue.name) || cue.name === 'lowRating' || cue.name === 'reach') return true;
    if (cue.name === 'amplification' && signals.amplification.strength > 0) return true;
  }
  return false;
}

export function memorability(cues: Cue[], signals: TextSignals): number {
  let sum = 0;
  for (const cue of cues) sum += MEMORABILITY_WEIGHT.get(cue.name)! * cue.strength;
  sum += COMBINATION_BONUS * experienceCombination(cues);
  sum -= MIXED_REVIEW_DAMPING * signals.hedge.strength;
  if (!isAnchored(cues, signals)) sum = Math.min(sum, UNANCHORED_CAP);
  return Math.round(Math.min(1, Math.max(0, sum)) * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------------------------
// Aspects and CX level

/**
 * How strongly the aspect ASPECTS[index] is named. Each family is read by its name: a read by a computed key that
 * takes six values is a slow (megamorphic) lookup in V8, and aspects are read several times per text.
 */
export function aspectStrength(signals: TextSignals, index: number): number {
  const aspect = ASPECTS[index];
  switch (aspect) {
    case 'function':
      return signals['aspect:function'].strength;
    case 'time':
      return signals['aspect:time'].strength;
    case 'appeal':
      return signals['aspect:appeal'].strength;
    case 'environment':
      return signals['aspect:environment'].strength;
    case 'service':
      return signals['aspect:service'].strength;
    case 'price':
      return signals['aspect:price'].strength;
    default:
      return aspect satisfies never; // a new aspect needs its case here
  }
}

/** Aspects named in a complaint, strongest first (only those with a keyword hit). */
export function aspectsOf(signals: TextSignals): Aspect[] {
  const found: number[] = [];
  for (let a = 0; a < ASPECTS.length; a++) if (aspectStrength(signals, a) > 0) found.push(a);
  // Strongest first; equal strengths keep ASPECTS order (a stable insertion sort: a handful of items, and
  // Array.prototype.sort would allocate a work copy per text).
  for (let i = 1; i < found.length; i++) {
    const aspect = found[i];
    const strength = aspectStrength(signals, aspect);
    let j = i - 1;
    for (; j >= 0 && aspectStrength(signals, found[j]) < strength; j--) found[j + 1] = found[j];
    found[j + 1] = aspect;
  }
  const aspects: Aspect[] = [];
  for (const a of found) aspects.push(ASPECTS[a]);
  return aspects;
}

/** "ten hours", "waiting": time words alone say nothing about what the text is about. */
function namesAnAspectBesidesTime(signals: TextSignals): boolean {
  for (let a = 0; a < ASPECTS.length; a++) if (ASPECTS[a] !== 'time' && aspectStrength(signals, a) > 0) return true;
  return false;
}

/** Whether any aspect was named (the complaint score only needs that). */
function namesAnAspect(signals: TextSignals): boolean {
  for (let a = 0; a < ASPECTS.length; a++) if (aspectStrength(signals, a) > 0) return true;
  return false;
}

/**
 * Which CX level failed: success (the problem was not solved, it does not work), effort (struggle, time,
 * unanswered), or emotion (rudeness, disrespect, feelings). The strongest wins; ties go to the more basic level.
 */
export function cxLevelOf(cues: Cue[], signals: TextSignals): CxLevel | null {
  const success = signals.problem.strength;
  const effort = Math.max(cueStrength(cues, 'effort'), cueStrength(cues, 'unanswered'));
  const emotion = Math.max(signals.emotion.strength, 0.8 * cueStrength(cues, 'intensity'));
  const best = Math.max(success, effort, emotion);
  if (best === 0) return null;
  if (success === best) return 'success';
  if (effort === best) return 'effort';
  return 'emotion';
}

// ---------------------------------------------------------------------------------------------------------------
// Severity

/** Reach raises severity: a loud complaint from a big account spreads further. */
export const SEVERITY_REACH_BOOST = 0.25;
/** Lower bounds of severity levels on memorability + reach boost. */
export const SEVERITY_BANDS: ReadonlyArray<[Severity, number]> = [
  ['critical', 0.85],
  ['high', 0.65],
  ['medium', 0.4],
  ['low', 0],
];

export function severityOf(complaint: boolean, memorable: boolean, score: number, cues: Cue[]): Severity {
  if (!complaint) return 'none';
  const level = score + SEVERITY_REACH_BOOST * cueStrength(cues, 'reach');
  let severity: Severity = 'low';
  for (const [name, bound] of SEVERITY_BANDS) {
    if (level >= bound) {
      severity = name;
      break;
    }
  }
  // A memorable experience is never just "low".
  return memorable && severity === 'low' ? 'medium' : severity;
}
