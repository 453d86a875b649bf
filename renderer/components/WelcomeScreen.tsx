// What the user sees with no project open: the app, "Open project…", and the recent projects.
import { useApp, useAppStore } from '../state/StoreContext';
import '../styles/welcome.css';
import { ErrorNotice } from './ErrorNotice';
import { Icon } from './Icon';
import { Logo } from './Logo';
import { RecentProjectList } from './RecentProjectList';
import { baseName } from '../state/folderPath';

export function WelcomeScreen() {
  const store = useAppStore();
  const startupError = useApp((s) => s.startupError);
  const openFailure = useApp((s) => s.openFailure);
  const folderBrowserOpen = useApp((s) => s.folderBrowserOpen);
  const version = useApp((s) => s.appInfo?.version);

  return (
    <main className="welcome">
      <div className="welcome-column">
        <header className="welcome-hero">
          <Logo size={56} />
          <div className="welcome-titles">
            <h1>DevSpace Desktop</h1>
            <p>Build, deploy and develop in Kubernetes — without local Docker, Helm or kubectl.</p>
          </div>
        </header>

        <div className="welcome-actions">
          <button type="button" className="button primary large" onClick={() => void store.getState().pickProject()}>
            <Icon name="folderOpen" />
            Open project…
          </button>
          <span className="welcome-actions-note">Pick the folder with your code; a Dockerfile and chart are generated if it has none.</span>
        </div>

        {startupError ? <ErrorNotice error={startupError} title="DevSpace Desktop could not start properly" /> : null}
        {openFailure && !folderBrowserOpen ? (
          <ErrorNotice
            error={openFailure.error}
            title={openFailure.path ? `Could not open ${baseName(openFailure.path)}` : 'Could not open the project'}
            onDismiss={() => store.getState().dismissOpenFailure()}
          />
        ) : null}

        <RecentProjectList />
      </div>
      {version ? <footer className="welcome-footer">Version {version}</footer> : null}
    </main>
  );
}
