// The backend in the status bar, once an engine has chosen it: "$(chip) wasm". Clicking it shows
// the report: what runs, on which device, the WebGPU adapters found, and why each faster backend does
// not run. It claims a GPU only when one computes (backendLabel.ts).

import * as vscode from 'vscode';
import type { BackendReport } from '../shared/protocol';
import { adapterLines, backendLabel, backendNeedsAttention, backendTooltip } from './backendLabel';
import { Disposable } from './dispose';
import type { EngineClient } from './engineClient';

export const SHOW_BACKEND_COMMAND = 'latentExplorer.showBackend';

export class BackendStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(engine: EngineClient) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('latentExplorer.backend', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Latent Explorer Backend';
    this.item.command = SHOW_BACKEND_COMMAND;
    this._register(engine.onDidChangeBackend((report) => this.show(report)));
    if (engine.backend) this.show(engine.backend);
  }

  private show(report: BackendReport): void {
    this.item.text = `${backendNeedsAttention(report) ? '$(warning)' : '$(chip)'} ${backendLabel(report)}`;
    this.item.tooltip = backendTooltip(report);
    this.item.show();
  }
}

const OUTCOMES: Record<BackendReport['attempts'][number]['outcome'], string> = {
  used: 'in use',
  'not-installed': 'not installed',
  failed: 'failed',
  'no-device': 'no device',
  'not-tried': 'not tried',
};

/** The "Show Backend Details" modal. */
export async function showBackendDetails(engine: EngineClient): Promise<void> {
  const report = engine.backend ?? (await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Latent Explorer: choosing a backend' },
    () => engine.resolveBackend(),
  ));
  const adapters = adapterLines(report);
  const detail = [
    `Device: ${report.device}`,
    '',
    ...report.attempts.map((a) => `${a.backend}: ${OUTCOMES[a.outcome] ?? a.outcome} — ${a.detail}`),
    '',
    ...(adapters.length > 0 ? ['WebGPU adapters found:', ...adapters, ''] : []),
    'The latentExplorer.backend setting chooses one (auto tries the fastest first); latentExplorer.gpuAdapter picks among GPUs.',
  ].join('\n');
  const settings = 'Open Settings';
  const choice = await vscode.window.showInformationMessage(report.summary, { modal: true, detail }, settings);
  if (choice === settings) await vscode.commands.executeCommand('workbench.action.openSettings', 'latentExplorer.backend');
}
