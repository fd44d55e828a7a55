// What the lecture views keep across reloads (VS Code does not retain the hidden page): the samples
// and settings each view shows, never the fetched images. Checked field by field like the rest of
// UiState (src/webview/state.ts): a bad value is dropped and the view uses its default.

import type { InterpolationMode } from '../../shared/lectureApi';
import type { NoiseKind } from '../../shared/protocol';

export interface LectureUiState {
  interpolation?: { from?: number; to?: number; steps?: number; mode?: InterpolationMode };
  attributes?: { source?: string; target?: number; alpha?: number };
  average?: { source?: string };
  denoise?: { index?: number; kind?: NoiseKind; amount?: number; seed?: number };
  vae?: { index?: number; seed?: number };
  aeVsPca?: { maxK?: number };
}

const MAX_INDEX = 10_000_000;

export function parseLectureState(value: unknown): LectureUiState | undefined {
  if (!isRecord(value)) return undefined;
  const out: LectureUiState = {};
  const i = value.interpolation;
  if (isRecord(i)) {
    out.interpolation = pick({
      from: int(i.from, 0, MAX_INDEX),
      to: int(i.to, 0, MAX_INDEX),
      steps: int(i.steps, 2, 32),
      mode: i.mode === 'linear' || i.mode === 'spherical' ? (i.mode as InterpolationMode) : undefined,
    });
  }
  const a = value.attributes;
  if (isRecord(a)) out.attributes = pick({ source: str(a.source), target: int(a.target, 0, MAX_INDEX), alpha: num(a.alpha, -5, 5) });
  const m = value.average;
  if (isRecord(m)) out.average = pick({ source: str(m.source) });
  const d = value.denoise;
  if (isRecord(d)) {
    out.denoise = pick({
      index: int(d.index, 0, MAX_INDEX),
      kind: d.kind === 'gaussian' || d.kind === 'masking' || d.kind === 'salt-and-pepper' ? (d.kind as NoiseKind) : undefined,
      amount: num(d.amount, 0, 1),
      seed: int(d.seed, 0, 2 ** 31 - 1),
    });
  }
  const v = value.vae;
  if (isRecord(v)) out.vae = pick({ index: int(v.index, 0, MAX_INDEX), seed: int(v.seed, 0, 2 ** 31 - 1) });
  const p = value.aeVsPca;
  if (isRecord(p)) out.aeVsPca = pick({ maxK: int(p.maxK, 1, 128) });
  return out;
}

/** An index restored from state, or the fallback when it is missing or past this session's samples. */
export function restoredIndex(value: number | undefined, count: number, fallback: number): number {
  return value !== undefined && value < count ? value : Math.min(fallback, count - 1);
}

function pick<T extends Record<string, unknown>>(fields: T): T {
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function int(value: unknown, min: number, max: number): number | undefined {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? (value as number) : undefined;
}

function num(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
}
