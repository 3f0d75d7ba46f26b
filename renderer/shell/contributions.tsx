import { useEffect } from 'react';
import { CanvasContributions } from '../features/canvas/CanvasContributions';
import { DataContributions } from '../features/data/DataContributions';
import { runsCommands } from '../features/runs/runs-commands';
import type { CommandDef } from '../stores/commands';
import type { AppServices } from '../stores/context';
import { useServices } from '../stores/context';

/**
 * Commands each feature contributes from startup (so the palette lists them before any of the
 * feature's documents is open). One line per feature.
 */
const featureCommands: ((services: AppServices) => CommandDef[])[] = [(s) => runsCommands(s.workbench)];

/** Registers every feature's startup commands and mounts the window-wide parts of features. */
export function FeatureContributions() {
  const services = useServices();
  useEffect(() => {
    const removers = featureCommands.map((make) => services.commands.getState().register(make(services)));
    return () => removers.forEach((remove) => remove());
  }, [services]);
  return (
    <>
      <DataContributions />
      <CanvasContributions />
    </>
  );
}
