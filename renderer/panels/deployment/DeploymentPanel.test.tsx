// What the Deployment panel shows for each state of the release (rendered to HTML, no browser needed).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeploymentView, DevspaceApi, ManifestPreview } from '../../../preload/api';
import { createAppStore } from '../../state/appStore';
import { StoreProvider } from '../../state/StoreContext';
import { DeploymentBody, DeploymentPanel, type Tab } from './DeploymentPanel';
import { canRollBackTo, phaseTone, revisionTone, rollbackQuestion, shortAge } from './deploymentFormat';
import { RollbackDialog } from './DeploymentViews';

const NOW = new Date('2026-12-04T18:00:00Z');
const noop = () => {};
const copy = async () => {};

const deployed: DeploymentView = {
  release: 'shop',
  namespace: 'dev',
  engine: 'helm3',
  current: { revision: 2, status: 'deployed', updated: '2026-12-04T17:57:00Z', description: 'Upgrade complete', chart: 'shop-0.1.0' },
  history: [
    { revision: 2, status: 'deployed', updated: '2026-12-04T17:57:00Z', description: 'Upgrade complete', chart: 'shop-0.1.0' },
    { revision: 1, status: 'superseded', updated: '2026-12-04T15:00:00Z', description: 'Install complete', chart: 'shop-0.1.0' },
  ],
  pods: [{ name: 'shop-7d9f-x2', phase: 'Running', ready: '1/1', restarts: 0, startedAt: '2026-12-04T17:57:30Z', node: 'node-1' }],
  events: [
    { type: 'Normal', reason: 'Started', message: 'Started container dev', object: 'Pod/shop-7d9f-x2', count: 1, lastSeen: '2026-12-04T17:57:40Z' },
    { type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up replica set shop-7d9f to 1', object: 'Deployment/shop', count: 2, lastSeen: '2026-12-04T17:57:00Z' },
  ],
};

const failed: DeploymentView = {
  ...deployed,
  current: { revision: 3, status: 'failed', updated: '2026-12-04T17:59:00Z', description: 'Upgrade "shop" failed: Deployment "shop" is invalid' },
  history: [{ revision: 3, status: 'failed', updated: '2026-12-04T17:59:00Z' }, ...deployed.history],
  pods: [
    ...deployed.pods,
    {
      name: 'shop-5c4b-q8',
      phase: 'Pending',
      ready: '0/1',
      restarts: 0,
      startedAt: '2026-12-04T17:59:10Z',
      node: 'node-1',
      problem: 'The container "dev" of pod shop-5c4b-q8 cannot pull its image "localhost:5000/shop:nope" from localhost:5000 (ImagePullBackOff).',
    },
  ],
  events: [{ type: 'Warning', reason: 'Failed', message: 'Failed to pull image "localhost:5000/shop:nope": not found', object: 'Pod/shop-5c4b-q8', count: 3, lastSeen: '2026-12-04T17:59:30Z' }, ...deployed.events],
  rollbackTo: 2,
};

const empty: DeploymentView = { release: 'shop', namespace: 'dev', engine: 'helm3', current: null, history: [], pods: [], events: [] };

function body(p: { tab?: Tab; view?: DeploymentView | null; error?: Parameters<typeof DeploymentBody>[0]['error']; manifests?: ManifestPreview | null }) {
  const html = renderToStaticMarkup(
    <DeploymentBody
      tab={p.tab ?? 'overview'}
      view={p.view ?? null}
      error={p.error ?? null}
      manifests={p.manifests ?? null}
      manifestsError={null}
      manifestsBusy={false}
      now={NOW}
      busy={false}
      onRollback={noop}
      onCopy={copy}
    />,
  );
  return { html, text: html.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|').replaceAll('&quot;', '"').replaceAll('&#x27;', "'") };
}

describe('the deployment panel', () => {
  it('says what it is doing before the first answer', () => {
    const api = { deploy: { status: () => new Promise(noop) }, on: () => noop } as unknown as DevspaceApi;
    const html = renderToStaticMarkup(
      <StoreProvider store={createAppStore(api)} api={api}>
        <DeploymentPanel project={{ path: '/p', name: 'p', hasDevspaceConfig: true, hasDockerfile: true, hasChart: true, selection: {} }} active />
      </StoreProvider>,
    );
    expect(html).toContain('Reading the release…');
    expect(html).toContain('role="tablist"');
    expect(html).toMatch(/role="tab"[^>]*aria-selected="true"[^>]*>Overview</);
  });

  it('shows the empty state when nothing is deployed', () => {
    const { text, html } = body({ view: empty });
    expect(text).toContain('|Nothing deployed yet — click Up.|');
    expect(text).toContain('Release “shop” in namespace dev has no revisions.');
    expect(html).not.toContain('aria-label="Pods"');
    expect(html).not.toContain('aria-label="Revisions"');
  });

  it('shows a deployed release: header, pods, events and history with rollback for the older revision', () => {
    const { text, html } = body({ view: deployed });
    expect(text).toContain('|Release|shop|Namespace|dev|Engine|Helm 3|');
    expect(text).toContain('|Revision 2|deployed|updated 3 minutes ago|Upgrade complete|');
    expect(html).toContain('aria-label="Pods"');
    expect(text).toContain('|shop-7d9f-x2|Running|1/1|0|2m|node-1|');
    expect(html).not.toContain('deployment-problem"');
    expect(text).toContain('|Events |2|');
    expect(text).toContain('|ScalingReplicaSet|Deployment/shop|×2|3m|Scaled up replica set shop-7d9f to 1|');
    expect(html).not.toContain('data-type="Warning"');
    expect(html).toContain('aria-label="Revisions"');
    // only the older revision can be rolled back to
    expect(html).toContain('aria-label="Roll back to revision 1"');
    expect(html).not.toContain('aria-label="Roll back to revision 2"');
    expect(html).not.toContain('aria-label="Rollback offer"');
  });

  it('offers the rollback when the latest revision failed, and shows the pod problem and the Warning', () => {
    const { text, html } = body({ view: failed });
    expect(html).toContain('aria-label="Rollback offer"');
    expect(text).toContain('|Revision 3 failed. Revision 2 is what still runs.|');
    expect(text).toContain('|Roll back to revision 2|');
    expect(html).toContain('aria-label="Problem of pod shop-5c4b-q8"');
    expect(text).toContain('cannot pull its image "localhost:5000/shop:nope" from localhost:5000 (ImagePullBackOff).');
    expect(html).toMatch(/class="deployment-event warning" data-type="Warning"/);
    expect(text).toContain('|Failed|Pod/shop-5c4b-q8|×3|30s|');
    expect(text).toContain('|3|failed|');
  });

  it('says when the pods of a deployed revision cannot run', () => {
    const { text } = body({ view: { ...failed, current: { ...deployed.current!, revision: 3 }, history: [{ ...deployed.history[0]!, revision: 3 }, { ...deployed.history[0]!, status: 'superseded' }] } });
    expect(text).toContain('|The pods of revision 3 cannot run. Revision 2 is what still runs.|');
  });

  it('shows an error with its hint, and keeps the last view beneath it', () => {
    const error = { code: 'CLUSTER_UNREACHABLE' as const, message: 'Nothing answers at https://127.0.0.1:6443 (connection refused).', hint: 'Is the cluster running?' };
    const alone = body({ error });
    expect(alone.html).toContain('data-error-code="CLUSTER_UNREACHABLE"');
    expect(alone.text).toContain('|Could not read the deployment|Nothing answers at https://127.0.0.1:6443 (connection refused).|Is the cluster running?|');
    expect(alone.text).not.toContain('Reading the release');
    expect(body({ error, view: deployed }).text).toContain('|Revision 2|deployed|');
  });

  it('lists the rendered objects with their source, YAML behind a disclosure, a Copy button, warnings and notes', () => {
    const manifests: ManifestPreview = {
      release: 'shop',
      objects: [
        { kind: 'Service', name: 'shop', source: 'shop/templates/service.yaml', yaml: 'apiVersion: v1\nkind: Service\n' },
        { kind: 'Deployment', name: 'shop', source: 'shop/templates/deployment.yaml', yaml: 'kind: Deployment\nimage: "localhost:5000/shop:devspace-abc"\n' },
      ],
      notes: 'Thanks for installing',
      warnings: ['templates/extra.yaml is left out: execution error'],
    };
    const { text, html } = body({ tab: 'manifests', manifests });
    expect(html).toContain('aria-label="Rendered objects"');
    expect(html).toContain('aria-label="Deployment shop"');
    expect(text).toContain('|Deployment|shop|shop/templates/deployment.yaml|Copy|kind: Deployment\nimage: "localhost:5000/shop:devspace-abc"\n|');
    expect(html).toContain('aria-label="Copy Deployment shop"');
    expect(text).toContain('|templates/extra.yaml is left out: execution error|');
    expect(text).toContain('|Notes (NOTES.txt)|Thanks for installing|');
  });

  it('asks before rolling back, naming both revisions', () => {
    const html = renderToStaticMarkup(<RollbackDialog view={failed} target={2} busy={false} onConfirm={noop} onCancel={noop} />);
    expect(html).toContain('aria-labelledby="rollback-title"');
    const text = html.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|').replaceAll('&quot;', '"').replaceAll('&#x27;', "'");
    expect(text).toContain('|Roll back the release?|Roll back release "shop" from revision 3 to revision 2? This makes a new revision with revision 2\'s chart and values, as helm rollback does.|Roll back to revision 2|Cancel|');
  });
});

describe('the deployment panel wording', () => {
  it('formats ages like kubectl and picks tones', () => {
    expect(shortAge(undefined, NOW)).toBe('');
    expect(shortAge('nonsense', NOW)).toBe('');
    expect(shortAge('2026-12-04T17:59:15Z', NOW)).toBe('45s');
    expect(shortAge('2026-12-04T17:48:00Z', NOW)).toBe('12m');
    expect(shortAge('2026-12-04T15:00:00Z', NOW)).toBe('3h');
    expect(shortAge('2026-12-01T18:00:00Z', NOW)).toBe('3d');
    expect(shortAge('2026-12-04T18:00:05Z', NOW)).toBe('0s');
    expect(revisionTone('deployed')).toBe('ok');
    expect(revisionTone('failed')).toBe('danger');
    expect(revisionTone('pending-upgrade')).toBe('warn');
    expect(revisionTone('superseded')).toBe('muted');
    expect(phaseTone('Running', '1/1', undefined)).toBe('ok');
    expect(phaseTone('Running', '0/1', undefined)).toBe('warn');
    expect(phaseTone('Pending', '0/1', 'cannot pull')).toBe('danger');
  });

  it('offers rollback for every revision but the current one', () => {
    expect(failed.history.map((r) => canRollBackTo(failed, r))).toEqual([false, true, true]);
    expect(rollbackQuestion(failed, 1)).toBe('Roll back release "shop" from revision 3 to revision 1?');
  });
});
