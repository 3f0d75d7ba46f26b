import { useEffect, useState, type ComponentType } from 'react';
import { useServices } from '../../stores/context';
import type { DocumentViewProps } from '../../shell/views';
import { TextAnnotateView } from './TextAnnotateView';

/**
 * The label-set view for `labels/<name>` folders: text sets (a textset.json) open in the text
 * panel, every other set in `fallback` (the time-series annotator, passed in by shell/views.ts
 * so this feature does not import another one).
 */
export function withTextSets(fallback: ComponentType<DocumentViewProps>): ComponentType<DocumentViewProps> {
  function LabelSetView({ path }: DocumentViewProps) {
    const { backend } = useServices();
    const name = path.split('/').at(-1) ?? path;
    const [isText, setIsText] = useState<boolean | null>(null);
    useEffect(() => {
      let live = true;
      void backend.call('textLabels.list', {}).then(
        (r) => live && setIsText(r.items.some((i) => i.name === name)),
        () => live && setIsText(false),
      );
      return () => void (live = false);
    }, [backend, name]);
    if (isText === null) return <div className="muted pad">Opening {name}…</div>;
    const Fallback = fallback;
    return isText ? <TextAnnotateView name={name} /> : <Fallback path={path} />;
  }
  return LabelSetView;
}
