import { useEffect, useState } from 'react';
import { useServices } from '../../stores/context';
import { OpenSeriesDialog } from './OpenSeriesDialog';
import './annotate.css';

/** The annotate feature's window-wide parts: the "Annotate: Open Series…" command and its picker. */
export function AnnotateContributions() {
  const { commands, workbench } = useServices();
  const [open, setOpen] = useState(false);
  useEffect(
    () =>
      commands.getState().register([
        { id: 'annotate.openSeries', title: 'Open Series…', category: 'Annotate', run: () => setOpen(true), isEnabled: () => workbench.getState().workspace !== null },
      ]),
    [commands, workbench],
  );
  return open ? <OpenSeriesDialog onClose={() => setOpen(false)} /> : null;
}
