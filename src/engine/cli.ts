// The headless command line: `latent-explorer train | encode | project | info | backend`.
// It runs the engine in this process (a terminal has no UI thread to protect).

import { backendCommand, encodeCommand, infoCommand, INSPECT_HELP, projectCommand } from './cli/inspectCommands';
import { createOutput, reportError } from './cli/output';
import { TRAIN_HELP, trainCommand } from './cli/trainCommand';
import { DOCTOR_HELP, doctorCommand } from './doctor/doctorCommand';
import { EXPORT_HELP, exportCommand } from './export/exportCommand';
import { IMPORT_HELP, importCommand } from './import/importCommand';

const USAGE = `Latent Explorer: train autoencoders and explore their latent spaces.

Usage:
${TRAIN_HELP.split('\n')[0]}
${INSPECT_HELP.split('\n').slice(0, 4).join('\n')}
${IMPORT_HELP.split('\n')[0]}
${EXPORT_HELP.split('\n')[0]}
${DOCTOR_HELP.split('\n')[0]}

Run \`latent-explorer <command> --help\` for the flags of a command.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  const output = createOutput(json);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command === 'train' ? TRAIN_HELP : command === 'import' ? IMPORT_HELP : command === 'export' ? EXPORT_HELP : command === 'doctor' ? DOCTOR_HELP : INSPECT_HELP}\n`);
    return 0;
  }
  // Ctrl-C once: stop after the current batch and keep the last good checkpoint. Twice: quit now.
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping after this batch (Ctrl-C again to quit at once)…\n');
    controller.abort();
  });
  try {
    switch (command) {
      case 'train':
        return await trainCommand(rest, output, controller.signal);
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
    return reportError(error, json);
  }
}

const EXIT_GRACE_MS = 2000;

main(process.argv.slice(2)).then(
  (code) => exitSoon(code),
  (error: unknown) => exitSoon(reportError(error, false)),
);

/**
 * Exits once output has drained, and at the latest after a grace period: a backend's thread pool
 * (WASM pthreads, a native library) may hold the event loop open after the work is done.
 */
function exitSoon(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}
