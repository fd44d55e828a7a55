// The lecture views' requests (webview -> host) as schemas, merged into the explorer's
// (explorerValidation.ts); lectureApi.ts infers its request types from them. Lecture views name
// session samples: below the session's count once it is open.

import * as v from 'valibot';
import {
  MAX_AE_VS_PCA_SHOWN,
  MAX_INTERPOLATION_STEPS,
  MAX_NOISE_AMOUNT,
  MAX_PCA_COMPONENTS,
  MAX_PRIOR_SAMPLES,
  MAX_SEED,
  MAX_SET_SIZE,
  MAX_FACTOR_NAME,
} from '../explorerLimits';
import type { NoiseSpec } from '../protocol';
import { fields, finiteNumber, floats, none, oneOf, strict, wholeNumber, whenOpen, list, type SessionLimits } from './checks';

function sampleIndex(limits: () => SessionLimits) {
  return wholeNumber(0, () => {
    const max = limits().count ?? limits().datasetCount;
    return max === undefined ? MAX_SEED : max - 1;
  });
}

/**
 * Samples of the explorer session, by index or by a factor of the dataset. A category factor: the
 * samples of class `value`. A value factor: `value` 1 is the samples at or above its median, 0 those
 * below (so "smile" works from either kind).
 */
export function sampleSetSchema(limits: () => SessionLimits) {
  return v.variant(
    'kind',
    [
      strict({ kind: v.literal('indices'), indices: list(sampleIndex(limits), 0, MAX_SET_SIZE, 'sample indices') }),
      strict({
        kind: v.literal('factor'),
        factor: v.pipe(
          v.string(`expected a factor name of 1 to ${MAX_FACTOR_NAME} characters`),
          v.check((s) => s.length > 0 && s.length <= MAX_FACTOR_NAME, `expected a factor name of 1 to ${MAX_FACTOR_NAME} characters`),
        ),
        value: wholeNumber(0, 100_000),
      }),
    ],
    (issue) => `expected kind indices or factor, got ${String(issue.received)}`,
  );
}

/** One end of an interpolation: a session sample, or any code (a map point decoded, say). */
export function interpolationEndSchema(limits: () => SessionLimits) {
  return v.variant(
    'kind',
    [
      strict({ kind: v.literal('sample'), index: sampleIndex(limits) }),
      v.pipe(
        strict({ kind: v.literal('code'), code: floats }),
        v.forward(
          v.check(({ code }) => code.length === whenOpen(limits().latent, 'code'), `expected as many numbers as the code has values`),
          ['code'],
        ),
      ),
    ],
    (issue) => `expected kind sample or code, got ${String(issue.received)}`,
  );
}

export function interpolationRequestSchema(limits: () => SessionLimits) {
  return fields({
    from: interpolationEndSchema(limits),
    to: interpolationEndSchema(limits),
    /** Images in the strip, both ends included. */
    steps: wholeNumber(2, MAX_INTERPOLATION_STEPS),
    mode: oneOf(['linear', 'spherical']),
  });
}

export function attributeRequestSchema(limits: () => SessionLimits) {
  return fields({
    /** Samples with the attribute. */
    with: sampleSetSchema(limits),
    /** Samples without it; all other session samples when absent. */
    without: v.optional(sampleSetSchema(limits)),
    /** The sample the vector will be applied to: its input image comes back with the vector. */
    target: v.optional(sampleIndex(limits)),
  });
}

export function denoiseRequestSchema(limits: () => SessionLimits) {
  return fields({
    index: sampleIndex(limits),
    noise: fields({ kind: oneOf(['gaussian', 'masking', 'salt-and-pepper']), amount: finiteNumber(0, MAX_NOISE_AMOUNT) }) satisfies v.GenericSchema<unknown, NoiseSpec>,
    seed: wholeNumber(0, MAX_SEED),
  });
}

export const aeVsPcaRequestSchema = fields({
  /** Largest number of principal components in the curve. */
  maxK: wholeNumber(1, MAX_PCA_COMPONENTS),
  /** How many inputs to show reconstructed side by side. */
  showCount: wholeNumber(1, MAX_AE_VS_PCA_SHOWN),
});

export function lectureSchemas(limits: () => SessionLimits) {
  return {
    'explorer/interpolate': interpolationRequestSchema(limits),
    'explorer/attributeVector': attributeRequestSchema(limits),
    'explorer/average': fields({ set: sampleSetSchema(limits) }),
    'explorer/denoise': denoiseRequestSchema(limits),
    'explorer/prior': fields({ count: wholeNumber(1, MAX_PRIOR_SAMPLES), seed: wholeNumber(0, MAX_SEED) }),
    'explorer/vaeSummary': none,
    'explorer/aeVsPca': aeVsPcaRequestSchema,
  };
}

/** The lecture views' requests' params, as the schemas let them through. */
export type LectureParams = { [M in keyof ReturnType<typeof lectureSchemas>]: v.InferOutput<ReturnType<typeof lectureSchemas>[M]> };
export type SampleSet = v.InferOutput<ReturnType<typeof sampleSetSchema>>;
export type InterpolationEnd = v.InferOutput<ReturnType<typeof interpolationEndSchema>>;
export type InterpolationRequest = v.InferOutput<ReturnType<typeof interpolationRequestSchema>>;
export type InterpolationMode = InterpolationRequest['mode'];
export type AttributeRequest = v.InferOutput<ReturnType<typeof attributeRequestSchema>>;
export type DenoiseRequest = v.InferOutput<ReturnType<typeof denoiseRequestSchema>>;
export type AeVsPcaRequest = v.InferOutput<typeof aeVsPcaRequestSchema>;
