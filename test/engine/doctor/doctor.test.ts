import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose, type DoctorReport } from '../../../src/engine/doctor/diagnosis';
import { gatherFindings, type DoctorProbes } from '../../../src/engine/doctor/findings';
import { renderDoctorMarkdown } from '../../../src/engine/doctor/renderDoctor';
import type { BackendAttempt, BackendReport, GpuAdapterReport } from '../../../src/shared/protocol';
import { LLVMPIPE, RTX } from '../../support/gpuAdapters';

interface FakeMachine {
  platform?: NodeJS.Platform;
  arch?: string;
  files?: Record<string, string>;
  commands?: Record<string, string>;
  dirs?: Record<string, string[]>;
  env?: Record<string, string>;
  packages?: Record<string, string>;
  /** Whether the extension's dist/dawn holds dawn.node, as a platform .vsix has it (default true). */
  dawn?: boolean;
}

const DAWN_FOLDERS = ['/ext/dist/dawn/linux-x64', '/storage/node_modules/webgpu/dist/linux-x64'];

/** Probes answering from plain data: a file, a command (by "cmd args") or a folder not listed does not exist. */
function fake(machine: FakeMachine): DoctorProbes {
  const dirs: Record<string, string[]> = { ...(machine.dawn === false ? {} : { [DAWN_FOLDERS[0]]: ['dawn.node', 'LICENSE.md'] }), ...machine.dirs };
  return {
    platform: machine.platform ?? 'linux',
    arch: machine.arch ?? 'x64',
    env: machine.env ?? {},
    readText: async (path) => machine.files?.[path],
    run: async (command, args) => machine.commands?.[[command, ...args].join(' ')],
    listDir: async (path) => dirs[path],
    resolvePackage: (name) => (machine.packages?.[name] ? { version: machine.packages[name], path: `/storage/node_modules/${name}` } : undefined),
    dawnFolders: DAWN_FOLDERS,
  };
}

const PROC_VERSION = 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n';
const SMI_GPU = 'nvidia-smi --query-gpu=name,memory.total --format=csv,noheader';
const LDCONFIG = (libs: string[]) => `${libs.length} libs found in cache \`/etc/ld.so.cache'\n${libs.map((l) => `\t${l.split('/').pop()} (libc6,x86-64) => ${l}`).join('\n')}\n`;

const report = (backend: BackendReport['backend'], device: string, gpuOutcome: BackendReport['attempts'][number]['outcome'], detail = ''): BackendReport => ({
  backend,
  device,
  attempts: [
    { backend: 'tensorflow-gpu', outcome: gpuOutcome, detail: detail || gpuOutcome },
    { backend, outcome: 'used', detail: device },
  ],
  summary: `Running on ${backend}.`,
});

async function doctor(machine: FakeMachine, backend?: BackendReport): Promise<DoctorReport> {
  return diagnose(await gatherFindings(fake(machine)), backend);
}

const check = (r: DoctorReport, title: string) => {
  const found = r.checks.find((c) => c.title === title);
  assert.ok(found, `no check ${title}`);
  return found;
};

describe('backend doctor', () => {
  it('finds a CUDA 11.2 / cuDNN 8.1 machine ready, and says the GPU runs when the engine uses it', async () => {
    const machine: FakeMachine = {
      files: { '/proc/driver/nvidia/version': PROC_VERSION },
      commands: {
        [SMI_GPU]: 'NVIDIA GeForce RTX 3090, 24576 MiB\n',
        'ldconfig -p': LDCONFIG(['/usr/local/cuda-11.2/lib64/libcudart.so.11.0', '/usr/lib/x86_64-linux-gnu/libcudnn.so.8']),
      },
      env: { LD_LIBRARY_PATH: '/usr/local/cuda-11.2/lib64' },
      dirs: { '/usr/local/cuda-11.2/lib64': ['libcudart.so.11.2.152', 'libcublas.so.11', 'libcudart.so.11.0'] },
      packages: { '@tensorflow/tfjs-node-gpu': '4.22.0' },
    };
    const r = await doctor(machine, report('tensorflow-gpu', 'GPU (CUDA, TensorFlow native)', 'used'));
    assert.equal(check(r, 'NVIDIA driver').found, '535.104.05 (from /proc/driver/nvidia/version)');
    assert.equal(check(r, 'NVIDIA driver').status, 'ok');
    assert.equal(check(r, 'GPUs (nvidia-smi)').found, 'NVIDIA GeForce RTX 3090, 24576 MiB');
    assert.equal(check(r, 'CUDA runtime (libcudart)').status, 'ok');
    assert.match(check(r, 'CUDA runtime (libcudart)').found, /libcudart\.so\.11\.2\.152 \(LD_LIBRARY_PATH/);
    assert.equal(check(r, 'cuDNN (libcudnn)').status, 'ok');
    assert.equal(check(r, '@tensorflow/tfjs-node-gpu').found, '4.22.0 at /storage/node_modules/@tensorflow/tfjs-node-gpu');
    assert.equal(r.gpuInUse, true);
    assert.equal(r.verdict, 'Training runs on the GPU (GPU (CUDA, TensorFlow native)).');
    assert.ok(!renderDoctorMarkdown(r).includes('## What to do'));
  });

  it('explains the silent CPU fallback: CUDA 12 and cuDNN 9 instead of 11.2 and 8.1', async () => {
    const machine: FakeMachine = {
      commands: {
        'nvidia-smi --query-gpu=driver_version --format=csv,noheader': '550.54.15\n',
        [SMI_GPU]: 'Tesla T4, 15360 MiB\n',
        'ldconfig -p': LDCONFIG(['/usr/local/cuda-12.4/lib64/libcudart.so.12', '/usr/lib/x86_64-linux-gnu/libcudnn.so.9']),
      },
      packages: { '@tensorflow/tfjs-node-gpu': '4.22.0' },
    };
    const backend = report('tensorflow', 'CPU (TensorFlow native)', 'no-device', 'loaded but TensorFlow registered no CUDA device');
    const r = await doctor(machine, backend);
    assert.equal(check(r, 'NVIDIA driver').found, '550.54.15 (from nvidia-smi)');
    const cuda = check(r, 'CUDA runtime (libcudart)');
    assert.equal(cuda.status, 'fail');
    assert.match(cuda.action ?? '', /needs CUDA 11\.2; found only other versions/);
    assert.equal(check(r, 'cuDNN (libcudnn)').status, 'fail');
    const inUse = check(r, 'Backend in use');
    assert.equal(inUse.status, 'fail');
    assert.match(inUse.found, /registered no CUDA device/);
    assert.equal(r.gpuInUse, false);
    assert.match(r.verdict, /^Training runs on tensorflow \(CPU \(TensorFlow native\)\), not on a GPU\. First thing to fix: CUDA runtime/);
    const markdown = renderDoctorMarkdown(r, new Date('2026-01-01T00:00:00Z'));
    assert.match(markdown, /## What to do\n\n1\. \*\*CUDA runtime \(libcudart\)\*\*/);
    assert.match(markdown, /\| ✗ fix \| cuDNN \(libcudnn\) \| libcudnn\.so\.9 \(ldconfig: \/usr\/lib\/x86_64-linux-gnu\/libcudnn\.so\.9\) \|/);
    assert.match(markdown, /- `tensorflow-gpu`: no CUDA device: loaded but/);
  });

  it('with no NVIDIA driver at all, says so first and points at the installs', async () => {
    const r = await doctor({}, report('wasm', 'CPU (WebAssembly SIMD, one thread)', 'not-installed'));
    assert.equal(check(r, 'NVIDIA driver').status, 'fail');
    assert.equal(check(r, 'CUDA runtime (libcudart)').found, 'none visible to the dynamic loader');
    assert.match(check(r, '@tensorflow/tfjs-node-gpu').action ?? '', /Install Native Backend/);
    assert.match(r.verdict, /First thing to fix: NVIDIA driver: none found/);
  });

  it('flags a driver too old for CUDA 11 and a CUDA 11.0 runtime as too old', async () => {
    const r = await doctor({
      files: { '/proc/driver/nvidia/version': 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  440.33.01  Wed Nov 13 00:00:56 UTC 2019\n' },
      env: { LD_LIBRARY_PATH: '/opt/cuda/lib64:' },
      dirs: { '/opt/cuda/lib64': ['libcudart.so.11.0.221', 'libcudnn.so.8.0.5'] },
    });
    assert.equal(check(r, 'NVIDIA driver').status, 'fail');
    assert.equal(check(r, 'CUDA runtime (libcudart)').status, 'warn');
    assert.equal(check(r, 'cuDNN (libcudnn)').status, 'warn');
    assert.equal(r.backend, undefined);
    assert.match(r.verdict, /No engine has chosen a backend yet/);
  });

  it('on macOS says no GPU build exists rather than asking for CUDA', async () => {
    const r = await doctor({ platform: 'darwin', arch: 'arm64' }, report('wasm', 'CPU (WebAssembly SIMD)', 'not-installed'));
    assert.equal(check(r, 'Platform').status, 'info');
    assert.match(check(r, 'Platform').found, /no build for it/);
  });

  it('reads cudart64_110.dll and cudnn64_8.dll from PATH on Windows', async () => {
    const r = await doctor({
      platform: 'win32',
      env: { PATH: 'C:\\CUDA\\v11.2\\bin;C:\\Windows' },
      dirs: { 'C:\\CUDA\\v11.2\\bin': ['cudart64_110.dll', 'cudnn64_8.dll', 'cublas64_11.dll'] },
      commands: { 'nvidia-smi --query-gpu=driver_version --format=csv,noheader': '462.31\n' },
    });
    assert.equal(check(r, 'CUDA runtime (libcudart)').status, 'ok');
    assert.equal(check(r, 'cuDNN (libcudnn)').status, 'ok');
    assert.equal(check(r, 'NVIDIA driver').status, 'ok');
  });
});

/** An engine report after webgpu was tried: `adapters` as Dawn listed them (the one in use first when webgpu runs). */
function webgpuReport(backend: BackendReport['backend'], device: string, webgpu: BackendAttempt | undefined, adapters?: GpuAdapterReport[]): BackendReport {
  const attempts: BackendAttempt[] = [{ backend: 'tensorflow-gpu', outcome: 'not-installed', detail: 'not installed' }];
  if (webgpu) attempts.push(webgpu);
  if (backend !== 'webgpu') attempts.push({ backend, outcome: 'used', detail: device });
  return { backend, device, attempts, summary: `Running on ${backend}.`, ...(adapters ? { gpuAdapters: adapters } : {}) };
}

const WASM = 'CPU (WebAssembly SIMD, 2 threads)';

describe('backend doctor: WebGPU', () => {
  it('a machine with only a software adapter: lists it, says why auto does not use it, and what to install', async () => {
    const backend = webgpuReport('wasm', WASM, { backend: 'webgpu', outcome: 'no-device', detail: 'only a software adapter (llvmpipe) — slower than wasm' }, [LLVMPIPE]);
    const r = await doctor({}, backend);
    assert.equal(check(r, 'Dawn (webgpu)').status, 'ok');
    assert.equal(check(r, 'Dawn (webgpu)').found, '/ext/dist/dawn/linux-x64/dawn.node');
    const adapter = check(r, 'WebGPU adapter: llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1');
    assert.equal(adapter.status, 'info');
    assert.match(adapter.found, /^llvmpipe: .*: software, mesa, vulkan; max buffer 4\.0 GB, max storage binding 128 MB — not used: a software adapter .*auto never picks/);
    assert.match(adapter.action ?? '', /--backend webgpu/);
    const gpu = check(r, 'WebGPU on a GPU');
    assert.equal(gpu.status, 'fail');
    assert.equal(gpu.found, 'no hardware adapter: only llvmpipe (software, the CPU standing in for a GPU)');
    assert.match(gpu.action ?? '', /mesa-vulkan-drivers/);
    assert.equal(r.gpuInUse, false);
    assert.match(r.verdict, /^Training runs on wasm \(CPU \(WebAssembly SIMD, 2 threads\)\), not on a GPU\. First thing to fix: WebGPU on a GPU: no hardware adapter/);
    assert.deepEqual(r.webgpu.adapters, [LLVMPIPE]);
    assert.equal(r.webgpu.dawn, '/ext/dist/dawn/linux-x64/dawn.node');
    const markdown = renderDoctorMarkdown(r);
    assert.match(markdown, /## WebGPU adapters\n\n\| adapter \| kind .*\n.*\n\| llvmpipe: Mesa 25\.0\.7-2~bpo12\+1 \(LLVM 15\.0\.6\) 0\.0\.1 \| software \| mesa \| software \| vulkan \| 4\.0 GB \| 128 MB \| high-performance, low-power \| no \|/);
    assert.match(markdown, /- `webgpu`: no GPU adapter: only a software adapter/);
    // The driver to install comes first, then how to use the software adapter anyway.
    assert.match(markdown, /## What to do\n\n1\. \*\*WebGPU on a GPU\*\*: Install the GPU's Vulkan driver.*\n2\. \*\*WebGPU adapter: llvmpipe.*--backend webgpu/);
  });

  it('webgpu named on a software adapter: runs, but never called a GPU', async () => {
    const r = await doctor({}, webgpuReport('webgpu', 'llvmpipe (software)', { backend: 'webgpu', outcome: 'used', detail: 'llvmpipe (software adapter)' }, [LLVMPIPE]));
    assert.equal(r.gpuInUse, false);
    assert.match(r.verdict, /^Training runs on webgpu with a software adapter \(llvmpipe\), not on a GPU\./);
    assert.equal(check(r, 'Backend in use').status, 'warn');
    assert.match(check(r, 'Backend in use').found, /software adapter \(llvmpipe\), slower than wasm/);
    assert.match(check(r, 'WebGPU adapter: llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1').found, /— in use, but it is software/);
    assert.match(renderDoctorMarkdown(r), /\| software \| mesa \| .* \| yes \|/);
  });

  it('a hardware and a software adapter: the GPU runs, the software one is listed as not used', async () => {
    const r = await doctor({}, webgpuReport('webgpu', 'GPU: NVIDIA GeForce RTX 4070 (vulkan)', { backend: 'webgpu', outcome: 'used', detail: 'NVIDIA GeForce RTX 4070' }, [RTX, LLVMPIPE]));
    assert.equal(r.gpuInUse, true);
    assert.equal(r.verdict, 'Training runs on the GPU (GPU: NVIDIA GeForce RTX 4070 (vulkan)).');
    const rtx = check(r, 'WebGPU adapter: NVIDIA GeForce RTX 4070');
    assert.equal(rtx.status, 'ok');
    assert.equal(rtx.found, 'NVIDIA GeForce RTX 4070: hardware, nvidia, lovelace, vulkan; max buffer 4 GB, max storage binding 2 GB — in use');
    assert.match(check(r, 'WebGPU adapter: llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1').found, /not used: a software adapter/);
    assert.equal(r.checks.some((c) => c.title === 'WebGPU on a GPU'), false);
    assert.equal(check(r, 'Backend in use').status, 'ok');
    // The CUDA checks fail on this machine, but a GPU runs: nothing to do.
    assert.equal(check(r, 'NVIDIA driver').status, 'fail');
    assert.ok(!renderDoctorMarkdown(r).includes('## What to do'));
  });

  it('two GPUs: names the unused one and how to select it', async () => {
    const igpu: GpuAdapterReport = { ...RTX, vendor: 'intel', architecture: 'xe', description: 'Intel(R) UHD Graphics 770', powerPreferences: ['low-power'] };
    const r = await doctor({}, webgpuReport('webgpu', 'GPU: NVIDIA GeForce RTX 4070', { backend: 'webgpu', outcome: 'used', detail: '' }, [RTX, igpu]));
    const unused = check(r, 'WebGPU adapter: Intel(R) UHD Graphics 770');
    assert.equal(unused.status, 'info');
    assert.match(unused.found, /not used: webgpu runs on another adapter/);
    assert.match(unused.action ?? '', /latentExplorer\.gpuAdapter/);
    assert.match(check(r, 'Several GPUs').action ?? '', /--gpu-adapter/);
    assert.match(renderDoctorMarkdown(r), /\| Intel\(R\) UHD Graphics 770 \| hardware \| intel \| xe \| vulkan \| 4 GB \| 2 GB \| low-power \| no \|/);
  });

  it('Dawn loaded but found no adapter at all: says so and names the driver to install, per platform', async () => {
    const none = { backend: 'webgpu' as const, outcome: 'no-device' as const, detail: 'requestAdapter() returned no adapter' };
    const linux = await doctor({}, webgpuReport('wasm', WASM, none, []));
    assert.equal(check(linux, 'WebGPU on a GPU').found, 'Dawn found no adapter: requestAdapter() returned no adapter');
    assert.match(check(linux, 'WebGPU on a GPU').action ?? '', /Vulkan driver: Mesa's mesa-vulkan-drivers/);
    assert.deepEqual(linux.webgpu.adapters, []);
    assert.ok(!renderDoctorMarkdown(linux).includes('## WebGPU adapters'));
    const mac = await doctor({ platform: 'darwin', arch: 'arm64', dawn: false, dirs: { '/ext/dist/dawn/linux-x64': ['dawn.node'] } }, webgpuReport('wasm', WASM, none, []));
    assert.match(check(mac, 'WebGPU on a GPU').action ?? '', /Metal/);
    const windows = await doctor({ platform: 'win32' }, webgpuReport('wasm', WASM, none, []));
    assert.match(check(windows, 'WebGPU on a GPU').action ?? '', /Direct3D 12/);
  });

  it('dawn.node missing: says where it looked and how to get it, before the CUDA checks', async () => {
    const r = await doctor({ dawn: false }, webgpuReport('wasm', WASM, { backend: 'webgpu', outcome: 'not-installed', detail: 'dawn.node not found' }));
    const dawn = check(r, 'Dawn (webgpu)');
    assert.equal(dawn.status, 'fail');
    assert.equal(dawn.found, `no dawn.node where the engine looks (${DAWN_FOLDERS.join('; ')})`);
    assert.match(dawn.action ?? '', /Install Native Backend…" and choose webgpu/);
    assert.equal(r.checks.some((c) => c.title.startsWith('WebGPU')), false, 'no adapters to list without Dawn');
    assert.match(r.verdict, /First thing to fix: Dawn \(webgpu\): no dawn\.node/);
    assert.equal(r.webgpu.dawn, undefined);
    assert.deepEqual(r.webgpu.searched, DAWN_FOLDERS);
    const unsupported = await doctor({ dawn: false, arch: 'ppc64' }, webgpuReport('wasm', WASM, { backend: 'webgpu', outcome: 'not-installed', detail: 'dawn.node not found' }));
    assert.equal(check(unsupported, 'Dawn (webgpu)').status, 'info');
    assert.match(check(unsupported, 'Dawn (webgpu)').found, /linux-ppc64: Dawn has no build for it/);
  });

  it('webgpu not tried (a faster backend ran first): says so instead of listing nothing', async () => {
    const r = await doctor({}, report('tensorflow-gpu', 'GPU (CUDA, TensorFlow native)', 'used'));
    assert.equal(check(r, 'WebGPU adapters').status, 'info');
    assert.match(check(r, 'WebGPU adapters').found, /^not looked for: tensorflow-gpu runs/);
  });
});
