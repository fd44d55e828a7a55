// The basic checks every validator of the explorer's messages is made of: a plain object with known
// fields, whole and finite numbers in range, one of a few strings, bounded ids and arrays of floats.
// Each throws a bad-input EngineError naming the field. A leaf: it imports nothing of the validators.

import { badInput } from '../errors';

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

/** A plain object with only the allowed keys. */
export function record(value: unknown, name: string, allowed: string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw badInput(`${name}: expected an object`);
  }
  const extra = Object.keys(value).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw badInput(`${name}: unexpected field ${JSON.stringify(extra[0])}`);
  return value as Record<string, unknown>;
}

/** No params at all: an empty object (or nothing). */
export function empty(value: unknown): Record<string, never> {
  record(value ?? {}, 'params', []);
  return {};
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
