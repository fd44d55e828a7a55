// A stand-in engine for test/reliability/engineCrash.test.ts that dies the way a broken native
// backend does: an uncaught error thrown deep in a call stack, after some ordinary log lines.
process.on('message', () => {
  console.error('[engine] loading the native backend');
  console.error('[engine] warning: cuDNN version 8.0 is older than 8.1, trying anyway');
  function deep(depth) {
    if (depth === 0) throw new TypeError('native backend exploded: CUDA_ERROR_ILLEGAL_ADDRESS');
    return deep(depth - 1) + 1;
  }
  deep(40);
});
