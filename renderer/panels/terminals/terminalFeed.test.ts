import { describe, expect, it } from 'vitest';
import type { DevspaceApi, DevspaceBridge } from '../../../preload/api';
import { createApi } from '../../api/client';
import { TerminalFeed } from './terminalFeed';

function fakeBridge() {
  let push: (event: string, payload: unknown) => void = () => {};
  const bridge: DevspaceBridge = {
    invoke: async () => ({ ok: true, value: null }),
    subscribe: (l) => {
      push = l;
      return () => {};
    },
  };
  return { api: createApi(bridge) as DevspaceApi, push: (e: string, p: unknown) => push(e, p) };
}

describe('TerminalFeed', () => {
  it('holds output that arrives before its tab attaches, then streams to it', () => {
    const { api, push } = fakeBridge();
    const feed = new TerminalFeed(api);
    push('terminal.data', { id: 't1', data: 'prompt$ ' });
    push('terminal.data', { id: 't2', data: 'other' });
    const got: string[] = [];
    feed.attach('t1', (d) => got.push(d));
    push('terminal.data', { id: 't1', data: 'ls\r\n' });
    expect(got).toEqual(['prompt$ ', 'ls\r\n']);
    feed.dispose();
  });

  it('passes state changes to listeners', () => {
    const { api, push } = fakeBridge();
    const feed = new TerminalFeed(api);
    const states: string[] = [];
    const off = feed.onState((s) => states.push(`${s.id}:${s.state}`));
    push('terminal.state', { id: 't1', title: 'T', state: 'reconnecting' });
    off();
    push('terminal.state', { id: 't1', title: 'T', state: 'open' });
    expect(states).toEqual(['t1:reconnecting']);
    feed.dispose();
  });
});
