// The "Latent Explorer" output channel: one log for the host, the engine and every command, so a
// failure shown in a notification always has its context one click away.

import * as vscode from 'vscode';
import { EngineError } from '../shared/errors';

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Latent Explorer', { log: true });
  }

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string, error?: unknown): void {
    this.channel.error(error === undefined ? message : `${message}: ${describeError(error)}`);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

export function describeError(error: unknown): string {
  if (EngineError.is(error)) return `${error.message} [${error.code}]`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Runs a command body; logs and reports a failure once, and never reports a cancellation. */
export async function reportErrors(log: Log, what: string, body: () => Promise<unknown>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (EngineError.is(error, 'cancelled')) {
      log.info(`${what}: cancelled`);
      return;
    }
    log.error(`${what} failed`, error);
    const choice = await vscode.window.showErrorMessage(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, 'Show Log');
    if (choice === 'Show Log') log.show();
  }
}
