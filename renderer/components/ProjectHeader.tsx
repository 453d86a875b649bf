// The project's title bar: name and path, Up (not available yet) and a way back to the welcome
// screen to switch projects.
import type { ProjectInfo } from '../../preload/api';
import { useAppStore } from '../state/StoreContext';
import '../styles/projectView.css';
import { Icon } from './Icon';
import { Logo } from './Logo';

const UP_NOT_YET = 'Up is not available yet: building, deploying and the dev terminal arrive in a later version.';

export function ProjectHeader({ project }: { project: ProjectInfo }) {
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
        {/* A disabled button gets no hover events in Chromium, so the tooltip sits on a wrapper. */}
        <span className="up-wrap" title={UP_NOT_YET}>
          <button type="button" className="button primary up-button" disabled aria-describedby="up-not-yet">
            <Icon name="play" />
            Up
          </button>
          <span id="up-not-yet" className="visually-hidden">
            {UP_NOT_YET}
          </span>
        </span>
      </div>
    </header>
  );
}
