// Starts the engine in a child process and talks to it over one RpcChannel. A child process rather
// than a worker thread: a native backend that aborts, or a run that exhausts memory, takes down only
// the engine, never the extension host, and the next request starts a fresh one.
// Runs in the extension host and in tests: no `vscode` here.

import { fork, type ChildProcess } from 'node:child_process';
import { EngineError } from '../shared/errors';
import type { EngineNotifications, EngineRequests, HostNotifications } from '../shared/engineApi';
import { RpcChannel, type RpcMessage, type Transport } from '../shared/rpc';

export type EngineChannel = RpcChannel<EngineRequests, Record<string, never>, HostNotifications, EngineNotifications>;

export interface EngineProcessOptions {
  /** The worker script: dist/engine.js when bundled, src/engine/worker.ts under tsx in tests. */
  workerPath: string;
  /** Node flags for the child, e.g. ['--import', 'tsx'] to run the TypeScript sources. */
  execArgv?: string[];
  /** Folders whose node_modules may hold the native TensorFlow packages. */
  nativeModuleDirs?: string[];
  /** Where downloaded datasets are cached. */
  cacheDir?: string;
  /** The WebGPU adapter to use ('high-performance', 'low-power' or part of its name); unset lets the engine choose. */
  gpuAdapter?: string;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

export interface EngineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the user should read: why the engine stopped. */
  message: string;
}

export class EngineProcess {
  readonly channel: EngineChannel;
  private readonly child: ChildProcess;
  private readonly exitListeners = new Set<(exit: EngineExit) => void>();
  private exited: EngineExit | undefined;
  private stderrTail = '';

  constructor(options: EngineProcessOptions) {
    const log = options.log ?? (() => undefined);
    this.child = fork(options.workerPath, [], {
      execArgv: options.execArgv ?? [],
      serialization: 'advanced', // typed arrays cross as typed arrays, not as JSON objects
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        ...options.env,
        ELECTRON_RUN_AS_NODE: '1', // the VS Code host's executable is Electron: run it as plain Node
        TF_CPP_MIN_LOG_LEVEL: '2',
        LATENT_EXPLORER_NATIVE_DIRS: JSON.stringify(options.nativeModuleDirs ?? []),
        ...(options.cacheDir ? { LATENT_EXPLORER_CACHE: options.cacheDir } : {}),
        ...(options.gpuAdapter ? { LATENT_EXPLORER_GPU_ADAPTER: options.gpuAdapter } : {}),
      },
    });
    this.child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
    this.child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      // Enough to keep the first line of a long stack trace, which crashReason looks for.
      this.stderrTail = (this.stderrTail + text).slice(-16_000);
      log(text.trimEnd());
    });
    const child = this.child;
    const transport: Transport = {
      send(message: RpcMessage) {
        if (!child.connected) throw new Error('the engine process is not running');
        child.send(message);
      },
      onMessage(listener) {
        child.on('message', listener);
        return () => child.off('message', listener);
      },
    };
    this.channel = new RpcChannel(transport, log);
    this.child.on('error', (error) => this.onExit(null, null, error.message));
    this.child.on('exit', (code, signal) => this.onExit(code, signal));
  }

  get isRunning(): boolean {
    return this.exited === undefined;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  onDidExit(listener: (exit: EngineExit) => void): () => void {
    if (this.exited) listener(this.exited);
    else this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Asks the engine to stop and kills it if it has not within a moment. */
  dispose(): void {
    if (this.exited) return;
    this.channel.close(new EngineError('cancelled', 'The engine was stopped'));
    this.child.kill('SIGTERM');
    setTimeout(() => this.isRunning && this.child.kill('SIGKILL'), 2000).unref();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, spawnError?: string): void {
    if (this.exited) return;
    const tail = crashReason(this.stderrTail);
    const message = spawnError
      ? `The engine could not start: ${spawnError}`
      : signal
        ? `The engine stopped with signal ${signal}${signal === 'SIGKILL' ? ' (killed, often because memory ran out)' : ''}${tail ? `: ${tail}` : ''}`
        : `The engine exited with code ${code}${tail ? `: ${tail}` : ''}`;
    this.exited = { code, signal, message };
    this.channel.close(new EngineError('engine-crashed', message));
    for (const listener of this.exitListeners) listener(this.exited);
    this.exitListeners.clear();
  }
}

/** Lines that say what went wrong, rather than where: a thrown error, V8's fatal errors, a native abort. */
// `SomeError:` or `Error [CODE]:`, not a bare `Error(`: Node prints the throwing source line first.
const REASON = /\b\w*Error(?: \[\w+\])?:|FATAL ERROR|Fatal error|Uncaught|terminate called|Assertion failed|Check failed|Segmentation fault|Aborted/;

/**
 * What the engine's last words say about its death: the first error-like line of its last 60 lines of stderr (the
 * message of an uncaught error comes before its stack, a fatal V8 error before its trace), or
 * failing that its last three lines. Cut to 400 characters.
 */
export function crashReason(stderr: string): string {
  // Only the last lines: earlier ones are logs of a healthy engine, which may mention errors it handled.
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-60);
  const reason = lines.find((line) => REASON.test(line) && !line.startsWith('at ')) ?? lines.slice(-3).join(' ');
  return reason.length > 400 ? `${reason.slice(0, 400)}…` : reason;
}
