import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Backend } from '../bridge/connection';
import type { CommandState, CommandStore } from './commands';
import type { WorkbenchState, WorkbenchStore } from './workbench-store';

export interface AppServices {
  backend: Backend;
  workbench: WorkbenchStore;
  commands: CommandStore;
}

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

/** The app's services (backend client and stores) from React context. */
export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() outside <ServicesProvider>');
  return services;
}

export function useWorkbench<T>(selector: (state: WorkbenchState) => T): T {
  return useStore(useServices().workbench, selector);
}

export function useCommands<T>(selector: (state: CommandState) => T): T {
  return useStore(useServices().commands, selector);
}
