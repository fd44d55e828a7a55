// What the backend doctor looks at, gathered through a small set of probes (files, commands,
// environment, package lookup, the folders where the engine looks for Dawn) so the logic runs on fake inputs in tests and on the real system
// (systemProbes.ts) in the extension host or the CLI, wherever the workspace is.

import { join } from 'node:path';

export interface DoctorProbes {
  platform: NodeJS.Platform;
  arch: string;
  env: Record<string, string | undefined>;
  /** A text file's content, or undefined when it cannot be read. */
  readText(path: string): Promise<string | undefined>;
  /** A command's stdout when it exits 0, or undefined (missing, failing, timed out). */
  run(command: string, args: string[]): Promise<string | undefined>;
  /** File names in a folder, or undefined when it cannot be listed. */
  listDir(path: string): Promise<string[] | undefined>;
  /** Where a package resolves from among these folders (and the engine's own), with its version. */
  resolvePackage(name: string): { version: string; path: string } | undefined;
  /** The folders where the engine looks for Dawn's dawn.node, in the order it looks. */
  dawnFolders: string[];
}

export interface LibraryFile {
  /** e.g. libcudart.so.11.0 */
  name: string;
  path: string;
  /** The version in the file name: "11.0", "11.2.152", "8", "8.1.0". */
  version: string;
  /** Found through `ldconfig -p` or in a LD_LIBRARY_PATH folder. */
  via: 'ldconfig' | 'LD_LIBRARY_PATH' | 'PATH';
}

export interface DoctorFindings {
  platform: string;
  driver: { version: string; source: string } | undefined;
  gpus: string[];
  cudart: LibraryFile[];
  cudnn: LibraryFile[];
  packages: Record<'@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node', { version: string; path: string } | undefined>;
  ldLibraryPath: string[];
  /** Dawn's binary (the webgpu backend) where the engine would load it, or undefined when in none of `dawnSearched`. */
  dawn: { path: string } | undefined;
  dawnSearched: string[];
}

/** Reads everything the diagnosis needs. Nothing here throws: a probe that fails is a finding. */
export async function gatherFindings(probes: DoctorProbes): Promise<DoctorFindings> {
  const ldLibraryPath = (probes.env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d !== '');
  const libraries = await findLibraries(probes, ldLibraryPath);
  const [driver, gpus, dawn] = await Promise.all([findDriver(probes), findGpus(probes), findDawn(probes)]);
  return {
    platform: `${probes.platform}-${probes.arch}`,
    driver,
    gpus,
    cudart: libraries.filter((l) => l.name.startsWith('libcudart') || /^cudart64_/.test(l.name)),
    cudnn: libraries.filter((l) => l.name.startsWith('libcudnn.') || /^cudnn64_/.test(l.name)),
    packages: {
      '@tensorflow/tfjs-node-gpu': probes.resolvePackage('@tensorflow/tfjs-node-gpu'),
      '@tensorflow/tfjs-node': probes.resolvePackage('@tensorflow/tfjs-node'),
    },
    ldLibraryPath,
    dawn,
    dawnSearched: probes.dawnFolders,
  };
}

async function findDawn(probes: DoctorProbes): Promise<DoctorFindings['dawn']> {
  for (const folder of probes.dawnFolders) {
    if ((await probes.listDir(folder))?.includes('dawn.node')) return { path: join(folder, 'dawn.node') };
  }
  return undefined;
}

async function findDriver(probes: DoctorProbes): Promise<DoctorFindings['driver']> {
  if (probes.platform === 'linux') {
    // "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023"
    const proc = await probes.readText('/proc/driver/nvidia/version');
    const match = proc && /Kernel Module\s+(?:for\s+\S+\s+)?(\d+(?:\.\d+)+)/.exec(proc);
    if (match) return { version: match[1], source: '/proc/driver/nvidia/version' };
  }
  const smi = await probes.run('nvidia-smi', ['--query-gpu=driver_version', '--format=csv,noheader']);
  const version = smi?.split('\n')[0]?.trim();
  return version && /^\d+(\.\d+)+$/.test(version) ? { version, source: 'nvidia-smi' } : undefined;
}

async function findGpus(probes: DoctorProbes): Promise<string[]> {
  const smi = await probes.run('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader']);
  return (smi ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

const LIBRARY = /^(libcudart\.so|libcudnn\.so)\.(\d+(?:\.\d+)*)$|^(cudart64_|cudnn64_)(\d+)\.dll$/;

async function findLibraries(probes: DoctorProbes, ldLibraryPath: string[]): Promise<LibraryFile[]> {
  const found = new Map<string, LibraryFile>();
  const add = (name: string, path: string, via: LibraryFile['via']) => {
    const match = LIBRARY.exec(name);
    if (!match || found.has(path)) return;
    // Windows names carry the version without a dot: cudart64_110.dll is CUDA 11.0's runtime (11.x).
    const windows = match[3] === 'cudart64_' ? `${Math.floor(Number(match[4]) / 10)}.${Number(match[4]) % 10}` : match[4];
    found.set(path, { name, path, version: match[2] ?? windows, via });
  };
  if (probes.platform === 'linux') {
    // "	libcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda-11.2/lib64/libcudart.so.11.0"
    const cache = (await probes.run('ldconfig', ['-p'])) ?? (await probes.run('/sbin/ldconfig', ['-p']));
    for (const line of (cache ?? '').split('\n')) {
      const match = /^\s*(\S+)\s+\(.*\)\s+=>\s+(\S+)\s*$/.exec(line);
      if (match) add(match[1], match[2], 'ldconfig');
    }
  }
  const folders = probes.platform === 'win32' ? (probes.env.PATH ?? probes.env.Path ?? '').split(';').filter(Boolean) : ldLibraryPath;
  for (const folder of folders) {
    for (const name of (await probes.listDir(folder)) ?? []) add(name, `${folder.replace(/[\\/]$/, '')}/${name}`, probes.platform === 'win32' ? 'PATH' : 'LD_LIBRARY_PATH');
  }
  return [...found.values()];
}
