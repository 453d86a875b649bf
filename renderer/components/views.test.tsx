// What the screens say for a given state, rendered to HTML (no browser needed).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createApi } from '../api/client';
import { createFakeBridge } from '../dev/fakeBridge';
import { createAppStore, type AppState } from '../state/appStore';
import { StoreProvider } from '../state/StoreContext';
import { ClusterPanel } from './ClusterPanel';
import { RecentProjectList } from './RecentProjectList';
import { DEVELOPMENT_PANELS, UPCOMING_PANELS } from '../panels';
import { PanelNav } from './PanelNav';
import { ProjectHeader } from './ProjectHeader';

function render(node: React.ReactNode, state: Partial<AppState> = {}) {
  const api = createApi(createFakeBridge());
  // Server rendering reads the store's initial state, so the situation is set up front.
  const store = createAppStore(api, state);
  return renderToStaticMarkup(
    <StoreProvider store={store} api={api}>
      {node}
    </StoreProvider>,
  );
}

const cluster = createAppStore(createApi(createFakeBridge())).getState().cluster;

describe('views', () => {
  it('a missing kubeconfig is explained, with no context dropdown', () => {
    const html = render(<ClusterPanel />, {
      cluster: { ...cluster, contextsError: { code: 'KUBECONFIG_MISSING', message: 'No kubeconfig found at /h/.kube/config.', hint: 'Set KUBECONFIG.' } },
    });
    expect(html).toContain('No kubeconfig found</h3>');
    expect(html).toContain('No kubeconfig found at /h/.kube/config.');
    expect(html).toContain('Set KUBECONFIG.');
    expect(html).not.toContain('<select');
  });

  it('an unreachable cluster shows the error with its hint beneath', () => {
    const html = render(<ClusterPanel />, {
      cluster: {
        ...cluster,
        contexts: { sources: ['/h/.kube/config'], contexts: [{ name: 'a', cluster: 'a', user: 'u', server: 'https://127.0.0.1:1' }] },
        context: 'a',
        namespace: 'default',
        namespacesError: { code: 'CLUSTER_UNREACHABLE', message: 'x' },
        status: { state: 'error', context: 'a', error: { code: 'CLUSTER_UNREACHABLE', message: 'Cannot reach https://127.0.0.1:1.', hint: 'Is it running?' } },
      },
    });
    expect(html).toMatch(/class="cluster-status error"[^>]*>.*Cannot reach https:\/\/127\.0\.0\.1:1\..*Is it running\?/);
    // Namespaces cannot be listed, so the namespace is typed.
    expect(html).toMatch(/<input id="cluster-namespace"[^>]*value="default"/);
  });

  it('a recent project whose folder is gone can only be removed', () => {
    const html = render(<RecentProjectList />, {
      recents: [{ path: '/gone/app', name: 'app', lastOpened: '2026-01-01T00:00:00Z', available: false, problem: 'Folder no longer exists' }],
    });
    expect(html).toContain('Folder no longer exists');
    expect(html).toContain('aria-disabled="true"');
    expect(html).not.toContain('title="Open /gone/app"');
    expect(html).toContain('aria-label="Remove app from recent projects"');
  });

  it('panels still to come are shown disabled, and Up is enabled', () => {
    const pending = DEVELOPMENT_PANELS.filter((p) => !p.component).length;
    expect(pending).toBeGreaterThanOrEqual(UPCOMING_PANELS.length);
    expect(render(<PanelNav selected="cluster" onSelect={() => {}} />).match(/aria-disabled="true"/g) ?? []).toHaveLength(pending);
    const header = render(<ProjectHeader project={{ path: '/p/app', name: 'app', hasChart: false, hasDockerfile: false, hasDevspaceConfig: false, selection: {} }} onUp={() => {}} />);
    expect(header).toMatch(/<button[^>]*class="button primary up-button"[^>]*>.*Up<\/button>/);
    expect(header).not.toMatch(/<button[^>]*disabled=""[^>]*>.*Up<\/button>/);
  });
});
