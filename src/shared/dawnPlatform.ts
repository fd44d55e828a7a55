// The folder of the npm package `webgpu` that holds a platform's dawn.node: one per platform and
// architecture, except macOS, which has one universal binary. The engine loads Dawn from there and the
// extension installs and finds it there, so both name it through this one function.

export function dawnPlatformDir(platform: string, arch: string): string {
  return platform === 'darwin' ? 'darwin-universal' : `${platform}-${arch}`;
}
