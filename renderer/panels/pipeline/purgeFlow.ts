// Purge as a small state machine, apart from its buttons: ask (learn which release and namespace
// it would remove, to name them in the question), then confirm (up.purge) or cancel; the result or
// the error stays until dismissed.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiError, DevspaceApi } from '../../../preload/api';
import { errorValue } from '../../state/errorValue';
import { purgeResult } from './upControls';

export interface PurgeFlowState {
  /** 'checking': learning the release; 'asking': the question is shown; 'purging': up.purge runs. */
  step: 'idle' | 'checking' | 'asking' | 'purging';
  release?: string;
  namespace?: string;
  /** What was removed, in a sentence. */
  result: string | null;
  error: { title: string; error: ApiError } | null;
}

export interface PurgeFlow extends StoreApi<PurgeFlowState> {
  /** Opens the question; `fallbackNamespace` names the namespace when the release cannot be read. */
  ask(fallbackNamespace?: string): Promise<void>;
  confirm(): Promise<void>;
  cancel(): void;
  dismiss(): void;
}

export function createPurgeFlow(api: DevspaceApi, hooks: { purged: () => void }): PurgeFlow {
  const base = createStore<PurgeFlowState>()(() => ({ step: 'idle', result: null, error: null }));
  return {
    ...base,
    async ask(fallbackNamespace) {
      if (base.getState().step !== 'idle') return;
      base.setState({ step: 'checking', result: null, error: null, release: undefined, namespace: undefined });
      try {
        const view = await api.deploy.status();
        base.setState({ step: 'asking', release: view.release, namespace: view.namespace });
      } catch {
        // The question still makes sense without the name; up.purge knows the release.
        base.setState({ step: 'asking', namespace: fallbackNamespace });
      }
    },
    async confirm() {
      const s = base.getState();
      if (s.step !== 'asking') return;
      base.setState({ step: 'purging' });
      try {
        const result = await api.up.purge();
        hooks.purged();
        base.setState({ step: 'idle', result: purgeResult(result, s.namespace) });
      } catch (err) {
        base.setState({ step: 'idle', error: { title: `Could not uninstall ${s.release ? `release ${s.release}` : 'the release'}`, error: errorValue(err) } });
      }
    },
    cancel() {
      if (base.getState().step === 'asking') base.setState({ step: 'idle' });
    },
    dismiss() {
      base.setState({ result: null, error: null });
    },
  };
}
