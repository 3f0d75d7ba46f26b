/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Makes HTML or SVG produced by cells safe and self-contained for a shared report: scripts, event
 * handler attributes, iframes and every reference to a network URL are removed, so the file opens
 * with no network access and runs nothing.
 */
export function sanitizeFragment(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<(iframe|object|embed|link|meta|base)\b[^>]*>/gi, '')
    .replace(/<\/(iframe|object|embed)>/gi, '')
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/\s(href|src|xlink:href|action|formaction|srcset)\s*=\s*("|')\s*(?:https?:|\/\/|javascript:)[^"']*\2/gi, '')
    .replace(/url\(\s*(['"]?)\s*(?:https?:|\/\/)[^)]*\)/gi, 'none')
    .replace(/@import[^;]+;/gi, '');
}

/** True when the document references no external resource (no http(s) or protocol-relative URL in src/href/url()). */
export function referencesNoNetwork(html: string): boolean {
  return !/(?:\s(?:href|src|xlink:href|action|srcset)\s*=\s*["']?\s*(?:https?:)?\/\/)|url\(\s*['"]?\s*(?:https?:)?\/\/|@import/i.test(html);
}
