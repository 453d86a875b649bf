// After an Up failed in its deploy or rollout: if the release's earlier revision still runs
// (deploy.status says `rollbackTo`), offer rolling back to it — after a confirmation — and a way
// to the Deployment panel to look closer first.
import { useEffect, useState } from 'react';
import type { ApiError, DeploymentView, UpRun } from '../../../preload/api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { requestPanel } from '../../components/panelRequest';
import { errorValue } from '../../state/errorValue';
import { useApi } from '../../state/StoreContext';
import { UpResultNotice } from './UpControls';
import { mayOfferRollback, rollbackOfferFor } from './upControls';

export function RollbackOffer({ run }: { run: UpRun | null }) {
  const api = useApi();
  const [status, setStatus] = useState<{ runId: string; view: DeploymentView } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const offer = mayOfferRollback(run);
  const runId = run?.runId;

  useEffect(() => {
    setStatus(null);
    setError(null);
    setDone(null);
    if (!offer || !runId) return;
    let live = true;
    api.deploy
      .status()
      .then((view) => live && setStatus({ runId, view }))
      // Without the release's status there is nothing to offer; the run's own error is shown above.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, offer, runId]);

  const view = status && status.runId === runId ? status.view : null;

  const rollback = async (revision: number) => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.deploy.rollback(revision);
      setDone(`Rolled back: release ${next.release} runs revision ${revision}'s manifests again${next.current ? ` as revision ${next.current.revision}` : ''}.`);
      setStatus(runId ? { runId, view: next } : null);
    } catch (err) {
      setError(errorValue(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  if (done) return <UpResultNotice text={done} onDismiss={() => setDone(null)} />;
  const revision = rollbackOfferFor(run, view);
  if (revision === null || !view) return error ? <ErrorNotice error={error} title="Could not roll back" onDismiss={() => setError(null)} /> : null;
  return (
    <>
      <RollbackOfferView revision={revision} busy={busy} onRollback={() => setConfirming(true)} onOpenDeployment={() => requestPanel('deployment')} />
      {error ? <ErrorNotice error={error} title="Could not roll back" onDismiss={() => setError(null)} /> : null}
      {confirming ? (
        <ConfirmDialog title={`Roll back to revision ${revision}`} confirmLabel="Roll back" busy={busy} onConfirm={() => void rollback(revision)} onCancel={() => setConfirming(false)}>
          <p>
            Roll back release {view.release} in namespace {view.namespace} to revision {revision}? This makes a new revision with revision {revision}'s manifests; the
            failed revision stays in the history.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

export function RollbackOfferView({ revision, busy, onRollback, onOpenDeployment }: { revision: number; busy: boolean; onRollback: () => void; onOpenDeployment: () => void }) {
  return (
    <div className="notice warn rollback-offer" role="region" aria-label="Rollback">
      <Icon name="info" />
      <div className="notice-body">
        <span className="notice-title">The previous revision {revision} is still running. Roll back to it?</span>
        <span className="rollback-actions">
          <button type="button" className="button" disabled={busy} onClick={onRollback}>
            Roll back to revision {revision}…
          </button>
          <button type="button" className="link-button" onClick={onOpenDeployment}>
            Open the Deployment panel
          </button>
        </span>
      </div>
    </div>
  );
}
