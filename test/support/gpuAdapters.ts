// WebGPU adapters as the engine reports them (GpuAdapterReport), for tests of what is said about them:
// Mesa's software rasterizer as Dawn sees it on a machine without a GPU, and a discrete NVIDIA card.

import type { GpuAdapterReport } from '../../src/shared/protocol';

export const LLVMPIPE: GpuAdapterReport = {
  // What Dawn 0.6.2 reports here with Mesa 25 from bookworm-backports.
  vendor: 'mesa',
  architecture: 'software',
  description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1',
  backendType: 'vulkan',
  kind: 'software',
  powerPreferences: ['high-performance', 'low-power'],
  maxBufferSize: 4_294_967_295,
  maxStorageBufferBindingSize: 134_217_728,
};

export const RTX: GpuAdapterReport = {
  vendor: 'nvidia',
  architecture: 'lovelace',
  description: 'NVIDIA GeForce RTX 4070',
  backendType: 'vulkan',
  kind: 'hardware',
  powerPreferences: ['high-performance'],
  maxBufferSize: 4 * 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 31,
};
