// Validators of the lecture views' requests (src/shared/lectureApi.ts), merged into
// explorerValidators: the same rules as the rest of the explorer's messages (known fields, right
// types, finite numbers, bounded sizes), made of the checks in checks.ts.

import { badInput } from '../errors';
import {
  MAX_AE_VS_PCA_SHOWN,
  MAX_INTERPOLATION_STEPS,
  MAX_NOISE_AMOUNT,
  MAX_PCA_COMPONENTS,
  MAX_PRIOR_SAMPLES,
  MAX_SEED,
  MAX_SET_SIZE,
} from '../explorerLimits';
import type { InterpolationEnd, LectureExplorerRequests, SampleSet } from '../lectureApi';
import type { NoiseKind } from '../protocol';
import type { Validator } from '../rpc';
import { empty, finite, floats, integer, oneOf, record, type SessionLimits } from './checks';

const MAX_FACTOR_NAME = 100;
const NOISE_KINDS: readonly NoiseKind[] = ['gaussian', 'masking', 'salt-and-pepper'];

type Params<M extends keyof LectureExplorerRequests> = LectureExplorerRequests[M]['params'];
export type LectureValidators = { [M in keyof LectureExplorerRequests]: Validator<Params<M>> };

export function lectureValidators(limits: () => SessionLimits): LectureValidators {
  // Lecture views name session samples: below the session's count once it is open.
  const index = (value: unknown, name: string): number => {
    const max = limits().count ?? limits().datasetCount;
    return integer(value, name, 0, max === undefined ? MAX_SEED : max - 1);
  };
  const latent = (what: string): number => {
    const l = limits().latent;
    if (l === undefined) throw badInput(`${what}: the checkpoint is not open yet`);
    return l;
  };
  const end = (value: unknown, name: string): InterpolationEnd => {
    const e = record(value, name, ['kind', 'index', 'code']);
    const kind = oneOf(e.kind, `${name}.kind`, ['sample', 'code'] as const);
    if (kind === 'sample') {
      if (e.code !== undefined) throw badInput(`${name}: a sample end has no code`);
      return { kind, index: index(e.index, `${name}.index`) };
    }
    if (e.index !== undefined) throw badInput(`${name}: a code end has no index`);
    return { kind, code: floats(e.code, `${name}.code`, latent(name)) };
  };
  const sampleSet = (value: unknown, name: string): SampleSet => {
    const s = record(value, name, ['kind', 'indices', 'factor', 'value']);
    const kind = oneOf(s.kind, `${name}.kind`, ['indices', 'factor'] as const);
    if (kind === 'indices') {
      if (!Array.isArray(s.indices)) throw badInput(`${name}.indices: expected an array of sample indices`);
      if (s.indices.length > MAX_SET_SIZE) throw badInput(`${name}.indices: at most ${MAX_SET_SIZE}, got ${s.indices.length}`);
      return { kind, indices: s.indices.map((v, i) => index(v, `${name}.indices[${i}]`)) };
    }
    if (typeof s.factor !== 'string' || s.factor.length === 0 || s.factor.length > MAX_FACTOR_NAME) {
      throw badInput(`${name}.factor: expected a factor name of 1 to ${MAX_FACTOR_NAME} characters`);
    }
    return { kind, factor: s.factor, value: integer(s.value, `${name}.value`, 0, 100_000) };
  };

  return {
    'explorer/interpolate': (params) => {
      const p = record(params, 'params', ['from', 'to', 'steps', 'mode']);
      return {
        from: end(p.from, 'from'),
        to: end(p.to, 'to'),
        steps: integer(p.steps, 'steps', 2, MAX_INTERPOLATION_STEPS),
        mode: oneOf(p.mode, 'mode', ['linear', 'spherical'] as const),
      };
    },
    'explorer/attributeVector': (params) => {
      const p = record(params, 'params', ['with', 'without', 'target']);
      return {
        with: sampleSet(p.with, 'with'),
        ...(p.without === undefined ? {} : { without: sampleSet(p.without, 'without') }),
        ...(p.target === undefined ? {} : { target: index(p.target, 'target') }),
      };
    },
    'explorer/average': (params) => {
      const p = record(params, 'params', ['set']);
      return { set: sampleSet(p.set, 'set') };
    },
    'explorer/denoise': (params) => {
      const p = record(params, 'params', ['index', 'noise', 'seed']);
      const n = record(p.noise, 'noise', ['kind', 'amount']);
      return {
        index: index(p.index, 'index'),
        noise: { kind: oneOf(n.kind, 'noise.kind', NOISE_KINDS), amount: finite(n.amount, 'noise.amount', 0, MAX_NOISE_AMOUNT) },
        seed: integer(p.seed, 'seed', 0, MAX_SEED),
      };
    },
    'explorer/prior': (params) => {
      const p = record(params, 'params', ['count', 'seed']);
      return { count: integer(p.count, 'count', 1, MAX_PRIOR_SAMPLES), seed: integer(p.seed, 'seed', 0, MAX_SEED) };
    },
    'explorer/vaeSummary': empty,
    'explorer/aeVsPca': (params) => {
      const p = record(params, 'params', ['maxK', 'showCount']);
      return { maxK: integer(p.maxK, 'maxK', 1, MAX_PCA_COMPONENTS), showCount: integer(p.showCount, 'showCount', 1, MAX_AE_VS_PCA_SHOWN) };
    },
  };
}
