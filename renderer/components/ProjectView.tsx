// A project is open: its header, the panels sidebar and the selected panel. Panels stay mounted
// once visited (hidden otherwise) so terminals and log views keep their state.
import { Suspense, useEffect, useState } from 'react';
import type { ProjectInfo } from '../../preload/api';
import { DEVELOPMENT_PANELS } from '../panels';
import { requestUp } from '../panels/pipeline/upRequest';
import { useApi } from '../state/StoreContext';
import '../styles/projectView.css';
import { ClusterPanel } from './ClusterPanel';
import { CLUSTER_PANEL_ID, PanelNav } from './PanelNav';
import { ProjectFilesCard } from './ProjectFilesCard';
import { PanelErrorBoundary } from './PanelErrorBoundary';
import { onPanelRequest } from './panelRequest';
import { ProjectHeader } from './ProjectHeader';

export function ProjectView({ project }: { project: ProjectInfo }) {
  const [selected, setSelected] = useState(CLUSTER_PANEL_ID);
  const [visited, setVisited] = useState<string[]>([CLUSTER_PANEL_ID]);
  const select = (id: string) => {
    setSelected(id);
    setVisited((v) => (v.includes(id) ? v : [...v, id]));
  };
  // A panel may ask for another one (only panels that exist can be shown).
  useEffect(
    () =>
      onPanelRequest((id) => {
        if (DEVELOPMENT_PANELS.some((p) => p.id === id && p.component)) select(id);
      }),
    [],
  );
  // The app menu's "Settings…" opens the project's Settings panel.
  const api = useApi();
  useEffect(() => api.on('menu.command', ({ command }) => command === 'settings' && select('settings')), [api]);
  const label = selected === CLUSTER_PANEL_ID ? 'Cluster' : (DEVELOPMENT_PANELS.find((p) => p.id === selected)?.label ?? selected);
  return (
    <div className="project-view">
      <ProjectHeader
        project={project}
        onUp={(options) => {
          select('pipeline');
          requestUp(options);
        }}
      />
      <div className="project-body">
        <PanelNav selected={selected} onSelect={select} />
        <main className="project-main" aria-label={label}>
          {selected === CLUSTER_PANEL_ID ? (
            <PanelErrorBoundary label="Cluster">
              <ClusterPanel />
              <ProjectFilesCard project={project} />
            </PanelErrorBoundary>
          ) : null}
          {DEVELOPMENT_PANELS.map((p) => {
            const Component = p.component;
            if (!Component || !visited.includes(p.id)) return null;
            const active = selected === p.id;
            return (
              <section key={p.id} className="panel-host" hidden={!active} aria-label={p.label}>
                <PanelErrorBoundary label={p.label}>
                  <Suspense fallback={<p className="panel-loading">Loading {p.label}…</p>}>
                    <Component project={project} active={active} />
                  </Suspense>
                </PanelErrorBoundary>
              </section>
            );
          })}
        </main>
      </div>
    </div>
  );
}
