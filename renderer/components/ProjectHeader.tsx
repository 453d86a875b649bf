// The project's title bar: name and path, Up (which shows the pipeline and starts it) and a way
// back to the welcome screen to switch projects.
import type { ProjectInfo } from '../../preload/api';
import { useAppStore } from '../state/StoreContext';
import '../styles/projectView.css';
import { Icon } from './Icon';
import { Logo } from './Logo';

export function ProjectHeader({ project, onUp }: { project: ProjectInfo; onUp: () => void }) {
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
        <button type="button" className="button primary up-button" onClick={onUp} title="Build, deploy and open the dev container">
          <Icon name="play" />
          Up
        </button>
      </div>
    </header>
  );
}
