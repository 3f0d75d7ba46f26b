import type { LabelClass } from '../../../app/protocol/methods/labels';

/** A span to draw: human (solid) or proposed by the file/model (dashed). */
export interface DrawnSpan {
  id?: string;
  start: number;
  end: number;
  label: string;
  proposed: boolean;
}

/** Character offset of a DOM point inside the text host (segments carry `data-start`). */
function offsetOf(node: Node | null, offset: number): number | null {
  const el = node?.nodeType === Node.TEXT_NODE ? node.parentElement : node instanceof Element ? node : null;
  const seg = el?.closest<HTMLElement>('[data-start]');
  if (!seg) return null;
  return Number(seg.dataset['start']) + (node?.nodeType === Node.TEXT_NODE ? offset : 0);
}

/** The current selection inside `host` as [start, end) character offsets, or null. */
export function selectionIn(host: HTMLElement | null): { start: number; end: number } | null {
  const sel = window.getSelection();
  if (!host || !sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  if (!host.contains(sel.anchorNode) || !host.contains(sel.focusNode)) return null;
  const a = offsetOf(sel.anchorNode, sel.anchorOffset);
  const b = offsetOf(sel.focusNode, sel.focusOffset);
  return a === null || b === null ? null : { start: Math.min(a, b), end: Math.max(a, b) };
}

/** A document's text with its spans as highlighted segments (colours from the span classes). */
export function DocText({ text, spans, classes, hostRef }: { text: string; spans: DrawnSpan[]; classes: LabelClass[]; hostRef: React.RefObject<HTMLDivElement | null> }) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
  const colour = (label: string) => classes.find((c) => c.name === label)?.color ?? '#888888';
  return (
    <div className="ta-text" ref={hostRef} data-testid="doc-text">
      {points.slice(0, -1).map((start, i) => {
        const end = points[i + 1]!;
        const over = spans.filter((s) => s.start <= start && s.end >= end);
        const human = over.find((s) => !s.proposed);
        const shown = human ?? over[0];
        const style = shown ? (human ? { background: `${colour(shown.label)}33`, borderBottom: `2px solid ${colour(shown.label)}` } : { outline: `1px dashed ${colour(shown.label)}` }) : undefined;
        return (
          <span key={start} data-start={start} style={style} className={shown ? (human ? 'ta-span' : 'ta-span proposed') : undefined} title={shown ? `${shown.label}${human ? '' : ' (proposed)'}` : undefined}>
            {text.slice(start, end)}
          </span>
        );
      })}
    </div>
  );
}
