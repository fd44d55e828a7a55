// `latent-explorer doctor`: the backend doctor's report in a terminal (Markdown, or --json).

import { resolveBackend } from '../backend';
import { parseFlags, stringFlag } from '../cli/args';
import type { Output } from '../cli/output';
import { diagnose } from './diagnosis';
import { gatherFindings } from './findings';
import { renderDoctorMarkdown } from './renderDoctor';
import { systemProbes } from './systemProbes';
import { BACKEND_FLAGS, BACKEND_USAGE, backendPreference, backendOptionsFrom } from '../cli/backendFlags';

export const DOCTOR_HELP = `latent-explorer doctor [--native-dir <folder>] ${BACKEND_USAGE} [--json]

Reports Dawn (webgpu) and every WebGPU adapter it finds, the NVIDIA driver, the CUDA and cuDNN
libraries the loader can see, the native TensorFlow packages, the backend that runs and why a faster
one does not, and what to do about it.
--native-dir names a folder whose node_modules holds webgpu or @tensorflow/tfjs-node(-gpu).
--gpu-adapter picks the WebGPU adapter: high-performance, low-power, or part of its name.`;

export async function doctorCommand(argv: string[], output: Output): Promise<number> {
  const { values } = parseFlags(argv, { 'native-dir': { type: 'string' }, ...BACKEND_FLAGS });
  const dirs = [stringFlag(values, 'native-dir')].filter((d): d is string => d !== undefined);
  const backend = await resolveBackend(backendPreference(values), backendOptionsFrom(values, { nativeModuleDirs: dirs }));
  const report = diagnose(await gatherFindings(systemProbes(dirs)), backend);
  output.result({ ...report }, renderDoctorMarkdown(report));
  return 0;
}
