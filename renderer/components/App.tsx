// The window: the welcome screen while no project is open, else the project view; the folder
// browser dialog and the connection banner sit on top of either.
import { useApp } from '../state/StoreContext';
import '../styles/app.css';
import { ConnectionBanner } from './ConnectionBanner';
import { FolderBrowserDialog } from './FolderBrowserDialog';
import { Logo } from './Logo';
import { ProjectView } from './ProjectView';
import { WelcomeScreen } from './WelcomeScreen';

export function App() {
  const started = useApp((s) => s.started);
  const project = useApp((s) => s.project);
  const folderBrowserOpen = useApp((s) => s.folderBrowserOpen);
  const homeDir = useApp((s) => s.appInfo?.homeDir);

  return (
    <div className="app">
      <ConnectionBanner />
      <div className="app-body">
        {project ? (
          <ProjectView project={project} />
        ) : started ? (
          <WelcomeScreen />
        ) : (
          <div className="splash" aria-busy="true">
            <Logo size={48} />
          </div>
        )}
      </div>
      {folderBrowserOpen && homeDir ? <FolderBrowserDialog homeDir={homeDir} /> : null}
    </div>
  );
}
