// Seeded generation of malformed inputs and the check every one of them must pass: the loader ends
// in an EngineError with a known code and a readable message, never another exception, a crash or
// a silent success. The same seed always produces the same inputs, so a failure can be replayed.

import assert from 'node:assert/strict';
import { seededRandom, type RandomFn } from '../../../src/engine/random';
import { EngineError, type EngineErrorCode } from '../../../src/shared/errors';

/** Codes a loader may refuse a malformed file with; anything else (internal above all) is a bug. */
const REFUSAL_CODES: readonly EngineErrorCode[] = ['bad-input', 'unsupported', 'not-found'];

export class Fuzzer {
  readonly random: RandomFn;
  /** Inputs tried, and how many each code refused. */
  readonly tally = { tried: 0, byCode: {} as Record<string, number> };

  constructor(readonly seed: number) {
    this.random = seededRandom(seed);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(options: readonly T[]): T {
    return options[Math.floor(this.random() * options.length)];
  }

  bytes(count: number): Uint8Array {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = Math.floor(this.random() * 256);
    return out;
  }

  /** A strict prefix of `bytes` (possibly empty). */
  truncate(bytes: Uint8Array, max = bytes.length - 1): Uint8Array {
    return bytes.slice(0, this.int(0, Math.min(max, bytes.length - 1)));
  }

  /** `bytes` with 1–16 random bytes after them. */
  extend(bytes: Uint8Array): Uint8Array {
    return concat(bytes, this.bytes(this.int(1, 16)));
  }

  /** Runs one input through `load` and checks it is refused cleanly; `label` names the case in a failure. */
  refuses(label: string, load: () => unknown): void {
    this.tried();
    let outcome: unknown;
    try {
      outcome = load();
    } catch (error) {
      this.check(label, error);
      return;
    }
    assert.ok(!(outcome instanceof Promise), `${label}: use refusesAsync for async loaders`);
    assert.fail(`${label} (seed ${this.seed}, input ${this.tally.tried}): loaded without an error`);
  }

  async refusesAsync(label: string, load: () => Promise<unknown>): Promise<void> {
    this.tried();
    try {
      await load();
    } catch (error) {
      this.check(label, error);
      return;
    }
    assert.fail(`${label} (seed ${this.seed}, input ${this.tally.tried}): loaded without an error`);
  }

  private tried(): void {
    this.tally.tried++;
  }

  private check(label: string, error: unknown): void {
    const where = `${label} (seed ${this.seed}, input ${this.tally.tried})`;
    if (!(error instanceof EngineError)) {
      assert.fail(`${where}: threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} instead of an EngineError`);
    }
    assert.ok(REFUSAL_CODES.includes(error.code), `${where}: refused with code ${error.code}: ${error.message}`);
    // A clear message: a sentence, not a dump, not a stringified object.
    assert.ok(error.message.length >= 15 && error.message.length <= 2000, `${where}: message of ${error.message.length} characters: ${error.message.slice(0, 200)}`);
    assert.doesNotMatch(error.message, /\[object Object\]|\n\s+at /, `${where}: unclear message ${error.message.slice(0, 200)}`);
    this.tally.byCode[error.code] = (this.tally.byCode[error.code] ?? 0) + 1;
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** JSON nested `depth` levels deep: `[[[…]]]` or `{"a":{"a":…}}`. */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Bytes of ArrayBuffer memory allocated while `run` runs (what a typed array of a lying size would take). */
export function arrayBufferGrowth(run: () => void): number {
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  try {
    run();
  } finally {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }
  return peak - before;
}

/** A line for the test log and docs/RELIABILITY.md: inputs tried and refusals by code. */
export function summary(name: string, tally: Fuzzer['tally']): string {
  const codes = Object.entries(tally.byCode)
    .sort()
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return `${name}: ${tally.tried} malformed inputs, all refused (${codes})`;
}
