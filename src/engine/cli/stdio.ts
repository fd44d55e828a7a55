// A closed stdout (`latent-explorer train --json | head -c 600`) is the reader saying "enough", not a
// failure: without a listener Node throws EPIPE as an uncaught error and the CLI dies mid-write. Here
// it stops the command the way Ctrl-C does (training ends after the batch, the last checkpoint kept)
// and everything written after it is dropped, so nothing more is said about it.

/** Exit code after the reader went away: what a shell reports for a process ended by SIGPIPE (128 + 13). */
export const STDOUT_CLOSED_EXIT = 141;

let closed = false;

export function stdoutClosed(): boolean {
  return closed;
}

/** Calls `onClosed` once when the reader of stdout goes away. */
export function watchStdout(onClosed: () => void): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // EPIPE from the write the reader missed; ERR_STREAM_DESTROYED from any write queued after it.
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    if (closed) return;
    closed = true;
    onClosed();
  });
  // A closed stderr leaves nowhere to report anything, including its own failure.
  process.stderr.on('error', () => undefined);
}

/** Writes to stdout unless its reader has gone. */
export function writeOut(text: string): void {
  if (!closed) process.stdout.write(text);
}
