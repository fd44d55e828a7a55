// Flag parsing for the command line, with errors that name the flag.

import { parseArgs } from 'node:util';
import { EngineError } from '../../shared/errors';

export class UsageError extends EngineError {
  constructor(message: string) {
    super('bad-input', message);
  }
}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export function parseFlags(argv: string[], flags: FlagSpec): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options: { ...flags, json: { type: 'boolean' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function stringFlag(values: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function numberFlag(values: Record<string, string | boolean | undefined>, name: string, options: { integer?: boolean; min?: number } = {}): number | undefined {
  const text = stringFlag(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (options.integer && !Number.isInteger(value)) || (options.min !== undefined && value < options.min)) {
    const what = options.integer ? 'a whole number' : 'a number';
    throw new UsageError(`--${name} takes ${what}${options.min !== undefined ? ` of at least ${options.min}` : ''} (got "${text}")`);
  }
  return value;
}

export function listFlag(values: Record<string, string | boolean | undefined>, name: string): number[] | undefined {
  const text = stringFlag(values, name);
  if (text === undefined) return undefined;
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const numbers = parts.map(Number);
  if (parts.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new UsageError(`--${name} takes whole numbers separated by commas, e.g. 512,128 (got "${text}")`);
  }
  return numbers;
}

export function oneOf<T extends string>(values: Record<string, string | boolean | undefined>, name: string, allowed: readonly T[], fallback: T): T {
  const text = stringFlag(values, name);
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--${name} takes ${allowed.join(', ')} (got "${text}")`);
  return text as T;
}
