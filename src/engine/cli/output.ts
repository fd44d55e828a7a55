// How the command line speaks: people get short lines, `--json` gets one JSON object per line
// (progress events, then the result); errors go to stderr with a non-zero exit code either way.

import { EngineError } from '../../shared/errors';
import { writeOut } from './stdio';

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
      if (json) writeOut(`${toJson(object)}\n`);
      else if (human !== undefined) writeOut(`${human}\n`);
    },
    result(object, human) {
      writeOut(json ? `${toJson({ type: 'result', ...object })}\n` : `${human}\n`);
    },
  };
}

/**
 * Reports an error in one line on stderr (a JSON object with --json) and returns the exit code:
 * 1 bad input or not found, 2 usage, 3 diverged, 130 cancelled, 70 anything else. The stack only
 * with `debug` (--debug or LATENT_EXPLORER_DEBUG=1), never the source text around it.
 */
export function reportError(error: unknown, json: boolean, debug = false): number {
  const engineError = EngineError.from(error);
  // An engine bug says so, and how to see more; other errors are about the user's input or machine.
  const hint = engineError.code === 'internal' && !debug ? ' (an internal error: run again with --debug for the stack)' : '';
  if (json) process.stderr.write(`${toJson({ type: 'error', ...engineError.toJSON() })}\n`);
  else process.stderr.write(`latent-explorer: ${oneLine(engineError.message)}${hint}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
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

/** Messages are sentences; a multi-line one (a wrapped library error) is folded so it stays one line. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
