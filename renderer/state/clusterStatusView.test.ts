import { describe, expect, it } from 'vitest';
import { describeClusterStatus, formatVersion } from './clusterStatusView';

describe('describeClusterStatus', () => {
  it('says connected with the server and version', () => {
    const view = describeClusterStatus({ state: 'connected', context: 'dev', server: 'https://10.0.0.1:6443', version: 'v1.32.1', namespace: 'default' }, false);
    expect(view).toEqual({ tone: 'connected', title: 'Connected — https://10.0.0.1:6443 (v1.32.1)' });
  });

  it('writes versions one way whether or not the server prefixes a v', () => {
    expect(formatVersion('1.32.1')).toBe('v1.32.1');
    expect(formatVersion('v1.32.1')).toBe('v1.32.1');
  });

  it('shows the error message with its hint beneath', () => {
    const view = describeClusterStatus(
      { state: 'error', context: 'dev', error: { code: 'CLUSTER_UNREACHABLE', message: 'Cannot reach https://127.0.0.1:1.', hint: 'Is the cluster running?' } },
      false,
    );
    expect(view).toEqual({ tone: 'error', title: 'Cannot reach https://127.0.0.1:1.', hint: 'Is the cluster running?', code: 'CLUSTER_UNREACHABLE' });
  });

  it('says it is checking while a check runs, whatever was known before', () => {
    expect(describeClusterStatus({ state: 'error', error: { code: 'CLUSTER_ERROR', message: 'x' } }, true).tone).toBe('checking');
    expect(describeClusterStatus(null, false).tone).toBe('idle');
  });
});
