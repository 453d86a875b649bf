// Message shapes of the browser host's WebSocket (types only; shared by renderer and host).
import type { WireResult } from '../../preload/api';

export type PageToHost = { t: 'call'; id: number; method: string; args: unknown[] };

export type HostToPage =
  | { t: 'result'; id: number; result: WireResult<unknown> }
  /** Events are batched: at most one message per flush interval, in order. */
  | { t: 'events'; events: Array<[event: string, payload: unknown]> };
