// The log viewer's memory: a ring of the newest `capacity` lines. Appending is O(1) per line and
// never reallocates, so 100,000 streamed lines cost the same memory as 50,000. `version` changes
// on every append so views know when to redraw; `dropped` counts what fell off the front.
export class LogBuffer {
  private ring: string[];
  private head = 0;
  private count = 0;
  /** Lines that fell off the front (ring full) plus lines the main side skipped. */
  dropped = 0;
  version = 0;

  constructor(readonly capacity = 50_000) {
    this.ring = new Array<string>(capacity);
  }

  get length(): number {
    return this.count;
  }

  append(lines: readonly string[], skippedUpstream = 0): void {
    this.dropped += skippedUpstream;
    // Only the last `capacity` lines of a huge batch can survive; skip the rest at once.
    const start = Math.max(0, lines.length - this.capacity);
    this.dropped += start;
    for (let i = start; i < lines.length; i++) {
      if (this.count < this.capacity) {
        this.ring[(this.head + this.count) % this.capacity] = lines[i]!;
        this.count++;
      } else {
        this.ring[this.head] = lines[i]!;
        this.head = (this.head + 1) % this.capacity;
        this.dropped++;
      }
    }
    if (lines.length > 0 || skippedUpstream > 0) this.version++;
  }

  at(i: number): string {
    return this.ring[(this.head + i) % this.capacity]!;
  }

  toArray(): string[] {
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.at(i);
    return out;
  }

  clear(): void {
    this.ring = new Array<string>(this.capacity);
    this.head = 0;
    this.count = 0;
    this.dropped = 0;
    this.version++;
  }
}
