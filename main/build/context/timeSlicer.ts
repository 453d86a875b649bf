// Long runs of synchronous filesystem calls, cut into slices so the event loop keeps turning.
// The context walker, hasher and packer use synchronous lstat/readFile on purpose: for 10,000
// small files they are 5–10× faster than fs.promises (each promise call is several thread-pool
// round trips), and the main process still answers IPC between slices.

/** Returns a function to await between units of work; it yields only when the slice is used up. */
export function timeSlicer(sliceMs = 8): () => Promise<void> | undefined {
  let start = performance.now();
  return () => {
    if (performance.now() - start < sliceMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        start = performance.now();
        resolve();
      }),
    );
  };
}
