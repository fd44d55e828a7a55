// Cancellation and cooperative yielding for the long projection loops, which run on the engine's
// event loop: a cancel message can only arrive while they yield.

import { EngineError } from '../../shared/errors';

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('cancelled', 'The projection was cancelled');
}

/** Lets pending I/O and timers run (setImmediate: after I/O callbacks, without a timer's 1 ms floor). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
