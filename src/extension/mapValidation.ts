// The checks of the map features' webview requests (src/shared/mapApi.ts), merged into
// explorerValidators (webviewValidation.ts, whose helpers these use). Session indices are checked
// against the open session's sample count; sizes are bounded before anything is allocated.

import { badInput } from '../shared/errors';
import type { MapExplorerRequests } from '../shared/mapApi';
import type { Validator } from '../shared/rpc';
import { floats, integer, oneOf, record, type SessionLimits } from './webviewValidation';

/** Most points one decode-anywhere request may ask for (matches the engine's bound). */
export const MAX_DECODE_POINTS = 1024;
/** Most samples one click-through request may reconstruct (matches the engine's bound). */
export const MAX_RECONSTRUCT = 256;
/** Largest exported image the host accepts: 32 MB of data URL or SVG text. */
export const MAX_EXPORT_CHARS = 32 * 1024 * 1024;
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
      return { index: sessionIndex(p.index, 'index'), k: integer(p.k, 'k', 1, 200) };
    },
    'explorer/decodeAt': (params) => {
      const p = record(params, 'params', ['method', 'points', 'count', 'k']);
      const count = integer(p.count, 'count', 1, MAX_DECODE_POINTS);
      const out: MapExplorerRequests['explorer/decodeAt']['params'] = {
        method: oneOf(p.method, 'method', METHODS),
        points: floats(p.points, 'points', count * 2),
        count,
      };
      if (p.k !== undefined) out.k = integer(p.k, 'k', 1, 200);
      return out;
    },
    'explorer/reconstructSamples': (params) => {
      const p = record(params, 'params', ['indices']);
      if (!Array.isArray(p.indices) || p.indices.length === 0 || p.indices.length > MAX_RECONSTRUCT) {
        throw badInput(`indices: expected an array of 1 to ${MAX_RECONSTRUCT} sample indices`);
      }
      return { indices: p.indices.map((v, i) => sessionIndex(v, `indices[${i}]`)) };
    },
    'explorer/trust': (params) => {
      const p = record(params, 'params', ['method', 'k']);
      return { method: oneOf(p.method, 'method', METHODS), k: integer(p.k, 'k', 1, 100) };
    },
    'explorer/checkpoints': (params) => {
      record(params ?? {}, 'params', []);
      return {};
    },
    'explorer/compare': (params) => {
      const p = record(params, 'params', ['checkpoint', 'count']);
      if (typeof p.checkpoint !== 'string' || p.checkpoint.length === 0 || p.checkpoint.length > MAX_PATH_LENGTH) {
        throw badInput('checkpoint: expected a checkpoint folder from the list');
      }
      return { checkpoint: p.checkpoint, count: integer(p.count, 'count', 1, 32) };
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
    'explorer/exportCodes': (params) => {
      record(params ?? {}, 'params', []);
      return {};
    },
    'explorer/follow': (params) => {
      const p = record(params, 'params', ['follow']);
      if (typeof p.follow !== 'boolean') throw badInput('follow: expected true or false');
      return { follow: p.follow };
    },
  };
}

