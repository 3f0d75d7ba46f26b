import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic';

const RecentFile = z.object({ items: z.array(z.object({ root: z.string(), name: z.string(), openedAt: z.number() })) });
export type RecentItem = z.infer<typeof RecentFile>['items'][number];

const MAX_RECENT = 12;

/** The per-user settings folder: the recent-workspaces list lives here. */
export class UserConfig {
  constructor(readonly dir: string) {}

  async recent(): Promise<RecentItem[]> {
    const text = await readFile(join(this.dir, 'recent.json'), 'utf8').catch(() => undefined);
    if (text === undefined) return [];
    try {
      const parsed = RecentFile.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data.items : [];
    } catch {
      return []; // A damaged list only loses the list, never a workspace.
    }
  }

  async addRecent(item: RecentItem): Promise<void> {
    const items = [item, ...(await this.recent()).filter((r) => r.root !== item.root)].slice(0, MAX_RECENT);
    await writeFileAtomic(join(this.dir, 'recent.json'), `${JSON.stringify({ items }, null, 2)}\n`);
  }
}
