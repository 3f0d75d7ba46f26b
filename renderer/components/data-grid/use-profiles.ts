import { useEffect, useRef, useState } from 'react';
import type { ColumnProfile } from '../../../app/data/profile';

/** A grid column: name and DuckDB type name. */
export interface GridColumn {
  name: string;
  type: string;
}

export type ProfileState = ColumnProfile | 'loading' | 'error';
export type FetchProfile = (column: GridColumn) => Promise<ColumnProfile>;

/**
 * Column profiles fetched lazily: only for the columns in view (`visible` indices), one request at
 * a time so profiling never crowds out the row windows. Reset when `fetchProfile` changes.
 */
export function useProfiles(columns: readonly GridColumn[], visible: readonly number[], fetchProfile: FetchProfile | undefined): ReadonlyMap<string, ProfileState> {
  const [profiles, setProfiles] = useState<ReadonlyMap<string, ProfileState>>(new Map());
  const busy = useRef(false);
  const generation = useRef(0);

  useEffect(() => {
    generation.current += 1;
    busy.current = false;
    setProfiles(new Map());
  }, [fetchProfile, columns]);

  useEffect(() => {
    if (!fetchProfile || busy.current) return;
    const next = visible.map((i) => columns[i]).find((c) => c !== undefined && !profiles.has(c.name));
    if (!next) return;
    const ticket = generation.current;
    busy.current = true;
    setProfiles((m) => new Map(m).set(next.name, 'loading'));
    const done = (state: ProfileState) => {
      if (ticket !== generation.current) return;
      busy.current = false;
      setProfiles((m) => new Map(m).set(next.name, state));
    };
    fetchProfile(next).then(done, () => done('error'));
  }, [columns, visible, fetchProfile, profiles]);

  return profiles;
}
