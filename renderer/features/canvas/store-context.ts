import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { PipelineState, PipelineStore } from './pipeline-store';

const PipelineStoreContext = createContext<PipelineStore | null>(null);

/** Provides the open pipeline's store to the canvas's nodes and panels. */
export const PipelineStoreProvider = PipelineStoreContext.Provider;

/** The open pipeline's store. */
export function usePipelineStore(): PipelineStore {
  const store = useContext(PipelineStoreContext);
  if (!store) throw new Error('usePipelineStore() outside <PipelineStoreProvider>');
  return store;
}

/** A slice of the open pipeline's state. */
export function usePipeline<T>(selector: (state: PipelineState) => T): T {
  return useStore(usePipelineStore(), selector);
}
