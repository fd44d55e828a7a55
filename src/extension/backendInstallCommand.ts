// "Latent Explorer: Install Native Backend…": installs webgpu (Dawn) or @tensorflow/tfjs-node(-gpu)
// into the extension's global storage with npm (backendInstall.ts does the work), with a cancellable
// progress notification and npm's output in the log; or points the latentExplorer.nativeBackendPath
// setting at an installation that already exists. The platform .vsix files carry Dawn already; the
// universal one gets it here.

import * as vscode from 'vscode';
import { findNativeBackend, installNativeBackend, type NativePackage } from './backendInstall';
import { DOCTOR_COMMAND } from './doctorCommand';
import type { Log } from './log';
import { SECTION } from './settings';

export const INSTALL_BACKEND_COMMAND = 'latentExplorer.installNativeBackend';

interface Choice extends vscode.QuickPickItem {
  packageName?: NativePackage;
}

export async function installBackendCommand(context: vscode.ExtensionContext, log: Log): Promise<void> {
  const dir = context.globalStorageUri.fsPath;
  const installed = (name: NativePackage) => {
    const found = findNativeBackend(name, [dir]);
    return found ? ` · installed (${found.version})` : '';
  };
  const choice = await vscode.window.showQuickPick<Choice>(
    [
      {
        packageName: 'webgpu',
        label: '$(rocket) WebGPU on any GPU (Dawn)',
        description: `webgpu${installed('webgpu')}`,
        detail: 'NVIDIA, AMD, Intel or Apple GPUs through Vulkan, Metal or Direct3D 12: needs only a GPU driver. Downloads Dawn for every platform (~60 MB). Then set latentExplorer.backend to webgpu, or leave auto.',
      },
      {
        packageName: '@tensorflow/tfjs-node-gpu',
        label: '$(zap) TensorFlow on an NVIDIA GPU',
        description: `@tensorflow/tfjs-node-gpu${installed('@tensorflow/tfjs-node-gpu')}`,
        detail: 'Linux or Windows x64 with an NVIDIA driver, CUDA 11.2 and cuDNN 8.1. Downloads libtensorflow (~400 MB).',
      },
      {
        packageName: '@tensorflow/tfjs-node',
        label: '$(chip) TensorFlow on the CPU',
        description: `@tensorflow/tfjs-node${installed('@tensorflow/tfjs-node')}`,
        detail: 'Native TensorFlow, usually faster than WebAssembly. Downloads libtensorflow (~100 MB).',
      },
      { label: '$(folder-opened) Use an existing installation…', detail: 'A folder whose node_modules holds webgpu or @tensorflow/tfjs-node(-gpu) (sets latentExplorer.nativeBackendPath)' },
    ],
    { title: 'Latent Explorer: Install Native Backend', placeHolder: 'Where training should run (the install happens where the workspace is, also when remote)' },
  );
  if (!choice) return;
  if (!choice.packageName) {
    const picked = await vscode.window.showOpenDialog({ title: 'The folder holding node_modules/webgpu or node_modules/@tensorflow/tfjs-node(-gpu)', canSelectFiles: false, canSelectFolders: true });
    if (!picked?.[0]) return;
    await vscode.workspace.getConfiguration(SECTION).update('nativeBackendPath', picked[0].fsPath, vscode.ConfigurationTarget.Global);
    log.info(`latentExplorer.nativeBackendPath set to ${picked[0].fsPath}; the engine restarts with it when no training runs`);
    return;
  }
  const packageName = choice.packageName;
  log.show();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Installing ${packageName}`, cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return installNativeBackend({
        dir,
        packageName,
        signal: controller.signal,
        onLine: (line) => {
          log.info(`[npm] ${line}`);
          progress.report({ message: line.length > 90 ? `${line.slice(0, 87)}…` : line });
        },
      });
    },
  );
  log.info(`Installed ${packageName} ${result.version} in ${result.dir}`);
  const reload = 'Reload Window';
  const doctor = 'Run Backend Doctor';
  const next = await vscode.window.showInformationMessage(
    `Installed ${packageName} ${result.version}. Latent Explorer loads it when its engine next starts (reload the window now, or it happens at the next VS Code start).`,
    reload,
    doctor,
  );
  if (next === reload) await vscode.commands.executeCommand('workbench.action.reloadWindow');
  if (next === doctor) await vscode.commands.executeCommand(DOCTOR_COMMAND);
}
