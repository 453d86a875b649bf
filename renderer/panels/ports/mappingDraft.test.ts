import { describe, expect, it } from 'vitest';
import type { PortForwarding, PortMappingStatus } from '../../../preload/api';
import { checkDraft, draftFrom, emptyMapping, formatBytes, isDirty, parseSelector, statusForRow } from './mappingDraft';

const saved: PortForwarding[] = [{ labelSelector: { app: 'web' }, portMappings: [{ localPort: 3000, remotePort: 8080 }, { localPort: 9229, remotePort: 9229, bindAddress: '127.0.0.1', enabled: false }] }];

describe('the port-mapping draft', () => {
  it('round-trips the saved mappings unchanged (explicit bind addresses stay, defaults stay out)', () => {
    const draft = draftFrom(saved);
    expect(draft[0]?.selector).toBe('app=web');
    const { forwardings, errors } = checkDraft(draft);
    expect(errors).toEqual({});
    expect(forwardings).toEqual(saved);
    expect(isDirty(draft, saved)).toBe(false);
  });

  it('flags bad ports, duplicates and selectors next to their fields, keeping the typed text', () => {
    const draft = draftFrom(saved);
    const fw = draft[0]!;
    const dup = { ...emptyMapping(), localPort: '3000', remotePort: '80' };
    const bad = { ...emptyMapping(), localPort: '70000', remotePort: 'abc' };
    fw.mappings.push(dup, bad);
    fw.selector = 'app';
    const { errors } = checkDraft(draft);
    expect(errors).toEqual({
      [`${fw.id}.selector`]: '"app" is not key=value',
      [`${dup.id}.localPort`]: 'Local port 3000 is used by another mapping',
      [`${bad.id}.localPort`]: 'Use a port from 1 to 65535',
      [`${bad.id}.remotePort`]: '"abc" is not a number',
    });
    expect(bad.localPort).toBe('70000');
    expect(isDirty(draft, saved)).toBe(true);
  });

  it('warns about privileged local ports', () => {
    const draft = draftFrom([{ labelSelector: { app: 'web' }, portMappings: [{ localPort: 80, remotePort: 8080 }] }]);
    expect(checkDraft(draft).warnings).toEqual([expect.stringMatching(/^Local port 80 is privileged/)]);
  });

  it('parses selectors written with = or :', () => {
    expect(parseSelector('app=web, tier: front')).toEqual({ app: 'web', tier: 'front' });
    expect(parseSelector('  ')).toBe('Say which pods, e.g. app=my-app');
  });

  it('shows the observed state only while the row still says what was saved', () => {
    const status: PortMappingStatus[] = [{ key: '0:0', localPort: 3000, remotePort: 8080, bindAddress: '127.0.0.1', state: 'listening', connections: 1, bytesIn: 10, bytesOut: 5 }];
    const draft = draftFrom(saved);
    const row = draft[0]!.mappings[0]!;
    expect(statusForRow(row, saved, status)).toMatchObject({ state: 'listening' });
    expect(statusForRow({ ...row, localPort: '3001' }, saved, status)).toBe('unsaved');
    expect(statusForRow(emptyMapping(), saved, status)).toBe('unsaved');
  });

  it('formats byte counts', () => {
    expect([formatBytes(12), formatBytes(2048), formatBytes(5 * 1024 * 1024 + 1)]).toEqual(['12 B', '2.0 KB', '5.0 MB']);
  });
});
