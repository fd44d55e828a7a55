// The map features' requests (webview -> host) as schemas, merged into the explorer's
// (explorerValidation.ts); mapApi.ts infers its request types from them. Session indices are checked
// against the open session's sample count; sizes are bounded before anything is allocated.

import * as v from 'valibot';
import {
  MAX_COMPARE_RECONSTRUCTIONS,
  MAX_DECODE_POINTS,
  MAX_EXPORT_CHARS,
  MAX_NEIGHBOURS,
  MAX_RECONSTRUCT_SAMPLES,
  MAX_TRUST_K,
} from '../explorerLimits';
import { fields, floats, none, oneOf, wholeNumber, whenOpen, list, type SessionLimits } from './checks';

const MAX_PATH_LENGTH = 4096;
const METHODS = ['pca', 'umap'] as const;

export function mapSchemas(limits: () => SessionLimits) {
  const sessionIndex = wholeNumber(0, () => whenOpen(limits().count, 'index') - 1);
  return {
    'explorer/neighbours': fields({ index: sessionIndex, k: wholeNumber(1, MAX_NEIGHBOURS) }),
    'explorer/decodeAt': v.pipe(
      fields({ method: oneOf(METHODS), points: floats, count: wholeNumber(1, MAX_DECODE_POINTS), k: v.optional(wholeNumber(1, MAX_NEIGHBOURS)) }),
      v.forward(
        v.check(
          ({ points, count }) => points.length === count * 2,
          (issue) => {
            const { points, count } = issue.input as { points: Float32Array; count: number };
            return `expected ${count * 2} numbers, got ${points.length}`;
          },
        ),
        ['points'],
      ),
    ),
    'explorer/reconstructSamples': fields({ indices: list(sessionIndex, 1, MAX_RECONSTRUCT_SAMPLES, 'sample indices') }),
    'explorer/trust': fields({ method: oneOf(METHODS), k: wholeNumber(1, MAX_TRUST_K) }),
    'explorer/checkpoints': none,
    'explorer/compare': fields({
      /** A checkpoint folder from the host's list (the host checks it is one). */
      checkpoint: v.pipe(
        v.string('expected a checkpoint folder from the list'),
        v.check((s) => s.length > 0 && s.length <= MAX_PATH_LENGTH, 'expected a checkpoint folder from the list'),
      ),
      count: wholeNumber(1, MAX_COMPARE_RECONSTRUCTIONS),
    }),
    /** An exported view: PNG as a data: URL, SVG as text. The host asks where to save it. */
    'explorer/saveImage': v.pipe(
      fields({
        format: oneOf(['png', 'svg']),
        name: v.pipe(v.string('expected a plain file name of 1 to 100 characters'), v.regex(/^[\w .,()+-]{1,100}$/, 'expected a plain file name of 1 to 100 characters')),
        data: v.pipe(
          v.string(`expected the image as text of at most ${MAX_EXPORT_CHARS} characters`),
          v.check((s) => s.length > 0 && s.length <= MAX_EXPORT_CHARS, `expected the image as text of at most ${MAX_EXPORT_CHARS} characters`),
        ),
      }),
      v.forward(
        v.check(({ format, data }) => (format === 'png' ? data.startsWith('data:image/png;base64,') : data.startsWith('<svg')), (issue) =>
          (issue.input as { format: string }).format === 'png' ? 'a PNG comes as a data:image/png;base64 URL' : 'an SVG starts with <svg',
        ),
        ['data'],
      ),
    ),
    'explorer/exportCodes': none,
    /** Follow this run's newest checkpoint while it trains (the live map). */
    'explorer/follow': fields({ follow: v.boolean('expected true or false') }),
  };
}

/** The map's requests' params, as the schemas let them through. */
export type MapParams = { [M in keyof ReturnType<typeof mapSchemas>]: v.InferOutput<ReturnType<typeof mapSchemas>[M]> };
