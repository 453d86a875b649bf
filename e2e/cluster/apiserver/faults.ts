// Fault switches the tests flip to see how the app copes: API latency, failing requests,
// dropped watches and proxied streams; and the request counter benchmarks read.
// The node agent's own requests (node token) are neither slowed, failed nor counted, so a
// fault aimed at the app does not take the node down with it.

import { ApiError } from './status';

export interface FailRule { count: number; code?: number; pathPrefix?: string; verb?: string }

const REASONS: Record<number, string> = { 500: 'InternalError', 503: 'ServiceUnavailable', 429: 'TooManyRequests', 504: 'Timeout', 409: 'Conflict', 404: 'NotFound', 403: 'Forbidden', 401: 'Unauthorized', 400: 'BadRequest', 410: 'Expired' };

function verbMatches(want: string | undefined, verb: string, method: string): boolean {
  return !want || want.toLowerCase() === verb || want.toUpperCase() === method;
}

export class Faults {
  latencyMs = 0;
  private rules: FailRule[] = [];
  private streamDroppers = new Set<() => void>();

  setLatency(ms: number): void { this.latencyMs = Math.max(0, ms); }

  failRequests(rule: FailRule): void { this.rules.push({ ...rule }); }

  /** Returns the error to answer with when a fail rule matches this request (and uses one of its count). */
  takeFailure(path: string, verb: string, method: string): ApiError | undefined {
    const r = this.rules.find((x) => x.count > 0 && (!x.pathPrefix || path.startsWith(x.pathPrefix)) && verbMatches(x.verb, verb, method));
    if (!r) return undefined;
    r.count--;
    this.rules = this.rules.filter((x) => x.count > 0);
    const code = r.code ?? 500;
    const reason = REASONS[code] ?? 'InternalError';
    return new ApiError(code, reason, code === 429 ? 'Too many requests, please try again later.' : `injected fault: ${reason} (test cluster)`, code === 429 || code === 503 ? { retryAfterSeconds: 1 } : undefined);
  }

  /** Registers a way to cut an open stream (watch or proxied connection); returns the unregister function. */
  trackStream(drop: () => void): () => void {
    this.streamDroppers.add(drop);
    return () => { this.streamDroppers.delete(drop); };
  }

  dropStreams(): void {
    const all = [...this.streamDroppers];
    this.streamDroppers.clear();
    for (const d of all) { try { d(); } catch { /* already closed */ } }
  }
}

export interface RequestRecord { verb: string; method: string; path: string }

export class RequestCounter {
  // Counts per (verb, method, path) rather than a list of records, so long benchmarks stay small.
  private counts = new Map<string, { r: RequestRecord; n: number }>();

  record(r: RequestRecord): void {
    const key = `${r.verb} ${r.method} ${r.path}`;
    const e = this.counts.get(key);
    if (e) e.n++; else this.counts.set(key, { r, n: 1 });
  }

  count(filter: { verb?: string; pathPrefix?: string } = {}): number {
    let n = 0;
    for (const { r, n: k } of this.counts.values()) if (verbMatches(filter.verb, r.verb, r.method) && (!filter.pathPrefix || r.path.startsWith(filter.pathPrefix))) n += k;
    return n;
  }

  reset(): void { this.counts.clear(); }
}
