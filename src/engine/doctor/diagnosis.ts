// From findings (and the engine's backend report) to a verdict and what to do. tfjs-node-gpu 4.x
// loads libtensorflow 2.9, built against CUDA 11.2 and cuDNN 8.1; with other versions TensorFlow
// registers no GPU and quietly runs on the CPU, the most common complaint about it.

import type { BackendReport } from '../../shared/protocol';
import type { DoctorFindings, LibraryFile } from './findings';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'info';

export interface DoctorCheck {
  title: string;
  status: CheckStatus;
  found: string;
  /** What to do about it, when something should be done. */
  action?: string;
}

export interface DoctorReport {
  /** One sentence: what runs, and whether the GPU could. */
  verdict: string;
  gpuInUse: boolean;
  checks: DoctorCheck[];
  backend?: BackendReport;
}

/** Oldest Linux driver that runs CUDA 11.x applications (CUDA minor version compatibility). */
const MIN_DRIVER = [450, 80, 2];
const GPU_PLATFORMS = ['linux-x64', 'win32-x64'];

export function diagnose(findings: DoctorFindings, backend?: BackendReport): DoctorReport {
  const checks: DoctorCheck[] = [];
  const gpuPlatform = GPU_PLATFORMS.includes(findings.platform);
  checks.push(
    gpuPlatform
      ? { title: 'Platform', status: 'ok', found: `${findings.platform}: tfjs-node-gpu has builds for it` }
      : {
          title: 'Platform',
          status: 'info',
          found: `${findings.platform}: tfjs-node-gpu has no build for it (Linux and Windows x64 only)`,
          action: 'Use @tensorflow/tfjs-node (native CPU) or the built-in WebAssembly backend here; train on a Linux machine with an NVIDIA GPU through Remote-SSH for CUDA.',
        },
  );
  checks.push(driverCheck(findings));
  checks.push(
    findings.gpus.length > 0
      ? { title: 'GPUs (nvidia-smi)', status: 'ok', found: findings.gpus.join('; ') }
      : { title: 'GPUs (nvidia-smi)', status: findings.driver ? 'warn' : 'info', found: 'nvidia-smi lists no GPU (or is not installed)' },
  );
  checks.push(libraryCheck('CUDA runtime (libcudart)', findings.cudart, 11, 2, 'CUDA 11.2', findings));
  checks.push(libraryCheck('cuDNN (libcudnn)', findings.cudnn, 8, 1, 'cuDNN 8.1', findings));
  for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const) {
    const pkg = findings.packages[name];
    checks.push(
      pkg
        ? { title: name, status: 'ok', found: `${pkg.version} at ${pkg.path}` }
        : {
            title: name,
            status: 'info',
            found: 'not installed where the engine looks',
            action: `Run "Latent Explorer: Install Native Backend…" and choose ${name}, or set latentExplorer.nativeBackendPath to a folder whose node_modules holds it.`,
          },
    );
  }
  if (backend) checks.push(backendCheck(backend));
  const gpuInUse = backend?.backend === 'tensorflow-gpu' && /GPU/.test(backend.device);
  return { verdict: verdict(checks, backend, gpuInUse), gpuInUse, checks, ...(backend ? { backend } : {}) };
}

function driverCheck(findings: DoctorFindings): DoctorCheck {
  const title = 'NVIDIA driver';
  if (!findings.driver) {
    return {
      title,
      status: 'fail',
      found: 'none found (no /proc/driver/nvidia/version, no nvidia-smi)',
      action: 'Install the NVIDIA driver (450.80.02 or newer) for your GPU; in a container, start it with the GPU passed through (docker run --gpus all).',
    };
  }
  const parts = findings.driver.version.split('.').map(Number);
  const older = compare(parts, MIN_DRIVER) < 0;
  return {
    title,
    status: older ? 'fail' : 'ok',
    found: `${findings.driver.version} (from ${findings.driver.source})`,
    ...(older ? { action: 'CUDA 11.2 needs driver 450.80.02 or newer: update the NVIDIA driver.' } : {}),
  };
}

function libraryCheck(title: string, files: LibraryFile[], major: number, minor: number, wanted: string, findings: DoctorFindings): DoctorCheck {
  const where = findings.platform.startsWith('win32') ? 'PATH' : 'LD_LIBRARY_PATH (or run ldconfig)';
  if (files.length === 0) {
    return { title, status: 'fail', found: 'none visible to the dynamic loader', action: `Install ${wanted} and put its library folder on ${where}.` };
  }
  const listed = [...new Set(files.map((f) => `${f.name} (${f.via}: ${f.path})`))].join('; ');
  const versions = files.map((f) => f.version.split('.').map(Number));
  const sameMajor = versions.filter((v) => v[0] === major);
  if (sameMajor.length === 0) {
    return { title, status: 'fail', found: listed, action: `tfjs-node-gpu needs ${wanted}; found only other versions. Install ${wanted} beside them and put its library folder first on ${where}.` };
  }
  // A soname (libcudart.so.11.0, libcudnn.so.8) does not tell the minor version; a full file name does.
  const known = sameMajor.filter((v) => v.length >= 2 && !(v.length === 2 && v[1] === 0 && title.startsWith('CUDA')));
  const tooOld = known.length > 0 && known.every((v) => v[1] < minor);
  if (tooOld) return { title, status: 'warn', found: listed, action: `This looks older than ${wanted}; TensorFlow may not register the GPU. Install ${wanted}.` };
  return { title, status: 'ok', found: listed };
}

function backendCheck(backend: BackendReport): DoctorCheck {
  const gpu = backend.attempts.find((a) => a.backend === 'tensorflow-gpu');
  const found = `${backend.backend} on ${backend.device}`;
  if (backend.backend === 'tensorflow-gpu') return { title: 'Backend in use', status: 'ok', found };
  if (gpu?.outcome === 'no-device') {
    return {
      title: 'Backend in use',
      status: 'fail',
      found: `${found}: tfjs-node-gpu loaded, but TensorFlow registered no CUDA device`,
      action: 'This is the CUDA/cuDNN mismatch: fix the failing checks above, then reload the window.',
    };
  }
  if (gpu?.outcome === 'failed') {
    return { title: 'Backend in use', status: 'fail', found: `${found}: ${gpu.detail}`, action: 'The error names the library that did not load: install it (see the checks above) and reload the window.' };
  }
  return { title: 'Backend in use', status: 'info', found: backend.summary };
}

function verdict(checks: DoctorCheck[], backend: BackendReport | undefined, gpuInUse: boolean): string {
  if (gpuInUse) return `Training runs on the GPU (${backend!.device}).`;
  const blocking = checks.find((c) => c.status === 'fail');
  const running = backend ? `Training runs on ${backend.backend} (${backend.device}), not on a GPU.` : 'No engine has chosen a backend yet.';
  return blocking ? `${running} First thing to fix: ${blocking.title}: ${blocking.found}.` : running;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
