const dropped = new Set(['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'LINK', 'META', 'BASE', 'FORM', 'FOREIGNOBJECT']);

/**
 * Markup from the output cache (Markdown HTML, a chart's SVG) as a safe fragment: no scripts,
 * frames, event handlers or `javascript:` URLs. The cache lives in the workspace, which another
 * program or a merge may have written.
 */
export function sanitizeHtml(markup: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = markup;
  const walker = document.createTreeWalker(template.content, NodeFilter.SHOW_ELEMENT);
  const remove: Element[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!(node instanceof Element)) continue;
    if (dropped.has(node.tagName.toUpperCase())) { remove.push(node); continue; }
    for (const attribute of [...node.attributes]) {
      const name = attribute.name.toLowerCase();
      const isUrl = name === 'href' || name === 'src' || name === 'xlink:href' || name === 'action';
      if (name.startsWith('on') || (isUrl && /^\s*(javascript|vbscript|data:text)/i.test(attribute.value))) node.removeAttribute(attribute.name);
    }
  }
  remove.forEach((node) => node.remove());
  return template.content;
}
