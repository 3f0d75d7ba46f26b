import { jsExpressionAt, type JsAnalysis } from './js-refs';

/** One `${expr}` in Markdown: offsets into the source (`end` is past the `}`) and the expression. */
export interface Interpolation {
  start: number;
  end: number;
  expression: string;
  analysis: JsAnalysis;
}

/** Offsets [start, end) of fenced code blocks, where `${…}` is shown, not evaluated. */
function fencedRanges(markdown: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let offset = 0;
  let open: { char: string; length: number; start: number } | undefined;
  for (const line of markdown.split('\n')) {
    const lineEnd = offset + line.length + 1;
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      if (fence && fence[1]![0] === open.char && fence[1]!.length >= open.length && line.trim() === fence[1]) {
        ranges.push([open.start, lineEnd]);
        open = undefined;
      }
    } else if (fence) {
      open = { char: fence[1]![0]!, length: fence[1]!.length, start: offset };
    }
    offset = lineEnd;
  }
  if (open) ranges.push([open.start, markdown.length]);
  return ranges;
}

/** End of the code span opened by the backtick run at `i`, or undefined when it never closes. */
function codeSpanEnd(markdown: string, i: number): { runEnd: number; spanEnd: number | undefined } {
  let runEnd = i;
  while (markdown[runEnd] === '`') runEnd++;
  const run = markdown.slice(i, runEnd);
  for (let j = markdown.indexOf(run, runEnd); j >= 0; j = markdown.indexOf(run, j + 1)) {
    let k = j;
    while (markdown[k] === '`') k++;
    if (k - j === run.length) return { runEnd, spanEnd: k };
    j = k - 1;
  }
  return { runEnd, spanEnd: undefined };
}

/**
 * Finds the `${expr}` interpolations of a Markdown cell, in order. Code spans and fenced blocks
 * show `${…}` literally, and `\${` is an escaped literal. An expression that does not parse, or
 * is not closed by `}`, is returned with `analysis.ok === false` and runs to the end of the text.
 */
export function findInterpolations(markdown: string): Interpolation[] {
  const found: Interpolation[] = [];
  const fenced = fencedRanges(markdown);
  let i = 0;
  while (i < markdown.length) {
    const range = fenced.find(([a, b]) => i >= a && i < b);
    if (range) { i = range[1]; continue; }
    const ch = markdown[i];
    if (ch === '\\') { i += 2; continue; }
    if (ch === '`') {
      const { runEnd, spanEnd } = codeSpanEnd(markdown, i);
      i = spanEnd ?? runEnd;
      continue;
    }
    if (ch === '$' && markdown[i + 1] === '{') {
      const { end, analysis } = jsExpressionAt(markdown, i + 2);
      let close = end;
      while (/\s/.test(markdown[close] ?? '')) close++;
      if (analysis.ok && markdown[close] !== '}') {
        found.push({ start: i, end: markdown.length, expression: markdown.slice(i + 2), analysis: { ok: false, message: 'expected } to close ${', offset: close } });
        return found;
      }
      found.push({ start: i, end: analysis.ok ? close + 1 : markdown.length, expression: markdown.slice(i + 2, end), analysis });
      if (!analysis.ok) return found;
      i = close + 1;
      continue;
    }
    i++;
  }
  return found;
}
