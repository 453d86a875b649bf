// Words for the Registry panel: the state badge, the storage line, and the login form's draft.
import type { RegistryView } from '../../../preload/api';

export const STATE_LABELS: Record<RegistryView['state'], string> = {
  ready: 'Ready',
  'not-deployed': 'Not deployed',
  starting: 'Starting',
  unreachable: 'Unreachable',
  unauthorized: 'Login rejected',
  error: 'Error',
};

/** Badge tone per state: ok, waiting (neutral) or bad. */
export function stateTone(state: RegistryView['state']): 'ok' | 'muted' | 'bad' {
  if (state === 'ready') return 'ok';
  if (state === 'not-deployed' || state === 'starting') return 'muted';
  return 'bad';
}

export function registryTitle(view: RegistryView): string {
  return view.kind === 'in-cluster' ? 'In-cluster registry (deployed by the app)' : `External registry ${view.pushHost}`;
}

export function storageLine(view: RegistryView): string | null {
  if (view.kind !== 'in-cluster' || !view.storage) return null;
  return view.storage === 'pvc' ? 'Persistent volume (images survive a restart of the registry)' : 'emptyDir (images are lost when the registry pod restarts)';
}

/** "1 of 3 nodes": how many nodes can pull through localhost:<port> (their registry proxy is ready). */
export function nodesLine(view: RegistryView): string | null {
  if (view.kind !== 'in-cluster' || !view.nodes) return null;
  const { ready, total } = view.nodes;
  if (total === 0) return 'No node runs the registry proxy yet';
  return ready === total ? `All ${total} node${total === 1 ? '' : 's'}` : `${ready} of ${total} nodes (the others cannot pull yet)`;
}

export interface LoginDraft {
  host: string;
  username: string;
  password: string;
  insecure: boolean;
}

export const EMPTY_LOGIN: LoginDraft = { host: '', username: '', password: '', insecure: false };

/** What is missing before the login can be checked, or null. */
export function loginProblem(d: LoginDraft): string | null {
  if (!d.host.trim()) return 'Enter the registry host, e.g. ghcr.io.';
  if (!d.username.trim()) return 'Enter the user name.';
  if (!d.password) return 'Enter the password or access token.';
  return null;
}
