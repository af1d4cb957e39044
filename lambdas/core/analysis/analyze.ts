/**
 * The one analysis entry point the Lambda handlers, the local runner and the CLI all call: language, sentiment,
 * cues, complaint, memorability, aspects, CX level and severity. Pure and synchronous.
 */
import { CUE_LABELS, polarityOf, type Analysis, type AnalysisInput, type Cue, type Sentiment } from './types';
import { detectLanguage } from './language';
import { polarityScores } from './vader';
import { scoreOtherLanguage } from './other-languages';
import { detectCues, MAX_CUE_TEXT_CHARS } from './cues';
import { aspectsOf, cxLevelOf, isComplaint, memorability, MEMORABLE_THRESHOLD, severityOf } from './classify';

const NEUTRAL: Readonly<Sentiment> = { neg: 0, neu: 1, pos: 0, compound: 0 };

/** Control characters (except tab and newlines) become spaces so they cannot glue or split words. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

let vietnamese: typeof import('./vietnamese') | undefined;
/**
 * The Vietnamese scorer, loaded with its lexicons and their index on the first Vietnamese text: a cold start (a
 * Lambda's init, `earshot score` on English) does not build them until a text needs them.
 */
function scoreVietnamese(text: string): Sentiment {
  vietnamese ??= require('./vietnamese') as typeof import('./vietnamese');
  return vietnamese.scoreVietnamese(text);
}

function scoreSentiment(text: string, language: string): Sentiment | null {
  // Undetermined text (emoji, numbers, very short) goes to VADER, which knows emoji and emoticons.
  if (language === 'en' || language === 'und') return polarityScores(text);
  if (language === 'vi') return scoreVietnamese(text);
  return scoreOtherLanguage(text, language);
}

/** Analyses one mention. Never throws on odd text: empty, huge, control characters or mixed scripts. */
export function analyze(input: AnalysisInput): Analysis {
  const text = typeof input.text === 'string' ? input.text : '';
  const title = typeof input.title === 'string' ? input.title : '';
  // Cues look at the title too, but only at a bounded prefix: enough for any real mention.
  const joined = title.length > 0 ? `${title}. ${text}` : text;
  const cueText = (joined.length > MAX_CUE_TEXT_CHARS ? joined.slice(0, MAX_CUE_TEXT_CHARS) : joined).replace(
    CONTROL_CHARS,
    ' ',
  );
  const language = detectLanguage(cueText, input.lang);

  const scored = scoreSentiment(text, language);
  const sentiment = scored ?? { ...NEUTRAL };
  const detection = detectCues(cueText, {
    sentiment,
    language,
    rating: input.rating,
    authorReach: input.authorReach,
    engagement: input.engagement,
  });
  const cues: Cue[] = detection.cues;
  if (scored === null) cues.push({ name: 'notScored', strength: 1, evidence: [`language '${language}' not scored`] });

  const complaint = isComplaint(detection, sentiment);
  const score = memorability(cues, detection.signals);
  const memorable = complaint && score >= MEMORABLE_THRESHOLD;
  return {
    language,
    sentiment,
    polarity: polarityOf(sentiment.compound),
    complaint,
    memorable,
    memorability: score,
    severity: severityOf(complaint, memorable, score, cues),
    cues,
    aspects: aspectsOf(detection.signals),
    cxLevel: complaint ? cxLevelOf(cues, detection.signals) : null,
  };
}

/** One human line per cue, e.g. `expectation gap: 'paid for premium', 'expected'`. */
export function explain(analysis: Analysis): string[] {
  return analysis.cues.map((cue) => {
    const evidence = cue.evidence.map((e) => `'${e}'`).join(', ');
    return evidence.length > 0 ? `${CUE_LABELS[cue.name]}: ${evidence}` : CUE_LABELS[cue.name];
  });
}
