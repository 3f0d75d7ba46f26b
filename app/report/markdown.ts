import { Marked, type Tokens } from 'marked';
import { escapeHtml, sanitizeFragment } from './html';

/** A heading found while rendering, for the table of contents. */
export interface Heading {
  depth: number;
  text: string;
  id: string;
}

/** Lower-case, dash-separated anchor ids, unique within one report. */
export function createSlugger(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const base = text.toLowerCase().replace(/<[^>]+>/g, '').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'section';
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  };
}

/** Renders Markdown to safe HTML, collecting headings (with ids) for the table of contents. */
export function renderMarkdown(text: string, slug: (text: string) => string, headings: Heading[]): string {
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Heading) {
        const text = decodeEntities(token.text);
        const id = slug(text);
        headings.push({ depth: token.depth, text, id });
        return `<h${token.depth} id="${escapeHtml(id)}">${this.parser.parseInline(token.tokens)}</h${token.depth}>\n`;
      },
    },
  });
  return sanitizeFragment(marked.parse(text, { async: false }));
}

/** Undoes the few HTML entities Markdown source may carry, so the TOC escapes text exactly once. */
function decodeEntities(text: string): string {
  return text.replace(/&(#39|quot|amp|lt|gt);/g, (_m, e: string) => ({ '#39': "'", quot: '"', amp: '&', lt: '<', gt: '>' })[e] ?? _m);
}
