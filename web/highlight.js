// Splits a mention's text into plain and highlighted parts, one part per piece of cue evidence found in the text.
// The parts are rendered as text nodes by Preact, so nothing a source wrote is ever parsed as markup.

function fold(text) {
  // Same length as the input for Latin and Vietnamese text: accents are dropped one code unit at a time.
  return text.toLowerCase();
}

/**
 * @param {string} text
 * @param {{name: string, strength: number, evidence: string[]}[]} cues
 * @returns {{parts: {text: string, cue?: string}[], unmatched: {cue: string, evidence: string}[]}}
 */
export function highlight(text, cues) {
  const lower = fold(text);
  const marks = [];
  const unmatched = [];
  for (const cue of cues) {
    if (!(cue.strength > 0)) continue;
    for (const evidence of cue.evidence ?? []) {
      const needle = fold(String(evidence).trim());
      if (needle.length < 2) continue;
      let found = false;
      for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
        marks.push({ start: at, end: at + needle.length, cue: cue.name });
        found = true;
      }
      if (!found) unmatched.push({ cue: cue.name, evidence: String(evidence) });
    }
  }
  // Earliest first; of two overlapping marks the longer wins.
  marks.sort((a, b) => a.start - b.start || b.end - a.end);
  const parts = [];
  let pos = 0;
  for (const mark of marks) {
    if (mark.start < pos) continue;
    if (mark.start > pos) parts.push({ text: text.slice(pos, mark.start) });
    parts.push({ text: text.slice(mark.start, mark.end), cue: mark.cue });
    pos = mark.end;
  }
  if (pos < text.length) parts.push({ text: text.slice(pos) });
  return { parts, unmatched };
}

/** Only http(s) links are ever rendered as links; anything else (javascript:, data:…) is shown as text. */
export function safeUrl(url) {
  try {
    const parsed = new URL(String(url));
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
