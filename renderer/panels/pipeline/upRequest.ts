// "Up" pressed elsewhere (the project header): the Pipeline panel picks the request up when it is
// mounted, even if that happens only because of this press.
let pending = false;
const listeners = new Set<() => void>();

export function requestUp(): void {
  pending = true;
  for (const l of listeners) l();
}

export function takeUpRequest(): boolean {
  const was = pending;
  pending = false;
  return was;
}

export function onUpRequest(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
