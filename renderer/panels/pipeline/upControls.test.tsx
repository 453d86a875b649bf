// The Up controls for each state of the project, the purge question and its flow, the rollback
// offer, and how far a run is (title and progress): plain functions and static markup.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeploymentView, UpRun, UpStep } from '../../../preload/api';
import { createApi } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ProjectHeader } from '../../components/ProjectHeader';
import { createFakeBridge, FakeFailure } from '../../dev/fakeBridge';
import { createAppStore } from '../../state/appStore';
import { StoreProvider } from '../../state/StoreContext';
import { createPurgeFlow } from './purgeFlow';
import { RollbackOfferView } from './RollbackOffer';
import { UpControlsView } from './UpControls';
import { afterRunNote, headerControls, mayOfferRollback, purgeQuestion, purgeResult, rollbackOfferFor, titleFor, upPhase } from './upControls';

const step = (id: string, s: Partial<UpStep> = {}): UpStep => ({ id, title: id, state: 'pending', ...s });
// `progress` is main's to compute (main/up/runProgress.ts); tests that need it give it.
const run = (r: Partial<UpRun> = {}): UpRun => ({ runId: 'r1', state: 'running', startedAt: '2026-12-04T17:00:00.000Z', steps: [], progress: { finished: 0, total: r.steps?.length ?? 0, fraction: 0 }, ...r });
const text = (html: string) => html.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|');
const noop = () => {};

function controlsHtml(r: UpRun | null, sessions: 'unknown' | 'running' | 'stopped', menuOpen = false) {
  return renderToStaticMarkup(
    <UpControlsView controls={headerControls(r, sessions)} busy={null} initiallyOpen={menuOpen} onUp={noop} onCancel={noop} onStop={noop} onForceRebuild={noop} onPurge={noop} />,
  );
}

describe('the header Up controls', () => {
  it('offer Up (and the menu) when nothing runs', () => {
    const html = controlsHtml(null, 'unknown');
    expect(text(html)).toBe('|Up|');
    expect(html).toContain('class="button primary up-button"');
    expect(html).toContain('aria-label="More Up actions"');
    expect(html).not.toContain('Stop');
  });

  it('become Cancel with the running step while Up runs, without Stop or the menu', () => {
    const r = run({ steps: [step('connect', { state: 'done' }), step('build', { title: 'Build image', state: 'running' }), step('deploy')] });
    const html = controlsHtml(r, 'running');
    expect(text(html)).toBe('|Build image|Cancel|');
    expect(html).not.toContain('More Up actions');
    expect(headerControls(run(), 'unknown').currentStep).toBe('Starting…');
  });

  it('show Up and Stop once the project is up, and only Up after Stop', () => {
    const ready = run({ state: 'ready' });
    expect(text(controlsHtml(ready, 'running'))).toBe('|Up|Stop|');
    expect(text(controlsHtml(ready, 'unknown'))).toBe('|Up|Stop|');
    expect(text(controlsHtml(ready, 'stopped'))).toBe('|Up|');
    // A failed or cancelled run leaves nothing to stop.
    expect(upPhase(run({ state: 'failed' }), 'running')).toBe('idle');
    expect(upPhase(run({ state: 'cancelled' }), 'unknown')).toBe('idle');
  });

  it('sit in the project header, which starts with Up', () => {
    const api = createApi(createFakeBridge());
    const html = renderToStaticMarkup(
      <StoreProvider store={createAppStore(api)} api={api}>
        <ProjectHeader project={{ path: '/p/app', name: 'app', hasChart: false, hasDockerfile: false, hasDevspaceConfig: false, selection: {} }} onUp={noop} />
      </StoreProvider>,
    );
    expect(text(html)).toBe('|app|/p/app|Close project|Up|');
    expect(html).toMatch(/<button[^>]*class="button primary up-button"[^>]*>.*Up<\/button>/);
  });

  it('list Force rebuild and Purge… in the menu', () => {
    const html = controlsHtml(run({ state: 'ready' }), 'running', true);
    expect(html).toContain('role="menu"');
    expect(html.match(/role="menuitem"[^>]*aria-label="([^"]+)"/g)?.map((m) => m.replace(/.*aria-label="/, '').replace('"', ''))).toEqual(['Force rebuild', 'Purge…']);
  });
});

describe('purge', () => {
  it('asks naming the release and namespace, and says what stays', () => {
    expect(purgeQuestion('shop', 'dev')).toBe('Uninstall release shop from namespace dev? The terminals and port forwards stop; the registry and its images stay.');
    expect(purgeQuestion(undefined, 'dev')).toBe("Uninstall the project's release from namespace dev? The terminals and port forwards stop; the registry and its images stay.");
    const html = renderToStaticMarkup(
      <ConfirmDialog title="Purge the deployment" confirmLabel="Uninstall" danger onConfirm={noop} onCancel={noop}>
        <p>{purgeQuestion('shop', 'dev')}</p>
      </ConfirmDialog>,
    );
    expect(text(html)).toBe('|Purge the deployment|Uninstall release shop from namespace dev? The terminals and port forwards stop; the registry and its images stay.|Uninstall|Cancel|');
    expect(purgeResult({ release: 'shop', removed: 4 }, 'dev')).toBe('Uninstalled release shop from namespace dev. Removed 4 objects.');
    expect(purgeResult({ release: 'shop', removed: 1 })).toBe('Uninstalled release shop. Removed 1 object.');
    expect(afterRunNote('purged')).toBe('Purged: the release was uninstalled from the cluster. Up deploys it again.');
    expect(afterRunNote('stopped')).toContain('the deployment keeps running');
    expect(afterRunNote(null)).toBeNull();
  });

  const status: DeploymentView = { release: 'shop', namespace: 'dev', engine: 'helm3', current: null, history: [], pods: [], events: [] };

  it('uninstalls only after the user confirms, then reports what was removed', async () => {
    const bridge = createFakeBridge({ 'deploy.status': () => status, 'up.purge': () => ({ release: 'shop', removed: 3 }) });
    let purged = 0;
    const flow = createPurgeFlow(createApi(bridge), { purged: () => purged++ });
    await flow.ask('fallback-ns');
    expect(flow.getState()).toMatchObject({ step: 'asking', release: 'shop', namespace: 'dev' });
    expect(bridge.calls.map(([m]) => m)).toEqual(['deploy.status']);
    await flow.confirm();
    expect(bridge.calls.map(([m]) => m)).toEqual(['deploy.status', 'up.purge']);
    expect(flow.getState()).toMatchObject({ step: 'idle', result: 'Uninstalled release shop from namespace dev. Removed 3 objects.', error: null });
    expect(purged).toBe(1);
  });

  it('does nothing when the user cancels the question', async () => {
    const bridge = createFakeBridge({ 'deploy.status': () => status, 'up.purge': () => ({ release: 'shop', removed: 3 }) });
    const flow = createPurgeFlow(createApi(bridge), { purged: () => {} });
    await flow.ask();
    flow.cancel();
    await flow.confirm();
    expect(bridge.calls.map(([m]) => m)).toEqual(['deploy.status']);
    expect(flow.getState()).toMatchObject({ step: 'idle', result: null });
  });

  it('still asks when the release cannot be read, and shows a failed purge with its hint', async () => {
    const bridge = createFakeBridge({
      'deploy.status': () => {
        throw new FakeFailure({ code: 'CLUSTER_UNREACHABLE', message: 'Cannot reach the cluster.' });
      },
      'up.purge': () => {
        throw new FakeFailure({ code: 'CLUSTER_FORBIDDEN', message: 'You may not delete Deployments in dev.', hint: 'Ask for the edit role.' });
      },
    });
    let purged = 0;
    const flow = createPurgeFlow(createApi(bridge), { purged: () => purged++ });
    await flow.ask('dev');
    expect(flow.getState()).toMatchObject({ step: 'asking', namespace: 'dev' });
    expect(flow.getState().release).toBeUndefined();
    await flow.confirm();
    expect(flow.getState().error).toEqual({ title: 'Could not uninstall the release', error: { code: 'CLUSTER_FORBIDDEN', message: 'You may not delete Deployments in dev.', hint: 'Ask for the edit role.' } });
    expect(purged).toBe(0);
  });
});

describe('the rollback offer', () => {
  const failedIn = (id: string) => run({ state: 'failed', steps: [step('build', { state: 'done' }), step(id, { state: 'failed' }), step('ports', { state: 'not-run' })] });

  it('is asked for only after a failed deploy or rollout', () => {
    expect(mayOfferRollback(failedIn('deploy'))).toBe(true);
    expect(mayOfferRollback(failedIn('rollout'))).toBe(true);
    expect(mayOfferRollback(failedIn('registry'))).toBe(false);
    expect(mayOfferRollback(run({ state: 'ready' }))).toBe(false);
    expect(mayOfferRollback(null)).toBe(false);
  });

  it('is shown only when deploy.status names a revision to roll back to', () => {
    expect(rollbackOfferFor(failedIn('rollout'), { rollbackTo: 3 })).toBe(3);
    expect(rollbackOfferFor(failedIn('rollout'), {})).toBeNull();
    expect(rollbackOfferFor(failedIn('rollout'), null)).toBeNull();
    expect(rollbackOfferFor(failedIn('build'), { rollbackTo: 3 })).toBeNull();
    const html = renderToStaticMarkup(<RollbackOfferView revision={3} busy={false} onRollback={noop} onOpenDeployment={noop} />);
    expect(text(html)).toBe('|The previous revision 3 is still running. Roll back to it?|Roll back to revision 3…|Open the Deployment panel|');
  });
});

describe('how far a run is', () => {
  const steps = [
    step('connect', { state: 'done' }),
    step('namespace', { state: 'done' }),
    step('registry', { state: 'skipped' }),
    step('build', { state: 'running', progress: 0.5 }),
    step('deploy'),
    step('rollout'),
    step('ports'),
    step('ready'),
  ];

  it('prefixes the title while running and gives it back when done', () => {
    const progress = { finished: 3, total: 8, fraction: 3.5 / 8 };
    expect(titleFor('DevSpace Desktop', run({ steps, progress }))).toBe('(3/8) DevSpace Desktop');
    expect(titleFor('DevSpace Desktop', run({ steps, progress, state: 'ready' }))).toBe('DevSpace Desktop');
    expect(titleFor('DevSpace Desktop', null)).toBe('DevSpace Desktop');
  });
});
