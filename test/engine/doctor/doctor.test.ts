import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose, type DoctorReport } from '../../../src/engine/doctor/diagnosis';
import { gatherFindings, type DoctorProbes } from '../../../src/engine/doctor/findings';
import { renderDoctorMarkdown } from '../../../src/engine/doctor/renderDoctor';
import type { BackendReport } from '../../../src/shared/protocol';

interface FakeMachine {
  platform?: NodeJS.Platform;
  arch?: string;
  files?: Record<string, string>;
  commands?: Record<string, string>;
  dirs?: Record<string, string[]>;
  env?: Record<string, string>;
  packages?: Record<string, string>;
}

/** Probes answering from plain data: a file, a command (by "cmd args") or a folder not listed does not exist. */
function fake(machine: FakeMachine): DoctorProbes {
  return {
    platform: machine.platform ?? 'linux',
    arch: machine.arch ?? 'x64',
    env: machine.env ?? {},
    readText: async (path) => machine.files?.[path],
    run: async (command, args) => machine.commands?.[[command, ...args].join(' ')],
    listDir: async (path) => machine.dirs?.[path],
    resolvePackage: (name) => (machine.packages?.[name] ? { version: machine.packages[name], path: `/storage/node_modules/${name}` } : undefined),
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
