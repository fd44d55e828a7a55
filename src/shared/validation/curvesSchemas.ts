// The curves view's requests (webview -> host) as schemas: the host checks what the page sends with
// curvesValidators() before acting, and curvesApi.ts infers the params' types from the same schemas.
// Run ids are run folders the host listed; the host also refuses any it did not list.

import * as v from 'valibot';
import type { Validator } from '../rpc';
import { fields, list, none, oneOf, validator, wholeNumber } from './checks';

const MAX_PATH_LENGTH = 4096;
/** Most runs charted at once. */
const MAX_CHARTED_RUNS = 64;
/** A CSV of 64 runs × 50,000 steps, or an SVG of six charts. */
const MAX_SAVE_CHARS = 96 * 1024 * 1024;

const runId = v.pipe(
  v.string(`expected a run folder of 1 to ${MAX_PATH_LENGTH} characters`),
  v.check((s) => s.length > 0 && s.length <= MAX_PATH_LENGTH, `expected a run folder of 1 to ${MAX_PATH_LENGTH} characters`),
);

const curvesSchemas = {
  'curves/ready': none,
  'curves/load': fields({ ids: list(runId, 1, MAX_CHARTED_RUNS, 'runs') }),
  'curves/openCheckpoint': fields({ run: runId, epoch: wholeNumber(0, 10_000_000) }),
  'curves/save': fields({
    format: oneOf(['png', 'svg', 'csv']),
    name: v.pipe(v.string('expected a plain file name of 1 to 100 characters'), v.regex(/^[\w .,()+-]{1,100}$/, 'expected a plain file name of 1 to 100 characters')),
    data: v.pipe(
      v.string(`expected the file as text of at most ${MAX_SAVE_CHARS} characters`),
      v.check((s) => s.length > 0 && s.length <= MAX_SAVE_CHARS, `expected the file as text of at most ${MAX_SAVE_CHARS} characters`),
    ),
  }),
};

export type CurvesParams = { [M in keyof typeof curvesSchemas]: v.InferOutput<(typeof curvesSchemas)[M]> };

export function curvesValidators(): { [M in keyof CurvesParams]: Validator<CurvesParams[M]> } {
  return Object.fromEntries(Object.entries(curvesSchemas).map(([method, schema]) => [method, validator(schema)])) as never;
}
