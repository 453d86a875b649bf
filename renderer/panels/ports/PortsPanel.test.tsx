// What the state badge says for each observed state (rendered to HTML, no browser needed).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PortMappingStatus } from '../../../preload/api';
import { StateBadge } from './PortsPanel';

const base: PortMappingStatus = { key: '0:0', localPort: 3000, remotePort: 8080, bindAddress: '127.0.0.1', state: 'listening', connections: 0, bytesIn: 0, bytesOut: 0 };

describe('the state badge', () => {
  it('names each state in the user\'s words, with the error text and the no-pod explanation', () => {
    const text = (s: Partial<PortMappingStatus> | 'unsaved') => renderToStaticMarkup(<StateBadge observed={s === 'unsaved' ? s : { ...base, ...s }} />).replace(/<[^>]+>/g, '|');
    expect(text({ state: 'listening' })).toContain('|Listening|');
    expect(text({ state: 'stopped' })).toContain('|Stopped|');
    expect(text({ state: 'disabled' })).toContain('|Disabled|');
    expect(text('unsaved')).toContain('|Not saved|');
    expect(text({ state: 'error', message: 'Local port 3000 on 127.0.0.1 is already in use by python3 (pid 42).' })).toContain('|Error: Local port 3000 on 127.0.0.1 is already in use by python3 (pid 42).|');
    const noPod = text({ state: 'no-pod', message: 'No ready pod matches app=web in namespace default' });
    expect(noPod).toContain('|No ready pod|');
    expect(noPod).toContain('No ready pod matches app=web');
  });
});
