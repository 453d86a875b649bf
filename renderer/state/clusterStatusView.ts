// How a cluster status reads in the status badge: one line and, for failures, the hint beneath it.
import type { ClusterStatus, ErrorCode } from '../../preload/api';

export type StatusTone = 'connected' | 'error' | 'checking' | 'idle';

export interface StatusView {
  tone: StatusTone;
  title: string;
  hint?: string;
  code?: ErrorCode;
}

/** Servers report "v1.32.1" or "1.32.1"; show it one way. */
export function formatVersion(version: string): string {
  const v = version.trim();
  return /^\d/.test(v) ? `v${v}` : v;
}

export function describeClusterStatus(status: ClusterStatus | null, checking: boolean): StatusView {
  if (checking) return { tone: 'checking', title: 'Checking the connection…' };
  if (!status) return { tone: 'idle', title: 'Not checked yet' };
  if (status.state === 'connected') {
    const version = status.version ? ` (${formatVersion(status.version)})` : '';
    return { tone: 'connected', title: `Connected — ${status.server}${version}` };
  }
  const view: StatusView = { tone: 'error', title: status.error.message, code: status.error.code };
  if (status.error.hint) view.hint = status.error.hint;
  return view;
}
