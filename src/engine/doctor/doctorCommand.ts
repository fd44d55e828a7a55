// `latent-explorer doctor`: the backend doctor's report in a terminal (Markdown, or --json).

import { BACKEND_ORDER, type BackendPreference } from '../../shared/protocol';
import { resolveBackend } from '../backend';
import { oneOf, parseFlags, stringFlag } from '../cli/args';
import type { Output } from '../cli/output';
import { diagnose } from './diagnosis';
import { gatherFindings } from './findings';
import { renderDoctorMarkdown } from './renderDoctor';
import { systemProbes } from './systemProbes';

export const DOCTOR_HELP = `latent-explorer doctor [--native-dir <folder>] [--backend auto|${BACKEND_ORDER.join('|')}] [--gpu-adapter <which>] [--json]

Reports Dawn (webgpu) and every WebGPU adapter it finds, the NVIDIA driver, the CUDA and cuDNN
libraries the loader can see, the native TensorFlow packages, the backend that runs and why a faster
one does not, and what to do about it.
--native-dir names a folder whose node_modules holds webgpu or @tensorflow/tfjs-node(-gpu).
--gpu-adapter picks the WebGPU adapter: high-performance, low-power, or part of its name.`;

export async function doctorCommand(argv: string[], output: Output): Promise<number> {
  const { values } = parseFlags(argv, { 'native-dir': { type: 'string' }, backend: { type: 'string' }, 'gpu-adapter': { type: 'string' } });
  const dirs = [stringFlag(values, 'native-dir')].filter((d): d is string => d !== undefined);
  const gpuAdapter = stringFlag(values, 'gpu-adapter');
  const preference = oneOf(values, 'backend', ['auto', ...BACKEND_ORDER] as const, 'auto') as BackendPreference;
  const backend = await resolveBackend(preference, { nativeModuleDirs: dirs, ...(gpuAdapter ? { gpuAdapter } : {}) });
  const report = diagnose(await gatherFindings(systemProbes(dirs)), backend);
  output.result({ ...report }, renderDoctorMarkdown(report));
  return 0;
}
