// Activation: builds the pieces (engine client, runs tree, status bar, trainer, explorer panels),
// registers every command, and hands all of it to context.subscriptions, so deactivation (or a
// reload) disposes everything, the engine process included.

import * as vscode from 'vscode';
import { EngineClient } from './engineClient';
import { ExplorerPanels, type CheckpointArgument } from './explorerPanels';
import { Log, reportErrors } from './log';
import { deleteRun, openRunFolder, revealRun, type RunArgument } from './runCommands';
import { RUNS_VIEW_ID, RunsTreeProvider, SHOW_CURVES_COMMAND, type RunsNode } from './runsTree';
import { BackendStatusBar, SHOW_BACKEND_COMMAND, showBackendDetails } from './statusBar';
import { Trainer } from './trainCommand';
import { INSTALL_BACKEND_COMMAND, installBackendCommand } from './backendInstallCommand';
import { CheckpointEditorProvider } from './customEditor';
import { CurvesPanels, type CurvesArgument } from './curvesPanel';
import { DOCTOR_COMMAND, runDoctor } from './doctorCommand';
import { EXPORT_CODES_COMMAND, exportCodes } from './exportCodesCommand';
import { IMPORT_MODEL_COMMAND, importModel } from './importModelCommand';

export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  const engine = new EngineClient(context, log);
  const runs = new RunsTreeProvider(log);
  // canSelectMany: Show Training Curves on several selected runs charts them all.
  const tree = vscode.window.createTreeView<RunsNode>(RUNS_VIEW_ID, { treeDataProvider: runs, showCollapseAll: true, canSelectMany: true });
  const treeShown = tree.onDidChangeVisibility(({ visible }) => visible && runs.onDidShowView());
  const panels = new ExplorerPanels(context, engine, runs, log);
  const curves = new CurvesPanels(context, runs, log);
  const trainer = new Trainer(
    engine,
    log,
    () => runs.scheduleRefresh(),
    (checkpoint) => panels.open(checkpoint),
  );

  const command = (id: string, what: string, body: (...args: never[]) => Promise<unknown> | void): vscode.Disposable =>
    vscode.commands.registerCommand(id, (...args: never[]) => reportErrors(log, what, async () => body(...args)));

  context.subscriptions.push(
    log,
    engine,
    runs,
    tree,
    treeShown,
    panels,
    curves,
    trainer,
    new BackendStatusBar(engine),
    command('latentExplorer.train', 'Training', () => trainer.train()),
    command('latentExplorer.trainPcaComparison', 'Training the PCA comparison', () => trainer.trainPcaComparison()),
    command('latentExplorer.cancelTraining', 'Cancelling training', () => trainer.cancelAll()),
    command('latentExplorer.openExplorer', 'Opening the explorer', (argument: CheckpointArgument) => panels.open(argument)),
    command(SHOW_CURVES_COMMAND, 'Showing the training curves', (argument: CurvesArgument, selection: readonly unknown[] | undefined) => curves.show(argument, selection)),
    command('latentExplorer.refresh', 'Refreshing runs', () => runs.refresh()),
    command('latentExplorer.openRunFolder', 'Opening the run folder', (argument: RunArgument) => openRunFolder(argument)),
    command('latentExplorer.revealRun', 'Revealing the run', (argument: RunArgument) => revealRun(argument, log)),
    command('latentExplorer.deleteRun', 'Deleting', (argument: RunArgument) => deleteRun(argument, log, () => runs.refresh())),
    command(SHOW_BACKEND_COMMAND, 'Showing the backend', () => showBackendDetails(engine)),
    // Models from elsewhere, exports, native backends, the doctor, Open With.
    command(IMPORT_MODEL_COMMAND, 'Importing the model', (argument: vscode.Uri | undefined) =>
      importModel(argument instanceof vscode.Uri ? argument : undefined, engine, log, { refreshRuns: () => runs.refresh(), openExplorer: (uri) => panels.open(uri) }),
    ),
    command(EXPORT_CODES_COMMAND, 'Exporting codes', (argument: vscode.Uri | { uri: vscode.Uri } | undefined) => exportCodes(argument, engine, runs, log)),
    command(INSTALL_BACKEND_COMMAND, 'Installing the native backend', () => installBackendCommand(context, log)),
    command(DOCTOR_COMMAND, 'Running the backend doctor', () => runDoctor(context, engine, log)),
    CheckpointEditorProvider.register(panels),
  );
  log.info(`Activated Latent Explorer ${String(context.extension.packageJSON.version ?? '')} in ${vscode.env.appName} ${vscode.version}`);
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
