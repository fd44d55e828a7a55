// A stand-in engine for test/reliability/engineCrash.test.ts that runs out of memory for real:
// started with a small --max-old-space-size, it fills the heap until V8 aborts the process.
process.on('message', () => {
  const hoard = [];
  for (;;) hoard.push(new Array(100_000).fill({ value: hoard.length }));
});
