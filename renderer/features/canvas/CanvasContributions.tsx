import { useEffect, useState } from 'react';
import { useServices } from '../../stores/context';
import { NewPipelineDialog } from './NewPipelineDialog';
import './canvas.css';

/** The canvas feature's window-wide parts: the "Pipeline: New Pipeline…" command and its dialog. */
export function CanvasContributions() {
  const { commands, workbench } = useServices();
  const [open, setOpen] = useState(false);
  useEffect(
    () => commands.getState().register([
      { id: 'pipeline.new', title: 'New Pipeline…', category: 'Pipeline', run: () => setOpen(true), isEnabled: () => workbench.getState().workspace !== null },
    ]),
    [commands, workbench],
  );
  return open ? <NewPipelineDialog onClose={() => setOpen(false)} /> : null;
}
