import { useLayoutEffect, useRef } from 'react';
import { sanitizeHtml } from './sanitize';

/** Rendered Markdown (HTML made by `renderMarkdown`, sanitised again since it may come from the cache). */
export function MarkdownOutput({ html, onOpen }: { html: string; onOpen?: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    ref.current?.replaceChildren(sanitizeHtml(html));
  }, [html]);
  return <div ref={ref} className="nb-markdown" onDoubleClick={onOpen} />;
}
