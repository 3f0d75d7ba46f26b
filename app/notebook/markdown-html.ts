import { Marked, type Tokens } from 'marked';
import type { Interpolation } from './interpolation';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Only these URL schemes survive in links and images (no `javascript:`, no `data:` for links). */
function safeUrl(href: string, allowData: boolean): string | undefined {
  const trimmed = href.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined || ['http', 'https', 'mailto'].includes(scheme) || (allowData && scheme === 'data' && /^data:image\/(png|gif|jpeg|webp);/i.test(trimmed))) return trimmed;
  return undefined;
}

const marked = new Marked({
  gfm: true,
  renderer: {
    // Raw HTML in a notebook shows as text: rendering it would run the author's (or a merge's) scripts.
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link(token: Tokens.Link): string {
      const inner = this.parser.parseInline(token.tokens);
      const href = safeUrl(token.href, false);
      if (href === undefined) return inner;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<a href="${escapeHtml(href)}"${title} target="_blank" rel="noopener noreferrer">${inner}</a>`;
    },
    image(token: Tokens.Image): string {
      const src = safeUrl(token.href, true);
      return src === undefined ? escapeHtml(token.text) : `<img src="${escapeHtml(src)}" alt="${escapeHtml(token.text)}">`;
    },
  },
});

/** How an interpolated value reads in prose: numbers grouped, at most 3 decimals; objects as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 3 });
  }
  if (typeof value === 'bigint') return value.toLocaleString('en-US');
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return 'ƒ';
  try {
    const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return json === undefined ? String(value) : json.length > 200 ? `${json.slice(0, 199)}…` : json;
  } catch {
    return String(value);
  }
}

/** Text that Markdown shows literally: HTML characters as entities, Markdown punctuation escaped. */
function literalMarkdown(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
  return text.replace(/[\\`*_{}[\]()#+\-.!|~$]/g, (ch) => `\\${ch}`).replace(/[&<>]/g, (ch) => entities[ch]!).replace(/\n/g, ' ');
}

/**
 * Renders a Markdown cell to HTML with each `${…}` replaced by its value (`values[i]` for
 * `interpolations[i]`), shown literally. Raw HTML is escaped and unsafe link schemes dropped, so
 * the output holds no script, event handler or `javascript:` URL.
 */
export function renderMarkdown(source: string, interpolations: readonly Interpolation[], values: readonly unknown[]): string {
  let text = '';
  let last = 0;
  interpolations.forEach((found, i) => {
    text += source.slice(last, found.start) + literalMarkdown(formatValue(values[i]));
    last = found.end;
  });
  text += source.slice(last);
  return marked.parse(text, { async: false });
}
