// The explorer's core requests (webview -> host), declared once as schemas: the host validates what
// the page sends with them (explorerValidation.ts) and their TypeScript types are inferred from them
// (webviewApi.ts, engineApi.ts). Bounds that depend on the open checkpoint (code size, sample count)
// are read when a message is checked. Limits come from ../explorerLimits.ts.

import * as v from 'valibot';
import { MAX_COUNT, MAX_GRID_RANGE, MAX_GRID_STEPS, MAX_NEIGHBOURS, MAX_SEED, MIN_GRID_RANGE } from '../explorerLimits';
import type { ProjectionParams } from '../protocol';
import { fields, finiteNumber, strict, floats, id, list, none, oneOf, wholeNumber, whenOpen, type SessionLimits } from './checks';

/** Codes of up to 4096 values: the bound of a latent axis before a checkpoint is open. */
const MAX_LATENT = 4096;

export function gridSpecSchema(limits: () => SessionLimits) {
  const lastAxis = (): number => (limits().latent ?? MAX_LATENT) - 1;
  return fields({
    /** Two latent axes, or the first two principal directions of the codes. */
    axes: v.variant(
      'kind',
      [strict({ kind: v.literal('pca') }), strict({ kind: v.literal('latent'), x: wholeNumber(0, lastAxis), y: wholeNumber(0, lastAxis) })],
      (issue) => `expected kind latent or pca, got ${String(issue.received)}`,
    ),
    /** Half-width of the grid in standard deviations of the codes along each axis. */
    range: finiteNumber(MIN_GRID_RANGE, MAX_GRID_RANGE),
    /** Cells per side. */
    steps: wholeNumber(1, MAX_GRID_STEPS),
  });
}

const projectionParams = fields({
  method: oneOf(['pca', 'umap']),
  seed: wholeNumber(0, MAX_SEED),
  nNeighbors: v.optional(wholeNumber(2, MAX_NEIGHBOURS)),
  minDist: v.optional(finiteNumber(0, 1)),
  nEpochs: v.optional(wholeNumber(1, 2000)),
}) satisfies v.GenericSchema<unknown, ProjectionParams>;

export function coreSchemas(limits: () => SessionLimits) {
  return {
    'explorer/ready': none,
    /** The Training Curves view, charting this checkpoint's run. */
    'explorer/showCurves': none,
    /** The open session's samples from `offset` on, one chunk of them (src/shared/snapshotChunks.ts). */
    'explorer/chunk': fields({ offset: wholeNumber(0, () => whenOpen(limits().count, 'chunk') - 1) }),
    'explorer/project': v.pipe(
      fields({
        projectionId: id,
        params: projectionParams,
        /** UMAP only, a starting layout (count × 2): the previous checkpoint's map, for the live map. */
        init: v.optional(floats),
      }),
      v.forward(
        v.check(
          ({ init }) => init === undefined || init.length === whenOpen(limits().count, 'project') * 2,
          (issue) => `expected ${(limits().count ?? 0) * 2} numbers, got ${(issue.input as { init: Float32Array }).init.length}`,
        ),
        ['init'],
      ),
    ),
    'explorer/reconstructions': fields({ count: wholeNumber(1, MAX_COUNT), order: oneOf(['worst', 'best', 'random']) }),
    'explorer/decodeGrid': fields({ grid: gridSpecSchema(limits) }),
    'explorer/decode': v.pipe(
      fields({ codes: floats, count: wholeNumber(1, MAX_COUNT) }),
      v.forward(
        v.check(
          ({ codes, count }) => codes.length === count * whenOpen(limits().latent, 'decode'),
          (issue) => {
            const { codes, count } = issue.input as { codes: Float32Array; count: number };
            return `expected ${count * (limits().latent ?? 0)} numbers, got ${codes.length}`;
          },
        ),
        ['codes'],
      ),
    ),
    // Session indices (ExploreSession.samples), so bounded by the session's count, not the dataset's.
    'explorer/samples': fields({
      indices: list(wholeNumber(0, () => whenOpen(limits().count, 'samples') - 1), 0, MAX_COUNT, 'sample indices'),
    }),
  };
}

/** The core requests' params, as the schemas let them through. */
export type CoreParams = { [M in keyof ReturnType<typeof coreSchemas>]: v.InferOutput<ReturnType<typeof coreSchemas>[M]> };
export type GridSpec = v.InferOutput<ReturnType<typeof gridSpecSchema>>;
