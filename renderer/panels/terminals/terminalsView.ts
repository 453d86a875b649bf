// What the Terminals panel body shows: the xterm area only when there is a session to show in it;
// otherwise an empty or error state that says what is wrong and what to do next (never a black box).
import type { ApiError, ClusterStatus } from '../../../preload/api';

export type TerminalsBody =
  /** No session yet and one is being opened. */
  | { kind: 'opening' }
  /** No session, and opening one failed: the error, its hint, and the next step. */
  | { kind: 'error'; error: ApiError; nextStep: string }
  /** No session and nothing failed (e.g. the user closed the last tab). */
  | { kind: 'empty'; nextStep: string }
  /** At least one session: the tabs and the xterm area. */
  | { kind: 'sessions' };

export const UP_FIRST = 'Press Up to deploy the project, then open a terminal.';

export function terminalsBody(state: { sessions: number; error: ApiError | null; opening: boolean }): TerminalsBody {
  if (state.sessions > 0) return { kind: 'sessions' };
  if (state.opening) return { kind: 'opening' };
  if (state.error) return { kind: 'error', error: state.error, nextStep: nextStepFor(state.error) };
  return { kind: 'empty', nextStep: 'Open a terminal to get a shell in the dev container.' };
}

/** What the user should do about a failed open, in one sentence. */
export function nextStepFor(error: ApiError): string {
  switch (error.code) {
    case 'KUBECONFIG_MISSING':
    case 'KUBECONFIG_INVALID':
    case 'CONTEXT_MISSING':
      return 'Set up the cluster in the Cluster panel; a terminal opens by itself once it connects.';
    case 'CLUSTER_UNREACHABLE':
    case 'CLUSTER_TLS':
    case 'CLUSTER_UNAUTHORIZED':
    case 'CLUSTER_FORBIDDEN':
    case 'CLUSTER_ERROR':
      return 'Check the connection in the Cluster panel, then retry.';
    case 'NO_PROJECT':
      return 'Open a project first.';
    case 'NOT_FOUND':
      // The dev pod exists but is not ready yet: waiting (or the Deployment panel) is the way on.
      if (/ is ready\b/.test(error.message)) return 'Wait for the pod to become ready (the Deployment panel says why it is not), then retry.';
      if (/has no container/.test(error.message)) return 'Fix the container name in .devspace/config.yaml, then retry.';
      return UP_FIRST;
    default:
      return 'Retry; if it fails again, check the Cluster panel.';
  }
}

/**
 * A key that changes when the cluster the terminal would open in changes (connected or not,
 * context, namespace): a change makes a stale open error worth retrying.
 */
export function clusterKey(status: ClusterStatus | null): string {
  if (!status) return 'none';
  return status.state === 'connected' ? `connected:${status.context}:${status.namespace}` : `error:${status.context ?? ''}:${status.error.code}`;
}

/**
 * Whether a cluster status change should retry opening the first terminal: only after the panel
 * was visited, while it has no session, and not while an open is under way. Any change counts (a
 * retry replaces a stale "No kubeconfig" with what is wrong now, or opens the shell).
 */
export function shouldRetryOnCluster(prev: string, next: string, state: { started: boolean; sessions: number; opening: boolean }): boolean {
  return prev !== next && state.started && state.sessions === 0 && !state.opening;
}

/** Whether an Up event should open the first terminal: it reached Ready and the visited panel has no session. */
export function shouldOpenOnUp(runState: string, state: { started: boolean; sessions: number; opening: boolean }): boolean {
  return runState === 'ready' && state.started && state.sessions === 0 && !state.opening;
}
