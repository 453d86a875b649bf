// What the Registry panel shows for each registry state and for logins (rendered to HTML).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RegistryLogin, RegistryView } from '../../../preload/api';
import { LoginsCard, RegistryStatusCard } from './RegistryPanel';
import { EMPTY_LOGIN, loginProblem, nodesLine } from './registryView';

const noop = () => {};
const text = (html: string) => html.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|').replaceAll('&quot;', '"');
const inCluster: RegistryView = {
  kind: 'in-cluster',
  pushHost: 'devspace-registry.devspace-registry.svc.cluster.local:5000',
  pullHost: 'localhost:5000',
  repository: 'localhost:5000/shop',
  state: 'ready',
  storage: 'emptyDir',
  nodes: { ready: 1, total: 1 },
  tags: [
    { tag: 'bbbb2222', current: true },
    { tag: 'aaaa1111', current: false },
  ],
  warnings: ['The in-cluster registry keeps images in an emptyDir volume: pushed images are lost when its pod restarts.'],
};
const status = (view: RegistryView | null, p: Partial<Parameters<typeof RegistryStatusCard>[0]> = {}) => renderToStaticMarkup(<RegistryStatusCard view={view} error={null} loading={false} onRefresh={noop} onRemove={noop} {...p} />);

describe('the registry status card', () => {
  it('in-cluster and ready: badge, storage warning, repository, tags with the current one marked, Remove', () => {
    const html = status(inCluster);
    const t = text(html);
    expect(html).toContain('data-state="ready"');
    expect(t).toContain('|In-cluster registry (deployed by the app)|');
    expect(t).toContain('|Ready|');
    expect(t).toContain('emptyDir volume');
    expect(t).toContain('|Nodes that can pull|All 1 node|Storage|emptyDir (images are lost when the registry pod restarts)|');
    expect(t).toContain('|Repository|localhost:5000/shop|');
    expect(t).toContain('|Tags of this project|bbbb2222|Running in the cluster|aaaa1111|');
    expect(html).toContain('<li class="current"><code>bbbb2222</code>');
    expect(t).toContain('Remove registry');
  });

  it('not deployed: message + hint, no Remove; external and unauthorized: the registry\'s words', () => {
    const nd = text(status({ ...inCluster, state: 'not-deployed', storage: undefined, tags: [], warnings: [], message: 'The in-cluster registry is not deployed in namespace "devspace-registry".', hint: 'The next Up deploys it.' }));
    expect(nd).toContain('|Not deployed|');
    expect(nd).toContain('|The in-cluster registry is not deployed in namespace "devspace-registry".|The next Up deploys it.|');
    expect(nd).not.toContain('Remove registry');
    // Not deployed is expected before the first Up: a neutral status, not an alert.
    const ndHtml = status({ ...inCluster, state: 'not-deployed', storage: undefined, tags: [], warnings: [], message: 'not deployed', hint: 'The next Up deploys it.' });
    expect(ndHtml).toContain('class="notice info" role="status"');
    expect(ndHtml).not.toContain('role="alert"');
    expect(nd).toContain('Tags show once Up has deployed the registry and pushed an image.');
    const ext = text(
      status({ kind: 'external', pushHost: 'ghcr.io', pullHost: 'ghcr.io', repository: 'ghcr.io/acme/shop', state: 'unauthorized', message: 'The registry ghcr.io needs a login.', hint: 'Add a username and password.', tags: [], warnings: [] }),
    );
    expect(ext).toContain('|External registry ghcr.io|');
    expect(ext).toContain('|Login rejected|');
    expect(ext).toContain('|The registry ghcr.io needs a login.|Add a username and password.|');
    expect(ext).not.toContain('Remove registry');
    expect(ext).not.toContain('Storage');
  });

  it('says how many nodes can pull through the registry proxy', () => {
    const view = (nodes?: { ready: number; total: number }) => ({ ...inCluster, ...(nodes ? { nodes } : { nodes: undefined }) });
    expect(nodesLine(view({ ready: 3, total: 3 }))).toBe('All 3 nodes');
    expect(nodesLine(view({ ready: 1, total: 3 }))).toBe('1 of 3 nodes (the others cannot pull yet)');
    expect(nodesLine(view({ ready: 0, total: 0 }))).toBe('No node runs the registry proxy yet');
    expect(nodesLine(view())).toBeNull();
    expect(text(status({ ...inCluster, state: 'starting', nodes: { ready: 1, total: 2 } }))).toContain('|Nodes that can pull|1 of 2 nodes (the others cannot pull yet)|');
  });

  it('says it is checking, or why it could not', () => {
    expect(text(status(null))).toContain('Checking the registry…');
    expect(text(status(null, { error: { code: 'CLUSTER_UNREACHABLE', message: 'The cluster cannot be reached.', hint: 'Check the VPN.' } }))).toContain('|Could not check the registry|The cluster cannot be reached.|Check the VPN.|');
  });
});

describe('the logins card', () => {
  const logins: RegistryLogin[] = [
    { host: '127.0.0.1:5001', username: 'alice', passwordMask: 'S3••••ts', source: 'app' },
    { host: 'ghcr.io', username: 'bob', passwordMask: '••••••', source: 'docker-config', helper: 'docker-credential-pass' },
  ];
  const card = (p: Partial<Parameters<typeof LoginsCard>[0]> = {}) =>
    renderToStaticMarkup(<LoginsCard logins={logins} error={null} draft={EMPTY_LOGIN} loginError={null} busy={false} onDraft={noop} onLogin={noop} onLogout={noop} {...p} />);

  it('lists host, user, masked password and source; Log out only for the app\'s logins', () => {
    const html = card();
    const t = text(html);
    expect(t).toContain('|127.0.0.1:5001|alice|S3••••ts|This app|Log out|');
    expect(t).toContain('|ghcr.io|bob|••••••|Docker (docker-credential-pass)|read-only|');
    expect(html.match(/Log out of /g)).toHaveLength(1);
  });

  it('keeps what the user typed next to the error of a rejected login', () => {
    const draft = { host: '127.0.0.1:5001', username: 'alice', password: 'typo', insecure: false };
    const html = card({ draft, loginError: { code: 'REGISTRY_UNAUTHORIZED', message: '127.0.0.1:5001 rejected the login of "alice": wrong user name or password.' } });
    expect(html).toContain('value="127.0.0.1:5001"');
    expect(html).toContain('value="alice"');
    expect(html).toContain('data-error-code="REGISTRY_UNAUTHORIZED"');
    expect(text(html)).toContain('|Login failed|127.0.0.1:5001 rejected the login of "alice": wrong user name or password.|');
    expect(html).toMatch(/<button type="submit" class="button primary">Log in<\/button>/);
    expect(card()).toMatch(/<button type="submit" class="button primary" disabled="">Log in<\/button>/);
    expect(text(card({ logins: [] }))).toContain('No logins yet.');
  });

  it('asks for each missing field', () => {
    expect(loginProblem(EMPTY_LOGIN)).toMatch(/host/);
    expect(loginProblem({ ...EMPTY_LOGIN, host: 'ghcr.io' })).toMatch(/user name/);
    expect(loginProblem({ ...EMPTY_LOGIN, host: 'ghcr.io', username: 'a' })).toMatch(/password/);
    expect(loginProblem({ host: 'ghcr.io', username: 'a', password: 'p', insecure: false })).toBeNull();
  });
});
