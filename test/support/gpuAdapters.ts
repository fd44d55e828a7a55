// WebGPU adapters as the engine reports them (GpuAdapterReport), for tests of what is said about them:
// Mesa's software rasterizer as Dawn sees it on a machine without a GPU, and a discrete NVIDIA card.

import type { GpuAdapterReport } from '../../src/shared/protocol';

export const LLVMPIPE: GpuAdapterReport = {
  vendor: 'mesa',
  architecture: 'llvm',
  description: 'llvmpipe (LLVM 19.1.7, 256 bits)',
  backendType: 'vulkan',
  kind: 'software',
  powerPreferences: ['high-performance', 'low-power'],
  maxBufferSize: 2 ** 31,
  maxStorageBufferBindingSize: 2 ** 27,
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
