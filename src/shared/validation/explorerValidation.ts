// Every request from the explorer webview is checked here before the host acts on it: known fields,
// right types, finite numbers, bounded sizes. A webview is a web page; whatever it sends is untrusted
// until these say otherwise. Each validator throws a bad-input EngineError, which the channel logs
// and sends back as the reply (see RpcChannel.handle). The lecture views' and the map's requests are
// checked in lectureValidation.ts and mapValidation.ts; the limits are in ../explorerLimits.ts.

import { badInput } from '../errors';
import type { GridSpec } from '../engineApi';
import { MAX_COUNT, MAX_GRID_RANGE, MAX_GRID_STEPS, MAX_NEIGHBOURS, MAX_SEED, MIN_GRID_RANGE } from '../explorerLimits';
import type { ProjectionParams } from '../protocol';
import type { Validator } from '../rpc';
import type { ExplorerRequests } from '../webviewApi';
import { empty, finite, floats, id, integer, oneOf, record, type SessionLimits } from './checks';
import { lectureValidators } from './lectureValidation';
import { mapValidators } from './mapValidation';

export type { SessionLimits } from './checks';

type Params<M extends keyof ExplorerRequests> = ExplorerRequests[M]['params'];
export type ExplorerValidators = { [M in keyof ExplorerRequests]: Validator<Params<M>> };

export function explorerValidators(limits: () => SessionLimits): ExplorerValidators {
  return {
    ...lectureValidators(limits),
    ...mapValidators(limits),
    'explorer/ready': empty,
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
  const out: ProjectionParams = { method, seed: integer(p.seed, 'params.seed', 0, MAX_SEED) };
  if (p.nNeighbors !== undefined) out.nNeighbors = integer(p.nNeighbors, 'params.nNeighbors', 2, MAX_NEIGHBOURS);
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
  return { axes, range: finite(g.range, 'grid.range', MIN_GRID_RANGE, MAX_GRID_RANGE), steps: integer(g.steps, 'grid.steps', 1, MAX_GRID_STEPS) };
}
