// The building blocks of the explorer's message schemas (valibot): a plain object with known fields
// only, whole and finite numbers in range, one of a few strings, bounded ids and arrays of finite
// floats, each failing with a message that names what was expected and what came. `validator()`
// turns a schema into a function that returns the parsed params or throws a bad-input EngineError
// naming the field. A leaf: it imports nothing of the schemas.

import * as v from 'valibot';
import { badInput } from '../errors';

const MAX_ID_LENGTH = 100;

/** What the schemas need to know about the open checkpoint. */
export interface SessionLimits {
  /** Code size; undefined until the session is open. */
  latent?: number;
  /** Samples in the whole dataset (indices must fall below it). */
  datasetCount?: number;
  /** Samples in the open session (session indices must fall below it). */
  count?: number;
}

/** A bound known only once the session is open. */
export type Bound = number | (() => number);
const read = (bound: Bound): number => (typeof bound === 'number' ? bound : bound());

export function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return Array.isArray(value) ? 'an array' : typeof value;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);

/** An object with exactly these fields (optional ones may be missing), as a variant's option. */
export function strict<const E extends v.ObjectEntries>(entries: E) {
  return v.strictObject(entries, (issue) =>
    issue.expected === 'never' ? `unexpected field ${issue.received}` : issue.expected === 'Object' ? 'expected an object' : `missing field ${issue.expected}`,
  );
}

/**
 * A plain object (not an array, not a typed array) with exactly these fields; anything else is
 * refused, an unknown field (a smuggled `path`, an own `__proto__`) before anything else is looked at.
 */
export function fields<const E extends v.ObjectEntries>(entries: E) {
  const unknownKey = (value: Record<string, unknown>): string | undefined => Object.keys(value).find((key) => !Object.hasOwn(entries, key));
  return v.pipe(
    v.custom<Record<string, unknown>>(isPlainObject, 'expected an object'),
    v.check(
      (value) => unknownKey(value) === undefined,
      (issue) => `unexpected field ${JSON.stringify(unknownKey(issue.input as Record<string, unknown>))}`,
    ),
    strict(entries),
  );
}

/** No params: an empty object, or nothing at all. */
export const none = v.pipe(
  v.nullish(fields({}), {}),
  v.transform((): Record<string, never> => ({})),
);

export function wholeNumber(min: Bound, max: Bound) {
  const message = (issue: v.BaseIssue<unknown>) => `expected a whole number from ${read(min)} to ${read(max)}, got ${describe(issue.input)}`;
  return v.pipe(
    v.number(message),
    v.check((n) => Number.isInteger(n) && n >= read(min) && n <= read(max), message),
  );
}

export function finiteNumber(min: number, max: number) {
  const message = (issue: v.BaseIssue<unknown>) => `expected a number from ${min} to ${max}, got ${describe(issue.input)}`;
  return v.pipe(v.number(message), v.check((n) => Number.isFinite(n) && n >= min && n <= max, message));
}

export function oneOf<const T extends readonly [string, ...string[]]>(options: T) {
  return v.picklist(options, (issue) => `expected one of ${options.join(', ')}, got ${describe(issue.input)}`);
}

export const id = v.pipe(
  v.string(`expected a string of 1 to ${MAX_ID_LENGTH} characters`),
  v.check((s) => s.length > 0 && s.length <= MAX_ID_LENGTH, `expected a string of 1 to ${MAX_ID_LENGTH} characters`),
);

/** An array of at most `max` items (and at least `min`), each checked by `item`. */
export function list<T extends v.GenericSchema>(item: T, min: number, max: Bound, what = 'items') {
  const message = (issue: v.BaseIssue<unknown>) =>
    `expected an array of ${min} to ${read(max)} ${what}, got ${Array.isArray(issue.input) ? `${issue.input.length}` : describe(issue.input)}`;
  return v.pipe(
    v.custom<unknown[]>((value) => Array.isArray(value) && value.length >= min && value.length <= read(max), message),
    v.array(item),
  );
}

/** A Float32Array (or a plain number array, converted) of finite values; its length is checked by the caller. */
export const floats = v.pipe(
  v.custom<Float32Array | number[]>(
    (value) => value instanceof Float32Array || (Array.isArray(value) && value.every((x) => typeof x === 'number')),
    'expected a Float32Array of numbers',
  ),
  v.transform((value) => (value instanceof Float32Array ? value : Float32Array.from(value))),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const array = dataset.value;
    for (let i = 0; i < array.length; i++) {
      if (!Number.isFinite(array[i])) {
        addIssue({ message: `expected a finite number at [${i}], got ${array[i]}` });
        return;
      }
    }
  }),
);

/** The number the session must be open for (code size, sample count): a bad input until it is. */
export function whenOpen(value: number | undefined, what: string): number {
  if (value === undefined) throw badInput(`${what}: the checkpoint is not open yet`);
  return value;
}

function pathOf(issue: v.BaseIssue<unknown>): string {
  let path = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    path += typeof key === 'number' ? `[${key}]` : path ? `.${String(key)}` : String(key);
  }
  return path;
}

/** A validator from a schema: the parsed (trusted) params, or a bad-input error naming the field. */
export function validator<S extends v.GenericSchema>(schema: S): (params: unknown) => v.InferOutput<S> {
  return (params) => {
    const result = v.safeParse(schema, params, { abortEarly: true });
    if (result.success) return result.output;
    const issue = result.issues[0];
    // A missing or unknown field's path names the field itself: report it on its parent ("params: missing field …").
    const onParent = issue.type === 'strict_object' && issue.expected !== 'Object';
    const path = onParent ? pathOf({ ...issue, path: issue.path?.slice(0, -1) }) : pathOf(issue);
    throw badInput(`${path || 'params'}: ${issue.message}`);
  };
}
