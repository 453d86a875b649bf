// What the Settings form shows in each state (rendered to HTML, no browser needed), and the draft
// rules that run as the user types.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ProjectSettings } from '../../../preload/api';
import { checkDraft, draftFrom, isDirty, settingsFrom } from './settingsDraft';
import { SettingsForm } from './SettingsPanel';

const DEFAULTS: ProjectSettings = { builder: 'kaniko', registry: { kind: 'in-cluster' }, deployEngine: 'helm3' };
const noop = () => {};
const render = (p: Partial<Parameters<typeof SettingsForm>[0]>) =>
  renderToStaticMarkup(<SettingsForm draft={draftFrom(DEFAULTS)} dirty={false} busy={false} justSaved={false} loadError={null} saveError={null} onChange={noop} onSave={noop} onDismissError={noop} {...p} />);
const text = (html: string) => html.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|').replaceAll('&quot;', '"');
const checked = (html: string) => [...html.matchAll(/<input type="radio" name="(\w+)" checked="" value="([\w-]+)"/g)].map((m) => `${m[1]}=${m[2]}`);

describe('the Settings form', () => {
  it('shows the choices with the saved ones selected, the Kaniko image only for Kaniko, Save disabled until changed', () => {
    const html = render({});
    expect(checked(html)).toEqual(['builder=kaniko', 'registry=in-cluster', 'deployEngine=helm3']);
    const t = text(html);
    for (const label of ['Kaniko in the cluster (no local Docker needed)', 'Local Docker daemon', 'In-cluster registry (deployed by the app)', 'External registry', 'Helm 3 (default)', 'Tiller (Helm 2)', 'Kaniko image']) expect(t).toContain(`|${label}|`);
    expect(t).not.toContain('Registry URL');
    expect(html).toMatch(/<button type="button" class="button primary" disabled="">Save<\/button>/);

    const docker = render({ draft: { ...draftFrom(DEFAULTS), builder: 'docker', registryKind: 'external', url: 'ghcr.io/acme', insecure: true, deployEngine: 'tiller' }, dirty: true });
    expect(checked(docker)).toEqual(['builder=docker', 'registry=external', 'deployEngine=tiller']);
    expect(text(docker)).not.toContain('Kaniko image');
    expect(docker).toContain('value="ghcr.io/acme"');
    expect(docker).toMatch(/<input type="checkbox" checked=""\/>Insecure/);
    expect(docker).toMatch(/<button type="button" class="button primary">Save<\/button>/);
    expect(text(docker)).toContain('|You have unsaved changes.|');
  });

  it('shows a bad URL beside its field and keeps Save disabled', () => {
    const html = render({ draft: { ...draftFrom(DEFAULTS), registryKind: 'external', url: 'https://ghcr.io/acme' }, dirty: true });
    expect(html).toContain('aria-invalid="true"');
    expect(text(html)).toContain('Leave out "https://"');
    expect(html).toMatch(/class="button primary" disabled="">Save/);
  });

  it('puts the app\'s field error beside the field, other save errors on top; says where it saved', () => {
    const draft = { ...draftFrom(DEFAULTS), registryKind: 'external' as const, url: 'ghcr.io/acme' };
    const fieldErr = render({ draft, dirty: true, saveError: { code: 'INVALID_ARGUMENT', message: 'Registry URL: port 0 is not a port number.' } });
    expect(fieldErr).toMatch(/class="settings-field-error" role="alert">port 0 is not a port number\.</);
    expect(text(fieldErr)).not.toContain('The settings were not saved');
    const fileErr = render({ draft, dirty: true, saveError: { code: 'CONFIG_INVALID', message: '.devspace/config.yaml does not exist yet.', hint: 'Click Up once; the first Up writes .devspace/config.yaml' } });
    expect(text(fileErr)).toContain('|The settings were not saved|.devspace/config.yaml does not exist yet.|Click Up once; the first Up writes .devspace/config.yaml|');
    expect(fileErr).toContain('value="ghcr.io/acme"');
    expect(text(render({ justSaved: true }))).toContain('|Saved to .devspace/config.yaml|');
  });

  it('shows the in-cluster registry\'s port, namespace and images with their defaults, only while it is chosen; a field error sits beside its field', () => {
    const t = text(render({}));
    expect(t).toContain('|Port on every node|Namespace|Registry image|Node proxy image|');
    expect(t).toContain('nodes pull it as localhost:5000');
    const html = render({});
    for (const placeholder of ['5000', 'devspace-registry', 'registry:2', 'alpine/socat:latest']) expect(html).toContain(`placeholder="${placeholder}"`);
    const custom = render({ draft: { ...draftFrom({ ...DEFAULTS, inClusterRegistry: { port: 5001, image: 'mirror.local/registry:2' } }) }, dirty: true });
    expect(custom).toContain('value="5001"');
    expect(custom).toContain('value="mirror.local/registry:2"');
    expect(text(custom)).toContain('nodes pull it as localhost:5001');
    expect(text(render({ draft: { ...draftFrom(DEFAULTS), registryKind: 'external', url: 'ghcr.io/acme' } }))).not.toContain('Port on every node');
    const bad = render({ draft: { ...draftFrom(DEFAULTS), regPort: '70000' }, dirty: true });
    expect(bad).toMatch(/role="alert">A port number from 1 to 65535 that is free on every node, or empty for 5000\.</);
    expect(bad).toMatch(/class="button primary" disabled="">Save/);
    const server = render({ draft: draftFrom(DEFAULTS), dirty: true, saveError: { code: 'INVALID_ARGUMENT', message: 'Registry proxy image: "x y" is not an image name.' } });
    expect(server).toMatch(/role="alert">&quot;x y&quot; is not an image name\.</);
    expect(text(server)).not.toContain('The settings were not saved');
  });

  it('says it is reading, or why it could not', () => {
    expect(text(render({ draft: null }))).toContain('Reading .devspace/config.yaml…');
    expect(text(render({ draft: null, loadError: { code: 'NO_PROJECT', message: 'Open a project first.' } }))).toContain('|Could not read the settings|Open a project first.|');
  });
});

describe('the settings draft', () => {
  it('round-trips settings and keeps the URL while in-cluster is chosen', () => {
    const ext: ProjectSettings = { builder: 'docker', registry: { kind: 'external', url: 'ghcr.io/acme', insecure: false }, deployEngine: 'tiller', kanikoImage: 'k:1' };
    expect(settingsFrom(draftFrom(ext))).toEqual(ext);
    const d = { ...draftFrom(ext), registryKind: 'in-cluster' as const };
    expect(settingsFrom(d).registry).toEqual({ kind: 'in-cluster' });
    expect(d.url).toBe('ghcr.io/acme');
    expect(isDirty(draftFrom(ext), ext)).toBe(false);
    expect(isDirty({ ...draftFrom(ext), url: 'ghcr.io/acme/' }, ext)).toBe(false);
    expect(isDirty({ ...draftFrom(ext), insecure: true }, ext)).toBe(true);
  });

  it('round-trips the in-cluster registry fields; empty fields are the defaults', () => {
    const s: ProjectSettings = { ...DEFAULTS, inClusterRegistry: { port: 5001, namespace: 'team-reg', image: 'm/registry:2', proxyImage: 'm/socat:1' } };
    expect(settingsFrom(draftFrom(s))).toEqual(s);
    expect(settingsFrom({ ...draftFrom(s), regPort: ' ', regNamespace: '', regImage: '', regProxyImage: '' })).toEqual(DEFAULTS);
    expect(isDirty({ ...draftFrom(s), regPort: '5002' }, s)).toBe(true);
    const e = (patch: Partial<ReturnType<typeof draftFrom>>) => checkDraft({ ...draftFrom(DEFAULTS), ...patch });
    expect(e({ regPort: '0' }).regPort).toBeDefined();
    expect(e({ regPort: '5x' }).regPort).toBeDefined();
    expect(e({ regPort: '5001' })).toEqual({});
    expect(e({ regNamespace: 'Team' }).regNamespace).toBeDefined();
    expect(e({ regImage: 'https://x/registry' }).regImage).toBeDefined();
    expect(e({ regProxyImage: 'a b' }).regProxyImage).toBeDefined();
  });

  it('checks the URL like the app does', () => {
    const e = (url: string) => checkDraft({ ...draftFrom(DEFAULTS), registryKind: 'external', url }).url;
    expect(e('ghcr.io/acme')).toBeUndefined();
    expect(e('registry.example.com:5000/team')).toBeUndefined();
    expect(e('')).toMatch(/Enter the registry/);
    expect(e('http://x.io')).toMatch(/Leave out "http:\/\/"/);
    expect(e('me:pw@x.io')).toMatch(/No user name or password/);
    expect(e('x.io:99999')).toMatch(/not a port number/);
    expect(e('x.io/Team')).toMatch(/lower-case path/);
    expect(checkDraft({ ...draftFrom(DEFAULTS), url: 'https://ignored-while-in-cluster' })).toEqual({});
  });
});
