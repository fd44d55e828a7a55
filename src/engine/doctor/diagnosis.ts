// From findings (and the engine's backend report) to a verdict and what to do. Two GPU paths:
// WebGPU through Dawn, which needs only a GPU driver, checked first; and tfjs-node-gpu 4.x, which
// loads libtensorflow 2.9, built against CUDA 11.2 and cuDNN 8.1: with other versions TensorFlow
// registers no GPU and quietly runs on the CPU, the most common complaint about it. A software WebGPU
// adapter (llvmpipe, SwiftShader, WARP) is the CPU standing in for a GPU and never counts as one.

import { adapterInUse, adapterName, describeAdapter, shorten, softwareName } from '../../shared/gpuAdapterText';
import type { BackendAttempt, BackendReport, GpuAdapterReport } from '../../shared/protocol';
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
  /** Dawn and the WebGPU adapters, for readers of --json: where dawn.node is (or was looked for) and every adapter found. */
  webgpu: { dawn: string | undefined; searched: string[]; adapters: GpuAdapterReport[] };
  backend?: BackendReport;
}

/** Oldest Linux driver that runs CUDA 11.x applications (CUDA minor version compatibility). */
const MIN_DRIVER = [450, 80, 2];
const GPU_PLATFORMS = ['linux-x64', 'win32-x64'];
/** Where the webgpu package has a dawn.node (macOS: one universal binary for both). */
const DAWN_PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];

export function diagnose(findings: DoctorFindings, backend?: BackendReport): DoctorReport {
  // WebGPU first: it reaches any GPU with its driver alone, so its fix is the first to try.
  const checks: DoctorCheck[] = webgpuChecks(findings, backend);
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
  const gpuInUse = backend !== undefined && ((backend.backend === 'tensorflow-gpu' && /GPU/.test(backend.device)) || adapterInUse(backend)?.kind === 'hardware');
  return {
    verdict: verdict(checks, backend, gpuInUse),
    gpuInUse,
    checks,
    webgpu: { dawn: findings.dawn?.path, searched: findings.dawnSearched, adapters: backend?.gpuAdapters ?? [] },
    ...(backend ? { backend } : {}),
  };
}

/** Dawn, each adapter it found (in use, or why not), and what to do when none is a GPU. */
function webgpuChecks(findings: DoctorFindings, backend: BackendReport | undefined): DoctorCheck[] {
  const title = 'Dawn (webgpu)';
  const checks: DoctorCheck[] = [];
  if (findings.dawn) checks.push({ title, status: 'ok', found: findings.dawn.path });
  else if (!DAWN_PLATFORMS.includes(findings.platform)) checks.push({ title, status: 'info', found: `${findings.platform}: Dawn has no build for it (webgpu runs on ${DAWN_PLATFORMS.join(', ')})` });
  else {
    checks.push({
      title,
      status: 'fail',
      found: `no dawn.node where the engine looks (${findings.dawnSearched.join('; ') || 'nowhere'})`,
      action: 'Install Latent Explorer\'s package for this platform (the Marketplace serves it; it carries Dawn), or run "Latent Explorer: Install Native Backend…" and choose webgpu.',
    });
  }
  if (!backend) return checks;
  const attempt = backend.attempts.find((a) => a.backend === 'webgpu');
  const adapters = backend.gpuAdapters ?? [];
  if (adapters.length === 0 && (!attempt || attempt.outcome === 'not-tried')) {
    checks.push({ title: 'WebGPU adapters', status: 'info', found: `not looked for: ${attempt?.detail ?? `${backend.backend} runs`}` });
    return checks;
  }
  // Without Dawn there are no adapters to list; the check above says what to install.
  if (attempt?.outcome === 'not-installed' && adapters.length === 0) return checks;
  const hardware = adapters.filter((a) => a.kind === 'hardware');
  if (hardware.length === 0) {
    checks.push({
      title: 'WebGPU on a GPU',
      status: 'fail',
      found:
        adapters.length > 0
          ? `no hardware adapter: only ${adapters.map(softwareName).join(', ')} (software, the CPU standing in for a GPU)`
          : `Dawn found no adapter${attempt?.detail ? `: ${attempt.detail}` : ''}`,
      action: driverAction(findings.platform),
    });
  } else if (hardware.length > 1) {
    checks.push({
      title: 'Several GPUs',
      status: 'info',
      found: hardware.map(adapterName).join('; '),
      action: 'latentExplorer.gpuAdapter (CLI: --gpu-adapter) picks one: high-performance, low-power, or part of its name.',
    });
  }
  const inUse = adapterInUse(backend);
  for (const adapter of adapters) checks.push(adapterCheck(adapter, adapter === inUse, backend, attempt, findings.platform));
  return checks;
}

function adapterCheck(adapter: GpuAdapterReport, used: boolean, backend: BackendReport, attempt: BackendAttempt | undefined, platform: string): DoctorCheck {
  const title = `WebGPU adapter: ${shorten(adapterName(adapter), 60)}`;
  const described = describeAdapter(adapter);
  if (used) {
    return adapter.kind === 'hardware'
      ? { title, status: 'ok', found: `${described} — in use` }
      : {
          title,
          status: 'warn',
          found: `${described} — in use, but it is software: the CPU draws for it, slower than wasm`,
          action: `${driverAction(platform)} Or set latentExplorer.backend to auto to train on wasm.`,
        };
  }
  if (adapter.kind === 'software') {
    // What gives a GPU adapter instead is the "WebGPU on a GPU" check's action, when there is none.
    return {
      title,
      status: 'info',
      found: `${described} — not used: a software adapter (the CPU standing in for a GPU), which auto never picks`,
      action: 'To train on it anyway (slowly), set latentExplorer.backend to webgpu (CLI: --backend webgpu).',
    };
  }
  const why = backend.backend === 'webgpu' ? 'webgpu runs on another adapter' : attempt && attempt.outcome !== 'used' ? attempt.detail : `${backend.backend} runs`;
  return {
    title,
    status: 'info',
    found: `${described} — not used: ${why}`,
    action: 'To train on it, set latentExplorer.backend to webgpu and latentExplorer.gpuAdapter to part of its name (CLI: --backend webgpu --gpu-adapter <name>).',
  };
}

/** What gives Dawn a GPU adapter on each platform. */
function driverAction(platform: string): string {
  if (platform.startsWith('linux')) {
    return 'Install the GPU\'s Vulkan driver: Mesa\'s mesa-vulkan-drivers for AMD and Intel (Mesa 25 or newer; on Debian 12 from bookworm-backports), NVIDIA\'s driver for NVIDIA cards; in a container, pass the GPU through (--gpus all, or --device /dev/dri).';
  }
  if (platform.startsWith('darwin')) return 'WebGPU runs on Metal, which every Mac since 2016 has; in a virtual machine there may be no GPU to reach.';
  if (platform.startsWith('win32')) return 'Install or update the GPU\'s driver (Direct3D 12); in a virtual machine or a Remote Desktop session only WARP (software) may be there.';
  return 'Install the GPU\'s driver (Vulkan, Metal or Direct3D 12).';
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
  if (backend.backend === 'webgpu') {
    const adapter = adapterInUse(backend);
    if (adapter?.kind === 'hardware') return { title: 'Backend in use', status: 'ok', found };
    return {
      title: 'Backend in use',
      status: 'warn',
      found: `${found}: ${adapter ? `a software adapter (${softwareName(adapter)})` : 'an adapter the engine did not name'}, slower than wasm`,
      action: 'Chosen by the backend setting: install a GPU driver (see the adapters above), or set latentExplorer.backend to auto.',
    };
  }
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
  const software = backend && adapterInUse(backend);
  const running = !backend
    ? 'No engine has chosen a backend yet.'
    : software
      ? `Training runs on webgpu with a software adapter (${softwareName(software)}), not on a GPU.`
      : `Training runs on ${backend.backend} (${backend.device}), not on a GPU.`;
  return blocking ? `${running} First thing to fix: ${blocking.title}: ${blocking.found}.` : running;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
