import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseCsv } from '../../../app/labels/csv';
import { NAB_PROFILES, nabBounds, normalizeNabScore, parseNabTimestamp, scoreNabFile, type NabProfileName } from '../../../app/labels/nab';
import { Exit, UsageError, type Command } from '../command';

/**
 * The key of a detections file in a NAB windows file: an exact key, or the one whose file name
 * the detections file ends with (NAB names results `<detector>_<file>.csv`).
 */
export function inferNabKey(keys: readonly string[], detectionsPath: string): string {
  const name = basename(detectionsPath);
  const matches = keys.filter((k) => {
    const base = k.split('/').at(-1)!;
    return detectionsPath.endsWith(k) || name === base || name.endsWith(`_${base}`);
  });
  if (matches.length === 1) return matches[0]!;
  throw new UsageError(matches.length === 0 ? `No entry of the windows file matches ${name}; pass --key.` : `${name} matches ${matches.join(', ')}; pass --key.`);
}

/** Rows of a NAB results CSV: x (epoch ms) and anomaly_score. */
export function readDetections(text: string): { x: number[]; scores: number[] } {
  const rows = parseCsv(text).filter((r) => r.length > 1 || r[0] !== '');
  const header = rows[0] ?? [];
  const t = header.indexOf('timestamp');
  const s = header.indexOf('anomaly_score');
  if (t < 0 || s < 0) throw new UsageError('DETECTIONS needs the columns timestamp and anomaly_score (NAB results format).');
  const body = rows.slice(1);
  const x = body.map((r) => parseNabTimestamp(r[t] ?? ''));
  const bad = x.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new UsageError(`DETECTIONS row ${bad + 2}: "${body[bad]![t]}" is not a timestamp.`);
  return { x, scores: body.map((r) => Number(r[s])) };
}

export const nabScoreCommand: Command = {
  name: 'nab-score',
  summary: "Score an anomaly detector's outputs against NAB windows (raw score, TP/FP/FN/TN, detection delays).",
  usage: 'vajra nab-score DETECTIONS.csv --windows WINDOWS.json [--profile standard|reward_low_FP_rate|reward_low_FN_rate] [--threshold T] [--key KEY] [--json]',
  help: [
    'DETECTIONS.csv   NAB results columns: timestamp, value, anomaly_score, label',
    '--windows FILE   NAB window JSON (e.g. labels/combined_windows.json)',
    '--profile P      cost profile (default standard)',
    '--threshold T    a row is a detection when anomaly_score ≥ T (default 0.5)',
    '--key KEY        the file\'s key in WINDOWS, e.g. realKnownCause/nyc_taxi.csv (default: from the file name)',
    '--json           print {"score", "tp", "fp", "fn", "tn", …} as JSON',
  ].join('\n'),
  options: {
    windows: { type: 'string' },
    profile: { type: 'string', default: 'standard' },
    threshold: { type: 'string', default: '0.5' },
    key: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  allowPositionals: true,
  async run(values, positionals, context) {
    if (positionals.length !== 1) throw new UsageError('give exactly one DETECTIONS.csv');
    if (typeof values.windows !== 'string') throw new UsageError('--windows WINDOWS.json is required');
    const profile = String(values.profile);
    if (!(profile in NAB_PROFILES)) throw new UsageError(`--profile must be one of ${Object.keys(NAB_PROFILES).join(', ')}`);
    const threshold = Number(values.threshold);
    if (!Number.isFinite(threshold)) throw new UsageError(`--threshold must be a number, not "${String(values.threshold)}"`);
    const detectionsPath = resolve(context.cwd, positionals[0]!);
    const [detectionsText, windowsText] = await Promise.all([readFile(detectionsPath, 'utf8'), readFile(resolve(context.cwd, values.windows), 'utf8')]).catch((error: NodeJS.ErrnoException) => {
      context.stderr(`vajra nab-score: ${error.message}\n`);
      return [null, null] as const;
    });
    if (detectionsText === null || windowsText === null) return Exit.error;
    const windowsJson = JSON.parse(windowsText) as Record<string, string[][]>;
    const key = typeof values.key === 'string' ? values.key : inferNabKey(Object.keys(windowsJson), detectionsPath);
    if (!windowsJson[key]) throw new UsageError(`The windows file has no entry "${key}".`);
    const windows = windowsJson[key].map(([a, b]) => ({ start: parseNabTimestamp(a ?? ''), end: parseNabTimestamp(b ?? '') }));
    const { x, scores } = readDetections(detectionsText);
    const cost = NAB_PROFILES[profile as NabProfileName];
    const result = scoreNabFile({ x, scores, windows, cost, threshold });
    const bounds = nabBounds(result.windows, cost);
    const normalized = result.windows > 0 ? normalizeNabScore(result.score, bounds.nullScore, bounds.perfectScore) : null;
    if (values.json) {
      context.stdout(`${JSON.stringify({ key, profile, threshold, score: result.score, normalized, tp: result.tp, fp: result.fp, fn: result.fn, tn: result.tn, rows: x.length, scoredRows: result.total, windows: result.windows, delays: result.delays }, null, 2)}\n`);
    } else {
      context.stdout(`${key} · ${profile} · threshold ${threshold}\nscore ${result.score.toFixed(6)}${normalized === null ? '' : `  (normalised ${normalized.toFixed(2)})`}\nTP ${result.tp}  FP ${result.fp}  FN ${result.fn}  TN ${result.tn}\ndelays (rows) ${result.delays.map((d) => (d === null ? 'missed' : String(d))).join(', ') || '—'}\n`);
    }
    return Exit.ok;
  },
};
