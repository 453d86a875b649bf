// A project is open: its header, the panels sidebar and the current panel (Cluster for now).
import type { ProjectInfo } from '../../preload/api';
import '../styles/projectView.css';
import { ClusterPanel } from './ClusterPanel';
import { PanelNav } from './PanelNav';
import { ProjectFilesCard } from './ProjectFilesCard';
import { ProjectHeader } from './ProjectHeader';

export function ProjectView({ project }: { project: ProjectInfo }) {
  return (
    <div className="project-view">
      <ProjectHeader project={project} />
      <div className="project-body">
        <PanelNav />
        <main className="project-main" aria-label="Cluster">
          <ClusterPanel />
          <ProjectFilesCard project={project} />
        </main>
      </div>
    </div>
  );
}
