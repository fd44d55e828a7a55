// How the command line speaks: people get short lines, `--json` gets one JSON object per line
// (progress events, then the result); errors go to stderr with a non-zero exit code either way.

import { EngineError } from '../../shared/errors';

export interface Output {
  json: boolean;
  /** A progress event or note: a JSON line, or the human text when there is one. */
  event(object: Record<string, unknown>, human?: string): void;
  /** The command's result: the last JSON line, or the human text. */
  result(object: Record<string, unknown>, human: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    event(object, human) {
      if (json) process.stdout.write(`${toJson(object)}\n`);
      else if (human !== undefined) process.stdout.write(`${human}\n`);
    },
    result(object, human) {
      process.stdout.write(json ? `${toJson({ type: 'result', ...object })}\n` : `${human}\n`);
    },
  };
}

/** Exit codes: 1 bad input or not found, 2 usage, 3 diverged, 130 cancelled, 70 anything else. */
export function reportError(error: unknown, json: boolean): number {
  const engineError = EngineError.from(error);
  if (json) process.stderr.write(`${toJson({ type: 'error', ...engineError.toJSON() })}\n`);
  else process.stderr.write(`latent-explorer: ${engineError.message}\n`);
  if (engineError.code === 'internal' && error instanceof Error && process.env.LATENT_EXPLORER_DEBUG) {
    process.stderr.write(`${error.stack}\n`);
  }
  switch (engineError.code) {
    case 'bad-input':
    case 'not-found':
    case 'unsupported':
    case 'backend-unavailable':
      return 1;
    case 'diverged':
      return 3;
    case 'cancelled':
      return 130;
    default:
      return 70;
  }
}

/** JSON with typed arrays written as plain arrays. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as Float32Array) : v));
}
