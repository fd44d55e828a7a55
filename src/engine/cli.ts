// The headless command line: `latent-explorer train | history | encode | project | info | backend | …`.
// It runs the engine in this process (a terminal has no UI thread to protect).

import { EngineError } from '../shared/errors';
import { HISTORY_HELP, historyCommand } from './cli/historyCommand';
import { backendCommand, encodeCommand, infoCommand, INSPECT_HELP, projectCommand } from './cli/inspectCommands';
import { createOutput, reportError } from './cli/output';
import { relaunchWithSourceMaps } from './cli/sourceMaps';
import { STDOUT_CLOSED_EXIT, stdoutClosed, watchStdout, writeOut } from './cli/stdio';
import { TRAIN_HELP, trainCommand } from './cli/trainCommand';
import { DOCTOR_HELP, doctorCommand } from './doctor/doctorCommand';
import { EXPORT_HELP, exportCommand } from './export/exportCommand';
import { IMPORT_HELP, importCommand } from './import/importCommand';

const USAGE = `Latent Explorer: train autoencoders and explore their latent spaces.

Usage:
${TRAIN_HELP.split('\n')[0]}
${HISTORY_HELP.split('\n')[0]}
${INSPECT_HELP.split('\n').slice(0, 4).join('\n')}
${IMPORT_HELP.split('\n')[0]}
${EXPORT_HELP.split('\n')[0]}
${DOCTOR_HELP.split('\n')[0]}

Run \`latent-explorer <command> --help\` for the flags of a command. Every command takes --json (one
JSON object per line) and --debug (an error's stack, mapped to the TypeScript sources).`;

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const debug = argv.includes('--debug') || Boolean(process.env.LATENT_EXPLORER_DEBUG);
// Ctrl-C once (or the reader of stdout going away): stop after the current batch and keep the last
// good checkpoint. Ctrl-C twice: quit now.
const controller = new AbortController();

async function main(): Promise<number> {
  const [command, ...rest] = argv;
  const output = createOutput(json);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    writeOut(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    writeOut(`${command === 'train' ? TRAIN_HELP : command === 'history' ? HISTORY_HELP : command === 'import' ? IMPORT_HELP : command === 'export' ? EXPORT_HELP : command === 'doctor' ? DOCTOR_HELP : INSPECT_HELP}\n`);
    return 0;
  }
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping after this batch (Ctrl-C again to quit at once)…\n');
    controller.abort();
  });
  try {
    switch (command) {
      case 'train':
        return await trainCommand(rest, output, controller.signal);
      case 'history':
        return await historyCommand(rest, output);
      case 'info':
        return await infoCommand(rest, output);
      case 'encode':
        return await encodeCommand(rest, output);
      case 'project':
        return await projectCommand(rest, output, controller.signal);
      case 'backend':
        return await backendCommand(rest, output);
      case 'import':
        return await importCommand(rest, output);
      case 'export':
        return await exportCommand(rest, output, controller.signal);
      case 'doctor':
        return await doctorCommand(rest, output);
      default:
        process.stderr.write(`latent-explorer: unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    return report(error);
  }
}

const EXIT_GRACE_MS = 2000;

// Nothing thrown ever reaches Node's own report, which prints the source line around the throw: in the
// minified bundle that is a page of code. One line instead (a stack with --debug), then exit at once:
// after an uncaught error nothing is known to be sound, and the WASM backend's Emscripten glue adds
// listeners after this one that throw the error again (and would print that page after all).
const crash = (error: unknown) => {
  process.exit(stdoutClosed() && EngineError.is(error, 'cancelled') ? STDOUT_CLOSED_EXIT : report(error));
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
watchStdout(() => controller.abort());

(relaunchWithSourceMaps(argv, debug) ?? main()).then((code) => exitSoon(code), crash);

/** Reports an error, except the cancellation that follows stdout's reader going away: that ends quietly. */
function report(error: unknown): number {
  if (stdoutClosed() && EngineError.is(error, 'cancelled')) return STDOUT_CLOSED_EXIT;
  return reportError(error, json, debug);
}

/**
 * Exits once output has drained, and at the latest after a grace period: a backend's thread pool
 * (WASM pthreads, a native library) may hold the event loop open after the work is done.
 */
function exitSoon(code: number): void {
  if (stdoutClosed()) code = STDOUT_CLOSED_EXIT;
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}
