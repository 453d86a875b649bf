// "Up" pressed elsewhere (the project header, its menu's Force rebuild): the Pipeline panel picks
// the request up when it is mounted, even if that happens only because of this press, so the
// first-Up review stays in one place.
export interface UpRequestOptions {
  /** Build the image even when its content hash says nothing changed. */
  forceRebuild?: boolean;
}

let pending: UpRequestOptions | null = null;
const listeners = new Set<() => void>();

export function requestUp(options: UpRequestOptions = {}): void {
  pending = { ...options };
  for (const l of listeners) l();
}

/** The pending request (once), or null. */
export function takeUpRequest(): UpRequestOptions | null {
  const was = pending;
  pending = null;
  return was;
}

export function onUpRequest(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
