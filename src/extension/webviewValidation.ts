// Every request from the explorer webview is checked here before the host acts on it: known fields,
// right types, finite numbers, bounded sizes. A webview is a web page; whatever it sends is untrusted
// until these say otherwise. Each validator throws a bad-input EngineError, which the channel logs
// and sends back as the reply (see RpcChannel.handle).

import { badInput } from '../shared/errors';
import type { GridSpec } from '../shared/engineApi';
import type { ProjectionParams } from '../shared/protocol';
import type { Validator } from '../shared/rpc';
import type { ExplorerRequests } from '../shared/webviewApi';
import { lectureValidators } from './lectureValidation';
import { mapValidators } from './mapValidation';

/** Most items any one request may ask for (samples, reconstructions, decoded codes). */
export const MAX_COUNT = 10_000;
/** Most cells per side of a decoder grid. */
export const MAX_GRID_STEPS = 32;
const MAX_ID_LENGTH = 100;

/** What the validators need to know about the open checkpoint. */
export interface SessionLimits {
  /** Code size; undefined until the session is open. */
  latent?: number;
  /** Samples in the whole dataset (indices must fall below it). */
  datasetCount?: number;
  /** Samples in the open session (session indices must fall below it). */
  count?: number;
}

type Params<M extends keyof ExplorerRequests> = ExplorerRequests[M]['params'];
export type ExplorerValidators = { [M in keyof ExplorerRequests]: Validator<Params<M>> };

export function explorerValidators(limits: () => SessionLimits): ExplorerValidators {
  return {
    ...lectureValidators(limits),
    ...mapValidators(limits),
    'explorer/ready': (params) => {
      record(params ?? {}, 'params', []);
      return {};
    },
    'explorer/project': (params) => {
      const p = record(params, 'params', ['projectionId', 'params', 'init']);
      const out: Params<'explorer/project'> = { projectionId: id(p.projectionId, 'projectionId'), params: projectionParams(p.params) };
      if (p.init !== undefined) {
        const count = limits().count;
        if (count === undefined) throw badInput('project: the checkpoint is not open yet');
        out.init = floats(p.init, 'init', count * 2);
      }
      return out;
    },
    'explorer/reconstructions': (params) => {
      const p = record(params, 'params', ['count', 'order']);
      return { count: integer(p.count, 'count', 1, MAX_COUNT), order: oneOf(p.order, 'order', ['worst', 'best', 'random'] as const) };
    },
    'explorer/decodeGrid': (params) => {
      const p = record(params, 'params', ['grid']);
      return { grid: gridSpec(p.grid, limits().latent) };
    },
    'explorer/decode': (params) => {
      const p = record(params, 'params', ['codes', 'count']);
      const count = integer(p.count, 'count', 1, MAX_COUNT);
      const latent = limits().latent;
      if (latent === undefined) throw badInput('decode: the checkpoint is not open yet');
      return { codes: floats(p.codes, 'codes', count * latent), count };
    },
    'explorer/samples': (params) => {
      const p = record(params, 'params', ['indices']);
      // Session indices (ExploreSession.samples), so bounded by the session's count, not the dataset's.
      const max = limits().count;
      if (max === undefined) throw badInput('samples: the checkpoint is not open yet');
      if (!Array.isArray(p.indices)) throw badInput('indices: expected an array of sample indices');
      if (p.indices.length > MAX_COUNT) throw badInput(`indices: at most ${MAX_COUNT} per request, got ${p.indices.length}`);
      return { indices: p.indices.map((v, i) => integer(v, `indices[${i}]`, 0, max - 1)) };
    },
  };
}

function projectionParams(value: unknown): ProjectionParams {
  const p = record(value, 'params', ['method', 'seed', 'nNeighbors', 'minDist', 'nEpochs']);
  const method = oneOf(p.method, 'params.method', ['pca', 'umap'] as const);
  const out: ProjectionParams = { method, seed: integer(p.seed, 'params.seed', 0, 2 ** 31 - 1) };
  if (p.nNeighbors !== undefined) out.nNeighbors = integer(p.nNeighbors, 'params.nNeighbors', 2, 200);
  if (p.minDist !== undefined) out.minDist = finite(p.minDist, 'params.minDist', 0, 1);
  if (p.nEpochs !== undefined) out.nEpochs = integer(p.nEpochs, 'params.nEpochs', 1, 2000);
  return out;
}

function gridSpec(value: unknown, latent: number | undefined): GridSpec {
  const g = record(value, 'grid', ['axes', 'range', 'steps']);
  const a = record(g.axes, 'grid.axes', ['kind', 'x', 'y']);
  const kind = oneOf(a.kind, 'grid.axes.kind', ['latent', 'pca'] as const);
  let axes: GridSpec['axes'];
  if (kind === 'pca') {
    axes = { kind };
  } else {
    const last = (latent ?? 4096) - 1;
    const x = integer(a.x, 'grid.axes.x', 0, last);
    const y = integer(a.y, 'grid.axes.y', 0, last);
    axes = { kind, x, y };
  }
  return { axes, range: finite(g.range, 'grid.range', 0.01, 20), steps: integer(g.steps, 'grid.steps', 1, MAX_GRID_STEPS) };
}

/** A plain object with only the allowed keys. */
export function record(value: unknown, name: string, allowed: string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw badInput(`${name}: expected an object`);
  }
  const extra = Object.keys(value).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw badInput(`${name}: unexpected field ${JSON.stringify(extra[0])}`);
  return value as Record<string, unknown>;
}

export function integer(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${name}: expected a whole number from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

export function finite(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badInput(`${name}: expected a number from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, name: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw badInput(`${name}: expected one of ${options.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function id(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw badInput(`${name}: expected a string of 1 to ${MAX_ID_LENGTH} characters`);
  }
  return value;
}

/** A Float32Array (or a plain number array, converted) of exactly `length` finite values. */
export function floats(value: unknown, name: string, length: number): Float32Array {
  let array: Float32Array;
  if (value instanceof Float32Array) array = value;
  else if (Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'number')) array = Float32Array.from(value as number[]);
  else throw badInput(`${name}: expected a Float32Array of ${length} numbers`);
  if (array.length !== length) throw badInput(`${name}: expected ${length} numbers, got ${array.length}`);
  for (let i = 0; i < array.length; i++) {
    if (!Number.isFinite(array[i])) throw badInput(`${name}[${i}]: expected a finite number`);
  }
  return array;
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return Array.isArray(value) ? 'an array' : typeof value;
}
