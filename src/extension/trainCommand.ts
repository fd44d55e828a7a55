// "Train Autoencoder…": asks (trainPrompts.ts), then trains in the engine under a cancellable
// progress notification showing epoch, loss and speed. The output channel keeps the whole log; a
// finished run refreshes the tree and offers to open the explorer.

import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { defaultModel, defaultRunName, defaultTrainConfig } from '../shared/defaults';
import { PCA_COMPARISON, pcaComparisonConfigs } from '../shared/pcaComparison';
import { EngineError } from '../shared/errors';
import type { TrainConfig, TrainEvent, TrainResult } from '../shared/protocol';
import { Disposable } from './dispose';
import type { EngineClient } from './engineClient';
import { describeError, type Log } from './log';
import { formatLoss } from './runsTree';
import { readSettings } from './settings';
import { promptTrainChoices } from './trainPrompts';

export const TRAINING_CONTEXT_KEY = 'latentExplorer.training';
/** No event (batch, epoch, download log) for this long means the engine is stuck. */
const STALL_TIMEOUT_MS = 10 * 60_000;
/** The engine's log lines about loading the data (src/engine/trainJob.ts, src/engine/data/imageFolder.ts). */
const LOADING_LOG = /^(Downloading |Decoding |Read \d+ decoded images from the cache)/;

interface Job {
  name: string;
  controller: AbortController;
}

export class Trainer extends Disposable {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly engine: EngineClient,
    private readonly log: Log,
    /** A run folder changed (started, wrote a checkpoint, finished): the tree refreshes. */
    private readonly onDidChangeRun: () => void,
    private readonly openExplorer: (checkpoint: vscode.Uri) => Promise<void>,
  ) {
    super();
    this._register({ dispose: () => this.jobs.forEach((job) => job.controller.abort()) });
  }

  /** The command: ask, then train. */
  async train(): Promise<void> {
    const folder = await pickWorkspaceFolder();
    if (!folder) return;
    const settings = readSettings(folder.uri);
    const choices = await promptTrainChoices(folder, settings.runFolder);
    if (!choices) return;
    const config = defaultTrainConfig(choices.runDir.fsPath, choices.dataset, defaultModel(choices.kind, { latent: choices.latent }), {
      epochs: choices.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      seed: settings.seed,
      backend: settings.backend,
    });
    const result = await this.run(choices.name, config);
    if (!result) return;
    this.onDidChangeRun();
    await this.announce(choices.name, result);
  }

  /**
   * The walkthrough's "Compare with PCA" step: trains the runs of src/shared/pcaComparison.ts one after
   * the other (the recipe is fixed, so the claim it shows is the one a test measures; only the backend
   * comes from the settings), then opens the explorer of the largest code, whose "Autoencoder vs PCA"
   * section plots them all against PCA.
   */
  async trainPcaComparison(): Promise<void> {
    const folder = await pickWorkspaceFolder();
    if (!folder) return;
    const settings = readSettings(folder.uri);
    const parent = vscode.Uri.joinPath(folder.uri, ...settings.runFolder.split('/'));
    const prefix = defaultRunName(PCA_COMPARISON.dataset.source, PCA_COMPARISON.kind);
    const name = (latent: number): string => `${prefix}-k${latent}`;
    let checkpoint: string | undefined;
    for (const { latent, config } of pcaComparisonConfigs((latent) => vscode.Uri.joinPath(parent, name(latent)).fsPath, settings.backend)) {
      const result = await this.run(name(latent), config);
      this.onDidChangeRun();
      if (result?.status !== 'completed' || !result.checkpointDir) return;
      checkpoint = result.checkpointDir;
    }
    if (checkpoint) await this.openExplorer(vscode.Uri.file(checkpoint));
  }

  /** The cancel command: stops every running job (there is one at a time in practice). */
  cancelAll(): void {
    if (this.jobs.size === 0) {
      void vscode.window.showInformationMessage('Latent Explorer is not training anything.');
      return;
    }
    for (const job of this.jobs.values()) {
      this.log.info(`Cancelling ${job.name}`);
      job.controller.abort();
    }
  }

  /** Trains one configuration; undefined when it failed (reported here) or never started. */
  private async run(name: string, config: TrainConfig): Promise<TrainResult | undefined> {
    const jobId = randomUUID();
    const controller = new AbortController();
    this.jobs.set(jobId, { name, controller });
    void this.updateContext();
    this.log.info(`Training ${name} in ${config.runDir}: ${JSON.stringify({ dataset: config.dataset, model: config.model, epochs: config.epochs })}`);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Training ${name}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          return this.trainWithProgress(jobId, config, controller, progress);
        },
      );
    } catch (error) {
      if (EngineError.is(error, 'cancelled')) {
        // The channel rejects at once on cancel; the engine stops after its current batch and
        // keeps every checkpoint already written (the tree shows them when run.json changes).
        this.log.info(`${name}: cancelled; checkpoints written so far are kept`);
        vscode.window.setStatusBarMessage(`Latent Explorer: training ${name} cancelled`, 5000);
        this.onDidChangeRun();
        return undefined;
      }
      this.log.error(`Training ${name} failed`, error);
      this.onDidChangeRun();
      const message = EngineError.is(error, 'diverged')
        ? `Training ${name} stopped: ${describeError(error)}. Try a lower learning rate (latentExplorer.learningRate).`
        : `Training ${name} failed: ${error instanceof Error ? error.message : String(error)}`;
      // Not awaited: the job is over now, whenever the message is dismissed.
      void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => choice === 'Show Log' && this.log.show());
      return undefined;
    } finally {
      this.jobs.delete(jobId);
      void this.updateContext();
    }
  }

  private async trainWithProgress(
    jobId: string,
    config: TrainConfig,
    controller: AbortController,
    progress: vscode.Progress<{ message?: string; increment?: number }>,
  ): Promise<TrainResult> {
    let reported = 0; // percent so far
    let epochsToRun = config.epochs;
    let epochsDone = 0;
    let started = false;
    let stall: ReturnType<typeof setTimeout> | undefined;
    const resetStall = (): void => {
      if (stall) clearTimeout(stall);
      stall = setTimeout(() => {
        this.log.error(`No progress from the engine for ${STALL_TIMEOUT_MS / 60_000} minutes: stopping`);
        controller.abort();
      }, STALL_TIMEOUT_MS);
    };
    const advance = (fraction: number, message: string): void => {
      const percent = Math.min(100, Math.max(reported, fraction * 100));
      progress.report({ message, increment: percent - reported });
      reported = percent;
    };
    const onEvent = (event: TrainEvent): void => {
      resetStall();
      switch (event.type) {
        case 'start':
          started = true;
          epochsToRun = Math.max(1, event.epochs - event.startEpoch);
          this.log.info(
            `${event.backend.summary} Dataset ${event.dataset.name}: ${event.trainSamples} training and ${event.validationSamples} validation samples of ${event.dataset.sampleShape.join('×')}.`,
          );
          for (const warning of event.warnings ?? []) {
            this.log.warn(warning);
            void vscode.window.showWarningMessage(`Latent Explorer: ${warning}`);
          }
          advance(0, `${event.backend.backend} · ${event.trainSamples.toLocaleString()} samples`);
          this.onDidChangeRun();
          return;
        case 'batch':
          advance(
            (epochsDone + event.batch / Math.max(1, event.batches)) / epochsToRun,
            `epoch ${event.epoch}/${config.epochs} · loss ${formatLoss(event.loss)} · ${Math.round(event.samplesPerSecond).toLocaleString()} samples/s`,
          );
          return;
        case 'epoch': {
          epochsDone++;
          const m = event.metrics;
          const line = `epoch ${m.epoch}/${event.epochs} · loss ${formatLoss(m.loss)}${m.valLoss !== null ? ` · val ${formatLoss(m.valLoss)}` : ''} · ${Math.round(m.samplesPerSecond).toLocaleString()} samples/s`;
          this.log.info(`${line} · ${m.seconds.toFixed(1)} s`);
          advance(epochsDone / epochsToRun, line);
          this.onDidChangeRun();
          return;
        }
      }
    };
    const events = this.engine.onTrainEvent((note) => note.jobId === jobId && onEvent(note.event));
    const alive = this.engine.onEngineLog((message) => {
      resetStall();
      // Before training starts, the data loads: downloads and image decoding report their progress as
      // log lines. The engine's log is not per job, so they show only while this is the one job.
      if (!started && this.jobs.size === 1 && LOADING_LOG.test(message)) progress.report({ message });
    });
    resetStall();
    try {
      return await this.engine.request('train/start', { jobId, config }, { signal: controller.signal, timeoutMs: 0 });
    } finally {
      if (stall) clearTimeout(stall);
      events.dispose();
      alive.dispose();
    }
  }

  private async announce(name: string, result: TrainResult): Promise<void> {
    const last = result.history.at(-1);
    const summary = last ? ` (loss ${formatLoss(last.loss)}${last.valLoss !== null ? `, val ${formatLoss(last.valLoss)}` : ''})` : '';
    this.log.info(`${name}: ${result.status} after ${result.epochsCompleted} epochs${summary}; last checkpoint ${result.checkpointDir ?? 'none'}`);
    const open = 'Open Explorer';
    const message =
      result.status === 'completed'
        ? `Trained ${name}: ${result.epochsCompleted} epochs${summary}.`
        : `Training ${name} was cancelled after ${result.epochsCompleted} epochs${result.checkpointDir ? '; its last checkpoint is kept' : ''}.`;
    const choice = await (result.checkpointDir ? vscode.window.showInformationMessage(message, open) : vscode.window.showInformationMessage(message));
    if (choice === open && result.checkpointDir) await this.openExplorer(vscode.Uri.file(result.checkpointDir));
  }

  private updateContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', TRAINING_CONTEXT_KEY, this.jobs.size > 0);
  }
}

async function pickWorkspaceFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0];
  if (folders.length > 1) {
    return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which folder keeps the run', ignoreFocusOut: true });
  }
  const open = 'Open Folder';
  const choice = await vscode.window.showWarningMessage('Latent Explorer keeps runs in a workspace folder: open a folder first.', open);
  if (choice === open) await vscode.commands.executeCommand('vscode.openFolder');
  return undefined;
}
