import { createHash } from 'node:crypto';
import type { StoredMention } from '../mention';
import type { Incident } from '../incident';
import { mentionKeyOf } from '../alert-id';
import { maxSeverity } from './common';

/**
 * Incident grouping: similar flagged mentions of a brand within a time window become one Incident, so a brand
 * team gets one alert per problem (then updates as it grows) instead of one per angry customer.
 */

// natural's index loads every module it has (slow); its Porter stemmer has no typings of its own by path.
const PorterStemmer: { stem(token: string): string } = require('natural/lib/natural/stemmers/porter_stemmer');

export interface IncidentGroupingConfig {
  /** A mention joins an open incident whose activity is within this many minutes of it. */
  windowMinutes: number;
  /** Minimum similarity in [0, 1] to join an incident (default 0.35). */
  minSimilarity?: number;
  /** Words that say nothing about the problem for this brand (its name, its keywords). */
  ignoreWords?: string[];
}

export interface IncidentAssignment {
  incident: Incident;
  isNew: boolean;
  /** The mention was already in the incident (a retry): nothing changed. */
  duplicate: boolean;
  /** Similarity to the incident it joined (1 for a new incident). */
  similarity: number;
}

export const MAX_MENTION_KEYS = 50;
const MAX_MENTION_TERMS = 30;
const MAX_INCIDENT_TERMS = 40;
const DEFAULT_MIN_SIMILARITY = 0.35;
/** Sharing one word is chance; an incident needs at least about two meaningful words in common. */
const MIN_SHARED_WEIGHT = 1.9;
const TITLE_CHARS = 80;

// Function words (and common contractions split at the apostrophe) that carry no topic.
const ENGLISH_STOP_WORDS = `a about above after again against all am an and any are aren as at be because been before
being below between both but by can cannot could couldn did didn do does doesn doing don down during each few for from
further had hadn has hasn have haven having he her here hers herself him himself his how i if in into is isn it its
itself just let me more most my myself no nor not of off on once only or other ought our ours ourselves out over own
same shan she should shouldn so some such than that the their theirs them themselves then there these they this those
through to too under until up very was wasn we were weren what when where which while who whom why will with won would
wouldn you your yours yourself yourselves s t d ll m re ve im ive id youre theyre thats its dont cant wont didnt doesnt
isnt wasnt also get got getting gets go going went one would could still even really much many every ever yet via
today yesterday now anyone someone something anything thing things like lol ok okay please thanks thank hi hey guys`;

// Vietnamese is written in syllables; these are pronouns, particles and function syllables.
const VIETNAMESE_STOP_WORDS = `và của là có không ko k được dc đc cho với thì mà này đó kia ấy những các một rất lắm quá
đã đang sẽ vẫn cũng nữa ra vào lên xuống tôi tui mình mk bạn anh chị em họ nó chúng ta ở tại trong ngoài trên dưới
khi nếu vì nên bởi để thế như nào gì j ai đâu sao bị vậy nhé nha ạ ơi à ừ thôi rồi lại còn hơn nhất cái chiếc việc
sự đến từ về theo hay hoặc nhưng tuy dù luôn chỉ mới đều cả hết chưa vs bác ông bà thật làm đi muốn phải cần biết
nhiều ít bao giờ lúc thấy nói`;

/** Complaint words every complaint shares: they count, but little, so they cannot glue unrelated incidents. */
// English entries are Porter stems; Vietnamese ones syllables and syllable pairs.
const GENERIC_COMPLAINT_WORDS = `terribl aw horribl worst bad never disappoint disgust poor ridicul unaccept joke
scam shame custom compani experi servic time dai hour week peopl wors hate angri annoi frustrat useless
tệ kém thất vọng thất_vọng dịch vụ dịch_vụ khách hàng khách_hàng`;

function wordSet(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

const STOP_WORDS = new Set([...wordSet(ENGLISH_STOP_WORDS), ...wordSet(VIETNAMESE_STOP_WORDS)]);
const GENERIC_TERMS = wordSet(GENERIC_COMPLAINT_WORDS);
const TOKEN_PATTERN = /[\p{L}\p{M}\p{N}]+/gu;
const HAS_DIGIT = /\p{N}/u;
const ONLY_DIGITS = /^\p{N}+$/u;
const ASCII_LETTERS = /^[a-z]+$/;

/** Lowercased content words of a text: stop words dropped, numbers and codes kept, English stemmed. */
export function contentTerms(text: string, language?: string, ignore?: ReadonlySet<string>): string[] {
  const stemEnglish = language === undefined || language === 'en' || language === 'und';
  const terms: string[] = [];
  let previousVietnamese: string | null = null;
  for (const match of text.normalize('NFC').toLowerCase().replace(/['’]/g, '').matchAll(TOKEN_PATTERN)) {
    const token = match[0];
    if (STOP_WORDS.has(token) || ignore?.has(token) || (token.length < 2 && !HAS_DIGIT.test(token))) {
      previousVietnamese = null;
      continue;
    }
    if (HAS_DIGIT.test(token)) {
      terms.push(token); // flight numbers, order ids, amounts: kept verbatim
      previousVietnamese = null;
    } else if (language === 'vi') {
      terms.push(token);
      // Vietnamese words are mostly two syllables ("hành lý"): adjacent syllable pairs make the signature specific.
      if (previousVietnamese !== null) terms.push(`${previousVietnamese}_${token}`);
      previousVietnamese = token;
    } else {
      const stem = stemEnglish && ASCII_LETTERS.test(token) ? PorterStemmer.stem(token) : token;
      if (!ignore?.has(stem)) terms.push(stem);
    }
  }
  return terms;
}

/**
 * The words of a text as written (lowercased), by the term `contentTerms` makes of each: people read "nobody",
 * not its stem "nobodi". The first spelling of a term wins; a Vietnamese syllable pair reads as two words.
 */
export function termSpellings(text: string, language?: string): Map<string, string> {
  const stemEnglish = language === undefined || language === 'en' || language === 'und';
  const spellings = new Map<string, string>();
  let previous: string | null = null;
  for (const match of text.normalize('NFC').toLowerCase().replace(/['’]/g, '').matchAll(TOKEN_PATTERN)) {
    const token = match[0];
    let term = token;
    if (!HAS_DIGIT.test(token) && language === 'vi') {
      if (previous !== null && !spellings.has(`${previous}_${token}`))
        spellings.set(`${previous}_${token}`, `${previous} ${token}`);
      previous = token;
    } else {
      previous = null;
      if (!HAS_DIGIT.test(token) && stemEnglish && ASCII_LETTERS.test(token)) term = PorterStemmer.stem(token);
    }
    if (!spellings.has(term)) spellings.set(term, token);
  }
  return spellings;
}

/** Letters and digits together, 4+ characters: a flight, order or model number (AC123, A1234, XPS13). */
const IDENTIFIER = /^(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{4,}$/;
/** Similarity given to a shared identifier plus a shared aspect: above the joining threshold. */
const IDENTIFIER_MATCH = 0.6;
const UNSHARED_IDENTIFIER_FACTOR = 0.7;

/** How much a shared term says about two mentions being the same problem. */
export function termWeight(term: string): number {
  if (ONLY_DIGITS.test(term)) return 0.5; // "3" days/weeks: weak
  if (HAS_DIGIT.test(term)) return 2; // VN123, order #A1234: very specific
  if (GENERIC_TERMS.has(term)) return 0.3;
  return 1;
}

/** What similarity needs of an incident's signature, computed once per signature (a merge makes a new array). */
interface SignatureFacts {
  terms: ReadonlySet<string>;
  /** The distinct terms in signature order, with their weights and whether each is an identifier. */
  list: readonly string[];
  weights: readonly number[];
  identifiers: readonly boolean[];
  weight: number;
  hasIdentifier: boolean;
}
const signatureFacts = new WeakMap<readonly string[], SignatureFacts>();

function factsOf(signature: readonly string[]): SignatureFacts {
  let facts = signatureFacts.get(signature);
  if (!facts) {
    const terms = new Set(signature);
    const list = [...terms];
    facts = {
      terms,
      list,
      weights: list.map(termWeight),
      identifiers: list.map((term) => IDENTIFIER.test(term)),
      weight: totalWeight(signature),
      hasIdentifier: signature.some((term) => IDENTIFIER.test(term)),
    };
    signatureFacts.set(signature, facts);
  }
  return facts;
}

/** The brand's own words (tokens and their stems), built once per brand and word list. */
const ignoreSets = new Map<string, ReadonlySet<string>>();
function ignoreSet(brandId: string, ignoreWords: readonly string[]): ReadonlySet<string> {
  const cacheKey = [brandId, ...ignoreWords].join('\u0000');
  let ignore = ignoreSets.get(cacheKey);
  if (!ignore) {
    const words = new Set<string>();
    for (const word of [brandId, ...ignoreWords]) {
      for (const token of word.toLowerCase().match(TOKEN_PATTERN) ?? []) {
        words.add(token);
        if (ASCII_LETTERS.test(token)) words.add(PorterStemmer.stem(token));
      }
    }
    if (ignoreSets.size > 1_000) ignoreSets.clear();
    ignoreSets.set(cacheKey, words);
    ignore = words;
  }
  return ignore;
}

/**
 * The distinct content terms of a mention, in order of first appearance, capped. The text only: sources already
 * put a post's title at the start of its text, and a comment's title is its thread's, shared by unrelated replies.
 */
export function mentionSignature(
  mention: Pick<StoredMention, 'text' | 'title' | 'brandId'> & { analysis?: { language?: string } },
  ignoreWords: string[] = [],
): string[] {
  const language = mention.analysis?.language;
  const terms = contentTerms(mention.text || mention.title || '', language, ignoreSet(mention.brandId, ignoreWords));
  return [...new Set(terms)].slice(0, MAX_MENTION_TERMS);
}

function totalWeight(terms: readonly string[]): number {
  let sum = 0;
  for (const term of terms) sum += termWeight(term);
  return sum;
}

/**
 * Similarity of a mention to an incident in [0, 1]: weighted overlap coefficient of their signatures (an incident's
 * signature grows, so overlap rather than Jaccard), plus a little for shared aspects. Zero unless they share
 * roughly two meaningful words.
 */
export function similarity(
  a: { signature: readonly string[]; aspects: readonly string[] },
  b: { signature: readonly string[]; aspects: readonly string[] },
): number {
  const aFacts = factsOf(a.signature);
  const bTerms = factsOf(b.signature).terms;
  let shared = 0;
  let sharedIdentifier = false;
  // Weights and identifier tests come with the signature's facts: a mention is compared with many incidents.
  for (let i = 0; i < aFacts.list.length; i++) {
    if (!bTerms.has(aFacts.list[i])) continue;
    shared += aFacts.weights[i];
    if (aFacts.identifiers[i]) sharedIdentifier = true;
  }
  if (shared < MIN_SHARED_WEIGHT) return 0;
  const overlap = shared / Math.min(aFacts.weight, factsOf(b.signature).weight);
  // Aspects are a handful of names: counted without building sets.
  let sharedAspects = 0;
  let unionSize = 0;
  for (let i = 0; i < a.aspects.length; i++) if (a.aspects.indexOf(a.aspects[i]) === i) unionSize++;
  for (let i = 0; i < b.aspects.length; i++) {
    const aspect = b.aspects[i];
    if (a.aspects.includes(aspect)) sharedAspects++;
    else if (b.aspects.indexOf(aspect) === i) unionSize++;
  }
  const aspectScore = unionSize === 0 ? 0 : sharedAspects / unionSize;
  const score = Math.min(1, 0.8 * overlap + 0.2 * aspectScore);
  // The same flight, order or model number about the same kind of problem is the same incident, whatever the
  // wording or the language ("lost my bag on AC123" and "mất hành lý chuyến AC123").
  if (sharedIdentifier) return sharedAspects > 0 ? Math.max(score, IDENTIFIER_MATCH) : score;
  // A mention that names a flight or order number is less likely about an incident that does not.
  return aFacts.hasIdentifier ? score * UNSHARED_IDENTIFIER_FACTOR : score;
}

/** Deterministic incident key from the brand and the first mention, so a retried first mention gets the same key. */
export function incidentKeyFor(brandId: string, firstMentionKey: string): string {
  return `inc-${createHash('sha256').update(`${brandId}#${firstMentionKey}`).digest('hex').slice(0, 16)}`;
}

/** Terms seen again move to the front; the rest keep their order; new ones go last. Capped. */
function mergeSignature(incidentTerms: readonly string[], mentionTerms: readonly string[]): string[] {
  const fresh = new Set(mentionTerms);
  const reinforced = incidentTerms.filter((t) => fresh.has(t));
  const kept = incidentTerms.filter((t) => !fresh.has(t));
  const known = new Set(incidentTerms);
  const added = mentionTerms.filter((t) => !known.has(t));
  return [...reinforced, ...kept, ...added].slice(0, MAX_INCIDENT_TERMS);
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}

/** The earlier (`sign` -1) or later (+1) of two ISO times; an absent or unparsable one loses. */
function extremeTime(a: string | undefined, b: string | undefined, sign: 1 | -1): string | undefined {
  const ta = a === undefined ? NaN : Date.parse(a);
  const tb = b === undefined ? NaN : Date.parse(b);
  if (Number.isNaN(ta)) return Number.isNaN(tb) ? undefined : b;
  return !Number.isNaN(tb) && Math.sign(tb - ta) === sign ? b : a;
}

/**
 * When an incident's mentions were posted, with one more mention. An incident stored before these were kept has
 * none: its earlier mentions' times are unknown, so it keeps none rather than claim this mention came first.
 */
function postedSpan(
  incident: Pick<Incident, 'firstMentionAt' | 'lastMentionAt'> | undefined,
  createdAt: string,
): Pick<Incident, 'firstMentionAt' | 'lastMentionAt'> {
  if (incident && (incident.firstMentionAt === undefined || incident.lastMentionAt === undefined)) return {};
  const first = extremeTime(incident?.firstMentionAt, createdAt, -1);
  const last = extremeTime(incident?.lastMentionAt, createdAt, 1);
  return first !== undefined && last !== undefined ? { firstMentionAt: first, lastMentionAt: last } : {};
}

function titleOf(mention: StoredMention): string {
  const text = (mention.text.trim() || mention.title?.trim() || '').replace(/\s+/g, ' ').trim();
  const codePoints = [...text];
  return codePoints.length <= TITLE_CHARS ? text : `${codePoints.slice(0, TITLE_CHARS - 1).join('')}…`;
}

/**
 * Open incidents of the mention's brand active within the window. The window runs on processing time (`now`), like
 * the repository's open-incident query: a first poll that backfills a day of mentions groups them instead of
 * opening (and paging for) one incident per old mention.
 */
export function candidateIncidents(
  mention: StoredMention,
  openIncidents: readonly Incident[],
  cfg: IncidentGroupingConfig,
  now: Date,
): Incident[] {
  const cutoff = now.getTime() - cfg.windowMinutes * 60_000;
  return openIncidents.filter(
    (incident) => incident.brandId === mention.brandId && incident.status === 'open' && lastAtMs(incident) >= cutoff,
  );
}

/** An incident's `lastAt` in ms, parsed once per incident version (a mention is compared with many). */
const lastAtCache = new WeakMap<Incident, number>();
function lastAtMs(incident: Incident): number {
  let ms = lastAtCache.get(incident);
  if (ms === undefined) lastAtCache.set(incident, (ms = Date.parse(incident.lastAt)));
  return ms;
}

/**
 * Put a flagged mention into the most similar open incident of its brand within the window, or start a new one.
 * Pure: returns the new or updated incident; `version` is left as read, for the repository's conditional write.
 */
export function assignIncident(
  mention: StoredMention,
  openIncidents: readonly Incident[] | IncidentIndex,
  cfg: IncidentGroupingConfig,
  now: Date,
): IncidentAssignment {
  const mentionKey = mentionKeyOf(mention);
  const index = openIncidents instanceof IncidentIndex ? openIncidents : undefined;
  const already = index
    ? index.holding(mentionKey)
    : (openIncidents as readonly Incident[]).find((incident) => incident.mentionKeys.includes(mentionKey));
  if (already && already.brandId === mention.brandId) {
    return { incident: already, isNew: false, duplicate: true, similarity: 1 };
  }

  const signature = mentionSignature(mention, cfg.ignoreWords);
  const aspects: string[] = mention.analysis.aspects;
  const minSimilarity = cfg.minSimilarity ?? DEFAULT_MIN_SIMILARITY;
  // An incident that cannot share MIN_SHARED_WEIGHT with the mention scores 0: the index offers only those that can.
  const pool = index ? index.candidates(signature) : (openIncidents as readonly Incident[]);
  let best: Incident | undefined;
  let bestScore = 0;
  for (const incident of candidateIncidents(mention, pool, cfg, now)) {
    const score = similarity({ signature, aspects }, incident);
    // Ties go to the most recently active incident, then the smaller key, so the choice is deterministic.
    const better =
      score > bestScore ||
      (best !== undefined &&
        score === bestScore &&
        (lastAtMs(incident) > lastAtMs(best) || (incident.lastAt === best.lastAt && incident.key < best.key)));
    if (score >= minSimilarity && better) {
      best = incident;
      bestScore = score;
    }
  }

  const at = now.toISOString();
  if (!best) {
    return {
      incident: {
        brandId: mention.brandId,
        key: incidentKeyFor(mention.brandId, mentionKey),
        title: titleOf(mention),
        signature,
        aspects: [...aspects],
        severity: mention.analysis.severity,
        firstAt: at,
        lastAt: at,
        ...postedSpan(undefined, mention.createdAt),
        size: 1,
        mentionKeys: [mentionKey],
        sources: [mention.sourceId],
        alertedSizes: [],
        status: 'open',
        version: 0,
      },
      isNew: true,
      duplicate: false,
      similarity: 1,
    };
  }

  return {
    incident: {
      ...best,
      signature: mergeSignature(best.signature, signature),
      aspects: union(best.aspects, aspects),
      severity: maxSeverity(best.severity, mention.analysis.severity),
      lastAt: Date.parse(at) > Date.parse(best.lastAt) ? at : best.lastAt,
      ...postedSpan(best, mention.createdAt),
      size: best.size + 1,
      mentionKeys: [...best.mentionKeys, mentionKey].slice(-MAX_MENTION_KEYS),
      sources: union(best.sources, [mention.sourceId]),
    },
    isNew: false,
    duplicate: false,
    similarity: bestScore,
  };
}

/**
 * The open incidents of one brand, indexed by signature term and by the mention keys they hold, so grouping a
 * mention compares it only with the incidents that share a term with it: near-constant time however many are open.
 * Kept current by `put` after every save; closed incidents leave it.
 */
export class IncidentIndex {
  private readonly byKey = new Map<string, Incident>();
  private readonly byTerm = new Map<string, Set<string>>();
  private readonly byMention = new Map<string, string>();

  constructor(incidents: Iterable<Incident> = []) {
    for (const incident of incidents) this.put(incident);
  }

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): Incident | undefined {
    return this.byKey.get(key);
  }

  all(): Incident[] {
    return [...this.byKey.values()];
  }

  /** Add or replace an incident (by key); a closed one is removed. */
  put(incident: Incident): void {
    this.remove(incident.key);
    if (incident.status !== 'open') return;
    this.byKey.set(incident.key, incident);
    for (const term of incident.signature) {
      let keys = this.byTerm.get(term);
      if (!keys) this.byTerm.set(term, (keys = new Set()));
      keys.add(incident.key);
    }
    for (const mentionKey of incident.mentionKeys) this.byMention.set(mentionKey, incident.key);
  }

  remove(key: string): void {
    const old = this.byKey.get(key);
    if (!old) return;
    this.byKey.delete(key);
    for (const term of old.signature) {
      const keys = this.byTerm.get(term);
      keys?.delete(key);
      if (keys?.size === 0) this.byTerm.delete(term);
    }
    for (const mentionKey of old.mentionKeys)
      if (this.byMention.get(mentionKey) === key) this.byMention.delete(mentionKey);
  }

  /** The open incident that already holds this mention (`sourceId#id`), if any. */
  holding(mentionKey: string): Incident | undefined {
    const key = this.byMention.get(mentionKey);
    return key === undefined ? undefined : this.byKey.get(key);
  }

  /**
   * The open incidents that may share MIN_SHARED_WEIGHT with `signature` (any other scores 0). Words every complaint
   * uses ("terrible", "customer", "week") and bare numbers weigh under 1: unless the mention's such words add up to
   * the minimum on their own, an incident must share a word of weight 1 or more, so the generic words' long lists
   * (nearly every open incident) are not walked. Exactly the incidents `similarity` would not score 0.
   */
  candidates(signature: readonly string[]): Incident[] {
    let weak = 0;
    const strong: string[] = [];
    for (const term of new Set(signature)) {
      const weight = termWeight(term);
      if (weight < 1) weak += weight;
      else strong.push(term);
    }
    return this.sharingTerms(weak >= MIN_SHARED_WEIGHT ? signature : strong);
  }

  /** Open incidents whose signature shares at least one term with `signature`. */
  sharingTerms(signature: readonly string[]): Incident[] {
    const keys = new Set<string>();
    for (const term of signature) for (const key of this.byTerm.get(term) ?? []) keys.add(key);
    return [...keys].map((key) => this.byKey.get(key)!);
  }
}
