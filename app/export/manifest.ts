import { sha256Hex } from '../tracking/bytes';

/** File name of the manifest at the bundle root (it does not list itself). */
export const MANIFEST_FILE = 'manifest.json';

/** `manifest.json`: every other file with its SHA-256 and size, plus where the model came from. */
export interface BundleManifest {
  format: 'vajra.bundle';
  version: 1;
  runId: string;
  modelName: string;
  createdAtMs: number;
  dataFingerprints: { name: string; fingerprint: string }[];
  versions: Record<string, string>;
  metadata: Record<string, string | number | boolean>;
  files: Record<string, { sha256: string; size: number }>;
}

/** Builds the manifest of `files` (bundle path → bytes; manifest.json itself is skipped). */
export function buildManifest(files: ReadonlyMap<string, Uint8Array>, facts: Omit<BundleManifest, 'format' | 'version' | 'files'>): BundleManifest {
  const entries: BundleManifest['files'] = {};
  for (const path of [...files.keys()].sort()) {
    if (path === MANIFEST_FILE) continue;
    const bytes = files.get(path)!;
    entries[path] = { sha256: sha256Hex(bytes), size: bytes.length };
  }
  return { format: 'vajra.bundle', version: 1, ...facts, files: entries };
}

/** What `verifyManifest` found. `ok` only when nothing is missing, changed or extra. */
export interface VerifyReport {
  ok: boolean;
  checked: number;
  missing: string[];
  changed: { path: string; expected: string; actual: string }[];
  extra: string[];
  /** Set when manifest.json itself is missing or unreadable. */
  problem?: string;
}

function isManifest(value: unknown): value is Pick<BundleManifest, 'format' | 'files'> {
  if (value === null || typeof value !== 'object' || !('format' in value) || !('files' in value)) return false;
  const files: unknown = value.files;
  return value.format === 'vajra.bundle' && files !== null && typeof files === 'object'
    && Object.values(files).every((f: unknown) => f !== null && typeof f === 'object' && 'sha256' in f && typeof f.sha256 === 'string');
}

/**
 * Compares the manifest text with the bundle's actual files (path → SHA-256 hex, manifest.json
 * excluded). Paths the caller ignores (e.g. an installed server/node_modules) must be left out
 * of `actual` by the caller.
 */
export function verifyManifest(manifestText: string | undefined, actual: ReadonlyMap<string, string>): VerifyReport {
  const empty = { checked: 0, missing: [], changed: [], extra: [...actual.keys()].sort() };
  if (manifestText === undefined) return { ok: false, ...empty, problem: `${MANIFEST_FILE} is missing.` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifestText);
  } catch (error) {
    return { ok: false, ...empty, problem: `${MANIFEST_FILE} is not valid JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
  if (!isManifest(parsed)) return { ok: false, ...empty, problem: `${MANIFEST_FILE} is not a Vajra bundle manifest.` };
  const expected = new Map(Object.entries(parsed.files).map(([path, f]) => [path, f.sha256]));
  const missing: string[] = [];
  const changed: VerifyReport['changed'] = [];
  for (const [path, sha] of [...expected].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const got = actual.get(path);
    if (got === undefined) missing.push(path);
    else if (got !== sha) changed.push({ path, expected: sha, actual: got });
  }
  const extra = [...actual.keys()].filter((p) => !expected.has(p)).sort();
  return { ok: missing.length === 0 && changed.length === 0 && extra.length === 0, checked: expected.size, missing, changed, extra };
}

/** A short human report: one line per problem, or a one-line success. */
export function formatVerifyReport(report: VerifyReport): string {
  if (report.problem) return `FAILED: ${report.problem}`;
  if (report.ok) return `OK: ${report.checked} files match manifest.json.`;
  const lines = [`FAILED: ${report.missing.length} missing, ${report.changed.length} changed, ${report.extra.length} extra (of ${report.checked} listed).`];
  for (const path of report.missing) lines.push(`  missing  ${path}`);
  for (const c of report.changed) lines.push(`  changed  ${c.path} (sha256 ${c.actual.slice(0, 12)}…, expected ${c.expected.slice(0, 12)}…)`);
  for (const path of report.extra) lines.push(`  extra    ${path}`);
  return lines.join('\n');
}
