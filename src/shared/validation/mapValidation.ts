// The checks of the map features' webview requests (src/shared/mapApi.ts), merged into
// explorerValidators (explorerValidation.ts), made of the checks in checks.ts. Session indices are
// checked against the open session's sample count; sizes are bounded before anything is allocated.

import { badInput } from '../errors';
import {
  MAX_COMPARE_RECONSTRUCTIONS,
  MAX_DECODE_POINTS,
  MAX_EXPORT_CHARS,
  MAX_NEIGHBOURS,
  MAX_RECONSTRUCT_SAMPLES,
  MAX_TRUST_K,
} from '../explorerLimits';
import type { MapExplorerRequests } from '../mapApi';
import type { Validator } from '../rpc';
import { empty, floats, integer, oneOf, record, type SessionLimits } from './checks';

const MAX_PATH_LENGTH = 4096;
const METHODS = ['pca', 'umap'] as const;

export type MapValidators = { [M in keyof MapExplorerRequests]: Validator<MapExplorerRequests[M]['params']> };

export function mapValidators(limits: () => SessionLimits): MapValidators {
  const sessionIndex = (value: unknown, name: string): number => {
    const count = limits().count;
    if (count === undefined) throw badInput(`${name}: the checkpoint is not open yet`);
    return integer(value, name, 0, count - 1);
  };
  return {
    'explorer/neighbours': (params) => {
      const p = record(params, 'params', ['index', 'k']);
      return { index: sessionIndex(p.index, 'index'), k: integer(p.k, 'k', 1, MAX_NEIGHBOURS) };
    },
    'explorer/decodeAt': (params) => {
      const p = record(params, 'params', ['method', 'points', 'count', 'k']);
      const count = integer(p.count, 'count', 1, MAX_DECODE_POINTS);
      const out: MapExplorerRequests['explorer/decodeAt']['params'] = {
        method: oneOf(p.method, 'method', METHODS),
        points: floats(p.points, 'points', count * 2),
        count,
      };
      if (p.k !== undefined) out.k = integer(p.k, 'k', 1, MAX_NEIGHBOURS);
      return out;
    },
    'explorer/reconstructSamples': (params) => {
      const p = record(params, 'params', ['indices']);
      if (!Array.isArray(p.indices) || p.indices.length === 0 || p.indices.length > MAX_RECONSTRUCT_SAMPLES) {
        throw badInput(`indices: expected an array of 1 to ${MAX_RECONSTRUCT_SAMPLES} sample indices`);
      }
      return { indices: p.indices.map((v, i) => sessionIndex(v, `indices[${i}]`)) };
    },
    'explorer/trust': (params) => {
      const p = record(params, 'params', ['method', 'k']);
      return { method: oneOf(p.method, 'method', METHODS), k: integer(p.k, 'k', 1, MAX_TRUST_K) };
    },
    'explorer/checkpoints': empty,
    'explorer/compare': (params) => {
      const p = record(params, 'params', ['checkpoint', 'count']);
      if (typeof p.checkpoint !== 'string' || p.checkpoint.length === 0 || p.checkpoint.length > MAX_PATH_LENGTH) {
        throw badInput('checkpoint: expected a checkpoint folder from the list');
      }
      return { checkpoint: p.checkpoint, count: integer(p.count, 'count', 1, MAX_COMPARE_RECONSTRUCTIONS) };
    },
    'explorer/saveImage': (params) => {
      const p = record(params, 'params', ['format', 'name', 'data']);
      const format = oneOf(p.format, 'format', ['png', 'svg'] as const);
      if (typeof p.name !== 'string' || !/^[\w .,()+-]{1,100}$/.test(p.name)) throw badInput('name: expected a plain file name of 1 to 100 characters');
      if (typeof p.data !== 'string' || p.data.length === 0 || p.data.length > MAX_EXPORT_CHARS) {
        throw badInput(`data: expected the image as text of at most ${MAX_EXPORT_CHARS} characters`);
      }
      if (format === 'png' && !p.data.startsWith('data:image/png;base64,')) throw badInput('data: a PNG comes as a data:image/png;base64 URL');
      if (format === 'svg' && !p.data.startsWith('<svg')) throw badInput('data: an SVG starts with <svg');
      return { format, name: p.name, data: p.data };
    },
    'explorer/exportCodes': empty,
    'explorer/follow': (params) => {
      const p = record(params, 'params', ['follow']);
      if (typeof p.follow !== 'boolean') throw badInput('follow: expected true or false');
      return { follow: p.follow };
    },
  };
}

