// What the Deployment panel draws, as pure components of the view (no requests here): the
// release header, the rollback offer, pods, events, revisions and the rendered manifests.
import { useEffect, useRef, useState } from 'react';
import type { DeploymentView, ManifestPreview } from '../../../preload/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { fullTime, relativeTime } from '../../format/relativeTime';
import { canRollBackTo, phaseTone, revisionTone, rollbackQuestion, shortAge } from './deploymentFormat';

export function ReleaseHeader({ view, now }: { view: DeploymentView; now: Date }) {
  const c = view.current;
  return (
    <div className="deployment-release">
      <dl className="deployment-facts">
        <div>
          <dt>Release</dt>
          <dd>{view.release}</dd>
        </div>
        <div>
          <dt>Namespace</dt>
          <dd>{view.namespace}</dd>
        </div>
        <div>
          <dt>Engine</dt>
          <dd>{view.engine === 'tiller' ? 'Tiller (Helm 2)' : 'Helm 3'}</dd>
        </div>
      </dl>
      {c ? (
        <p className="deployment-current" role="status" aria-label="Release status">
          <span className="deployment-revision">Revision {c.revision}</span>
          <span className={`badge tone-${revisionTone(c.status)}`}>{c.status}</span>
          <span className="deployment-updated" title={fullTime(c.updated)}>
            updated {relativeTime(c.updated, now)}
          </span>
          {c.description ? <span className="deployment-description">{c.description}</span> : null}
        </p>
      ) : null}
    </div>
  );
}

export function RollbackBanner({ view, onRollback, busy }: { view: DeploymentView; onRollback: (revision: number) => void; busy: boolean }) {
  if (view.rollbackTo === undefined || !view.current) return null;
  const failed = view.current.status === 'failed';
  return (
    <div className="notice warn deployment-banner" role="region" aria-label="Rollback offer">
      <Icon name="alert" />
      <div className="notice-body">
        <span className="notice-title">
          {failed ? `Revision ${view.current.revision} failed.` : `The pods of revision ${view.current.revision} cannot run.`} Revision {view.rollbackTo} is what still runs.
        </span>
        <span className="notice-hint">Roll back to it, or fix the problem and click Up again.</span>
      </div>
      <div className="notice-actions">
        <button type="button" className="button" disabled={busy} onClick={() => onRollback(view.rollbackTo!)}>
          Roll back to revision {view.rollbackTo}
        </button>
      </div>
    </div>
  );
}

export function PodsTable({ view, now }: { view: DeploymentView; now: Date }) {
  if (view.pods.length === 0) return <p className="deployment-none">No pods belong to this release.</p>;
  return (
    <table className="deployment-table" aria-label="Pods">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Phase</th>
          <th scope="col">Ready</th>
          <th scope="col">Restarts</th>
          <th scope="col">Age</th>
          <th scope="col">Node</th>
        </tr>
      </thead>
      {view.pods.map((p) => (
        <tbody key={p.name} className="deployment-pod" aria-label={`Pod ${p.name}`}>
          <tr>
            <td className="mono">{p.name}</td>
            <td>
              <span className={`badge tone-${phaseTone(p.phase, p.ready, p.problem)}`}>{p.phase}</span>
            </td>
            <td>{p.ready}</td>
            <td>{p.restarts}</td>
            <td title={p.startedAt ? fullTime(p.startedAt) : undefined}>{shortAge(p.startedAt, now)}</td>
            <td>{p.node ?? ''}</td>
          </tr>
          {p.problem ? (
            <tr className="deployment-problem-row">
              <td colSpan={6}>
                <div className="deployment-problem" aria-label={`Problem of pod ${p.name}`}>
                  <Icon name="alert" size={14} />
                  <span>{p.problem}</span>
                </div>
              </td>
            </tr>
          ) : null}
        </tbody>
      ))}
    </table>
  );
}

export function EventsList({ view, now }: { view: DeploymentView; now: Date }) {
  if (view.events.length === 0) return <p className="deployment-none">No recent events.</p>;
  return (
    <ul className="deployment-events" aria-label="Events">
      {view.events.map((e, i) => (
        <li key={`${e.object}/${e.reason}/${e.lastSeen ?? ''}/${i}`} className={`deployment-event ${e.type === 'Warning' ? 'warning' : ''}`} data-type={e.type}>
          <span className="deployment-event-head">
            {e.type === 'Warning' ? (
              <>
                <Icon name="alert" size={13} />
                <span className="visually-hidden">Warning:</span>
              </>
            ) : null}
            <span className="deployment-event-reason">{e.reason}</span>
            <span className="deployment-event-object mono">{e.object}</span>
            {e.count > 1 ? <span className="deployment-event-count">×{e.count}</span> : null}
            <span className="deployment-event-age" title={e.lastSeen ? fullTime(e.lastSeen) : undefined}>
              {shortAge(e.lastSeen, now)}
            </span>
          </span>
          <span className="deployment-event-message">{e.message}</span>
        </li>
      ))}
    </ul>
  );
}

export function HistoryTable({ view, now, onRollback, busy }: { view: DeploymentView; now: Date; onRollback: (revision: number) => void; busy: boolean }) {
  return (
    <table className="deployment-table" aria-label="Revisions">
      <thead>
        <tr>
          <th scope="col">Revision</th>
          <th scope="col">Status</th>
          <th scope="col">Updated</th>
          <th scope="col">Chart</th>
          <th scope="col">Description</th>
          <th scope="col" aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {view.history.map((r) => (
          <tr key={r.revision} aria-label={`Revision ${r.revision}`}>
            <td>{r.revision}</td>
            <td>
              <span className={`badge tone-${revisionTone(r.status)}`}>{r.status}</span>
            </td>
            <td title={fullTime(r.updated)}>{relativeTime(r.updated, now)}</td>
            <td className="mono">{r.chart ?? ''}</td>
            <td className="deployment-description">{r.description ?? ''}</td>
            <td>
              {canRollBackTo(view, r) ? (
                <button type="button" className="button" disabled={busy} aria-label={`Roll back to revision ${r.revision}`} onClick={() => onRollback(r.revision)}>
                  Roll back
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Asks before a rollback, naming the revision it leaves and the one it goes back to. */
export function RollbackDialog({ view, target, busy, onConfirm, onCancel }: { view: DeploymentView; target: number; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="deployment-dialog"
      aria-labelledby="rollback-title"
      aria-describedby="rollback-text"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="rollback-title">Roll back the release?</h2>
      <p id="rollback-text">{rollbackQuestion(view, target)} This makes a new revision with revision {target}&apos;s chart and values, as helm rollback does.</p>
      <footer className="deployment-dialog-footer">
        <button type="button" className="button primary" disabled={busy} onClick={onConfirm}>
          {busy ? 'Rolling back…' : `Roll back to revision ${target}`}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </footer>
    </dialog>
  );
}

export function ManifestList({ preview, onCopy }: { preview: ManifestPreview; onCopy: (text: string) => Promise<void> }) {
  return (
    <div className="deployment-manifests">
      {preview.warnings.map((w) => (
        <ErrorNotice key={w} tone="warn" error={{ code: 'CONFIG_INVALID', message: w }} />
      ))}
      <ul className="deployment-objects" aria-label="Rendered objects">
        {preview.objects.map((o) => (
          <li key={`${o.source}/${o.kind}/${o.name}`} aria-label={`${o.kind} ${o.name}`}>
            <details>
              <summary>
                <span className="deployment-object-kind">{o.kind}</span>
                <span className="mono">{o.name}</span>
                <span className="deployment-object-source">{o.source}</span>
              </summary>
              <div className="deployment-yaml">
                <CopyButton label={`Copy ${o.kind} ${o.name}`} text={o.yaml} onCopy={onCopy} />
                <pre>{o.yaml}</pre>
              </div>
            </details>
          </li>
        ))}
      </ul>
      {preview.notes ? (
        <details className="deployment-notes">
          <summary>Notes (NOTES.txt)</summary>
          <pre>{preview.notes}</pre>
        </details>
      ) : null}
    </div>
  );
}

function CopyButton({ label, text, onCopy }: { label: string; text: string; onCopy: (text: string) => Promise<void> }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="button deployment-copy"
      aria-label={label}
      onClick={() => {
        onCopy(text).then(
          () => setState('copied'),
          () => setState('failed'),
        );
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}

/** The overview: header, rollback offer, pods, events and revisions; or the empty state. */
export function DeploymentOverview(props: { view: DeploymentView; now: Date; busy: boolean; onRollback: (revision: number) => void }) {
  const { view, now } = props;
  if (!view.current) {
    return (
      <div className="deployment-empty" role="status" aria-label="Release status">
        <Icon name="deployment" size={28} />
        <p>Nothing deployed yet — click Up.</p>
        <p className="deployment-none">
          Release “{view.release}” in namespace {view.namespace} has no revisions{view.engine === 'tiller' ? ' in Tiller' : ''}.
        </p>
      </div>
    );
  }
  return (
    <>
      <ReleaseHeader view={view} now={now} />
      <RollbackBanner view={view} onRollback={props.onRollback} busy={props.busy} />
      <section className="deployment-section" aria-labelledby="deployment-pods-title">
        <h3 id="deployment-pods-title">Pods</h3>
        <PodsTable view={view} now={now} />
      </section>
      <section className="deployment-section" aria-labelledby="deployment-events-title">
        <h3 id="deployment-events-title">
          Events <span className="deployment-count">{view.events.length}</span>
        </h3>
        <EventsList view={view} now={now} />
      </section>
      <section className="deployment-section" aria-labelledby="deployment-history-title">
        <h3 id="deployment-history-title">History</h3>
        <HistoryTable view={view} now={now} onRollback={props.onRollback} busy={props.busy} />
      </section>
    </>
  );
}
