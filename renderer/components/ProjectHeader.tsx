// The project's title bar: name and path, the Up controls (Up / Cancel / Stop, Force rebuild and
// Purge…) and a way back to the welcome screen to switch projects. It also carries the run's
// signals outside the window (tab title, notifications), since it is shown whenever a project is.
import type { ProjectInfo } from '../../preload/api';
import { RunSignals } from '../notifications/RunSignals';
import { UpControls } from '../panels/pipeline/UpControls';
import type { UpRequestOptions } from '../panels/pipeline/upRequest';
import { useAppStore } from '../state/StoreContext';
import '../styles/projectView.css';
import { Icon } from './Icon';
import { Logo } from './Logo';

export function ProjectHeader({ project, onUp }: { project: ProjectInfo; onUp: (options?: UpRequestOptions) => void }) {
  const store = useAppStore();
  return (
    <header className="project-header">
      <div className="project-identity">
        <Logo size={28} />
        <div className="project-titles">
          <h1 className="project-name">{project.name}</h1>
          <span className="project-path mono selectable" title={project.path}>
            {project.path}
          </span>
        </div>
      </div>
      <div className="project-header-actions">
        <button type="button" className="button ghost" onClick={() => store.getState().closeProject()} title="Back to the welcome screen to open another project">
          <Icon name="arrowLeft" />
          Close project
        </button>
        <UpControls project={project} onUp={onUp} />
      </div>
      <RunSignals project={project} />
    </header>
  );
}
