// Preloaded (--require) into the REAL engine (dist/engine.js) by test/reliability/engineCrash.test.ts:
// a `checkpoint/info` request for the path "abort-now" makes the engine die as a native library
// does when it gives up: a C++ runtime's last words on stderr, then process.abort() (SIGABRT).
// Registered before the engine's own listener, so it runs first; any other request is the engine's.
process.on('message', (message) => {
  if (message && message.method === 'checkpoint/info' && message.params && message.params.path === 'abort-now') {
    process.stderr.write("terminate called after throwing an instance of 'std::runtime_error'\n  what():  cudaMalloc failed: out of memory\n");
    process.abort();
  }
});
