// The project's Settings: builder, registry (and the in-cluster registry's port, namespace and
// images), deploy engine and Kaniko image, saved into
// .devspace/config.yaml (the app changes only those keys and keeps the user's comments). Field
// problems show beside the field; a failed save keeps what the user typed.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError, ProjectInfo, ProjectSettings } from '../../../preload/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useApi } from '../../state/StoreContext';
import { errorValue } from '../../state/errorValue';
import '../../styles/controls.css';
import '../../styles/projectView.css';
import { checkDraft, type DraftField, draftFrom, IN_CLUSTER_DEFAULTS, isDirty, type SettingsDraft, settingsFrom } from './settingsDraft';
import './settings.css';

export function SettingsPanel({ project, active }: { project: ProjectInfo; active: boolean }) {
  const api = useApi();
  const [saved, setSaved] = useState<ProjectSettings | null>(null);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const dirty = draft ? isDirty(draft, saved) : false;

  const load = useCallback(
    (keepEdits: boolean) => {
      let live = true;
      api.settings
        .get()
        .then((s) => {
          if (!live) return;
          setLoadError(null);
          setSaved(s);
          setDraft((d) => (keepEdits && d ? d : draftFrom(s)));
        })
        .catch((err: unknown) => live && setLoadError(errorValue(err)));
      return () => {
        live = false;
      };
    },
    [api],
  );
  useEffect(() => load(false), [load, project.path]);
  // Back on the panel: pick up edits made to config.yaml meanwhile, unless the user has their own.
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  useEffect(() => (active && !dirtyRef.current ? load(false) : undefined), [active, load]);

  const save = async () => {
    if (!draft) return;
    setBusy(true);
    setSaveError(null);
    setJustSaved(false);
    try {
      const result = await api.settings.update(settingsFrom(draft));
      setSaved(result);
      setDraft(draftFrom(result));
      setJustSaved(true);
    } catch (err) {
      setSaveError(errorValue(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <SettingsForm
      draft={draft}
      dirty={dirty}
      busy={busy}
      justSaved={justSaved && !dirty}
      loadError={loadError}
      saveError={saveError}
      onChange={(patch) => {
        setJustSaved(false);
        setDraft((d) => (d ? { ...d, ...patch } : d));
      }}
      onSave={() => void save()}
      onDismissError={() => setSaveError(null)}
    />
  );
}

/** The form itself, from plain props (tests render it in each state). */
export function SettingsForm(props: {
  draft: SettingsDraft | null;
  dirty: boolean;
  busy: boolean;
  justSaved: boolean;
  loadError: ApiError | null;
  saveError: ApiError | null;
  onChange: (patch: Partial<SettingsDraft>) => void;
  onSave: () => void;
  onDismissError: () => void;
}) {
  const { draft, onChange } = props;
  const local = useMemo(() => (draft ? checkDraft(draft) : {}), [draft]);
  // The app's own check of a field (it names the field first) shows beside that field too.
  const serverMatch = props.saveError?.code === 'INVALID_ARGUMENT' ? SERVER_FIELDS.find(([prefix]) => props.saveError!.message.startsWith(prefix)) : undefined;
  const serverField = serverMatch?.[1] ?? null;
  const errors: Partial<Record<DraftField, string>> = { ...local };
  if (serverMatch && !errors[serverMatch[1]] && props.saveError) errors[serverMatch[1]] = props.saveError.message.slice(serverMatch[0].length);
  const hasErrors = Object.keys(local).length > 0;

  return (
    <section className="card settings-panel" aria-labelledby="settings-title">
      <header className="card-header">
        <div>
          <h2 id="settings-title">Settings</h2>
          <p className="card-subtitle">How Up builds, pushes and deploys this project. Saved in .devspace/config.yaml (your comments are kept; credentials never go there).</p>
        </div>
        <button type="button" className="button primary" disabled={!draft || props.busy || !props.dirty || hasErrors} onClick={props.onSave}>
          {props.busy ? 'Saving…' : 'Save'}
        </button>
      </header>
      <div className="card-body settings-body">
        {props.loadError ? <ErrorNotice error={props.loadError} title="Could not read the settings" /> : null}
        {props.saveError && !serverField ? <ErrorNotice error={props.saveError} title="The settings were not saved" onDismiss={props.onDismissError} /> : null}
        {!draft && !props.loadError ? (
          <div className="card-loading">
            <span className="spinner" aria-hidden="true" /> Reading .devspace/config.yaml…
          </div>
        ) : null}
        {draft ? (
          <>
            <fieldset className="settings-group">
              <legend>Builder</legend>
              <Radio name="builder" value="kaniko" checked={draft.builder === 'kaniko'} onSelect={() => onChange({ builder: 'kaniko' })} label="Kaniko in the cluster (no local Docker needed)" />
              {draft.builder === 'kaniko' ? (
                <label className="field settings-indent">
                  <span className="field-label">Kaniko image</span>
                  <input
                    className="input"
                    value={draft.kanikoImage}
                    placeholder="the app's default executor image"
                    aria-invalid={errors.kanikoImage ? true : undefined}
                    onChange={(e) => onChange({ kanikoImage: e.target.value })}
                  />
                  <FieldError text={errors.kanikoImage} />
                </label>
              ) : null}
              <Radio name="builder" value="docker" checked={draft.builder === 'docker'} onSelect={() => onChange({ builder: 'docker' })} label="Local Docker daemon" note="DOCKER_HOST, or the default socket" />
            </fieldset>
            <fieldset className="settings-group">
              <legend>Registry</legend>
              <Radio
                name="registry"
                value="in-cluster"
                checked={draft.registryKind === 'in-cluster'}
                onSelect={() => onChange({ registryKind: 'in-cluster' })}
                label="In-cluster registry (deployed by the app)"
                note={`Private, with a generated password; nodes pull it as localhost:${draft.regPort.trim() || IN_CLUSTER_DEFAULTS.port}`}
              />
              {draft.registryKind === 'in-cluster' ? (
                <div className="settings-indent settings-in-cluster" role="group" aria-label="In-cluster registry">
                  <p className="settings-note">Shared by the projects on this cluster that use the same namespace. An empty field uses the default shown.</p>
                  <TextField label="Port on every node" value={draft.regPort} placeholder={IN_CLUSTER_DEFAULTS.port} error={errors.regPort} inputMode="numeric" onChange={(v) => onChange({ regPort: v })} />
                  <TextField label="Namespace" value={draft.regNamespace} placeholder={IN_CLUSTER_DEFAULTS.namespace} error={errors.regNamespace} onChange={(v) => onChange({ regNamespace: v })} />
                  <TextField label="Registry image" value={draft.regImage} placeholder={IN_CLUSTER_DEFAULTS.image} error={errors.regImage} onChange={(v) => onChange({ regImage: v })} />
                  <TextField label="Node proxy image" value={draft.regProxyImage} placeholder={IN_CLUSTER_DEFAULTS.proxyImage} error={errors.regProxyImage} onChange={(v) => onChange({ regProxyImage: v })} />
                </div>
              ) : null}
              <Radio name="registry" value="external" checked={draft.registryKind === 'external'} onSelect={() => onChange({ registryKind: 'external' })} label="External registry" note="Docker Hub, GHCR or any registry; log in to it in the Registry panel" />
              {draft.registryKind === 'external' ? (
                <div className="settings-indent settings-external">
                  <label className="field">
                    <span className="field-label">Registry URL</span>
                    <input
                      className="input"
                      value={draft.url}
                      placeholder="ghcr.io/acme"
                      aria-invalid={errors.url ? true : undefined}
                      onChange={(e) => onChange({ url: e.target.value })}
                    />
                    <FieldError text={errors.url} />
                  </label>
                  <label className="checkbox">
                    <input type="checkbox" checked={draft.insecure} onChange={(e) => onChange({ insecure: e.target.checked })} />
                    Insecure (plain HTTP or an untrusted certificate)
                  </label>
                </div>
              ) : null}
            </fieldset>
            <fieldset className="settings-group">
              <legend>Deploy engine</legend>
              <Radio name="deployEngine" value="helm3" checked={draft.deployEngine === 'helm3'} onSelect={() => onChange({ deployEngine: 'helm3' })} label="Helm 3 (default)" note="Releases `helm list` sees; no Tiller needed" />
              <Radio name="deployEngine" value="tiller" checked={draft.deployEngine === 'tiller'} onSelect={() => onChange({ deployEngine: 'tiller' })} label="Tiller (Helm 2)" note="Deployed automatically where missing" />
            </fieldset>
            <p className={`settings-status${props.justSaved ? ' saved' : ''}`} role="status">
              {props.justSaved ? 'Saved to .devspace/config.yaml' : props.dirty ? 'You have unsaved changes.' : ''}
            </p>
          </>
        ) : null}
      </div>
    </section>
  );
}

/** Server-side field checks name their field first ("Registry port: …"): shown beside that field. */
const SERVER_FIELDS: ReadonlyArray<readonly [string, DraftField]> = [
  ['Registry URL: ', 'url'],
  ['Kaniko image: ', 'kanikoImage'],
  ['Registry port: ', 'regPort'],
  ['Registry namespace: ', 'regNamespace'],
  ['Registry image: ', 'regImage'],
  ['Registry proxy image: ', 'regProxyImage'],
];

function TextField(props: { label: string; value: string; placeholder: string; error: string | undefined; inputMode?: 'numeric'; onChange: (v: string) => void }) {
  return (
    <label className="field">
      <span className="field-label">{props.label}</span>
      <input
        className="input"
        value={props.value}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <FieldError text={props.error} />
    </label>
  );
}

function Radio(props: { name: string; value: string; checked: boolean; onSelect: () => void; label: string; note?: string }) {
  return (
    <label className="settings-radio">
      <input type="radio" name={props.name} value={props.value} checked={props.checked} onChange={props.onSelect} />
      <span className="settings-radio-text">
        <span>{props.label}</span>
        {props.note ? <span className="settings-note">{props.note}</span> : null}
      </span>
    </label>
  );
}

function FieldError({ text }: { text: string | undefined }) {
  return text ? (
    <span className="settings-field-error" role="alert">
      {text}
    </span>
  ) : null;
}
