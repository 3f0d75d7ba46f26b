import { useEffect, useRef, type DependencyList, type RefObject } from 'react';

/**
 * Mounts the element `build` makes (an Observable Plot chart) into the returned ref's element,
 * and replaces it when `deps` change; the old chart is removed on change and on unmount.
 */
export function useChart<E extends HTMLElement = HTMLDivElement>(build: () => Element, deps: DependencyList): RefObject<E | null> {
  const ref = useRef<E>(null);
  useEffect(() => {
    const host = ref.current;
    if (!host) return;
    const chart = build();
    host.replaceChildren(chart);
    return () => chart.remove();
  }, deps);
  return ref;
}
