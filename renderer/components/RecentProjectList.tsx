// The recent projects on the welcome screen: click to open, remove from the list; a folder that
// is gone is shown greyed with the reason and can only be removed.
import type { RecentProject } from '../../preload/api';
import { fullTime, relativeTime } from '../format/relativeTime';
import { useApp, useAppStore } from '../state/StoreContext';
import '../styles/welcome.css';
import { ErrorNotice } from './ErrorNotice';
import { Icon } from './Icon';

export function RecentProjectList() {
  const recents = useApp((s) => s.recents);
  const recentsError = useApp((s) => s.recentsError);
  const now = new Date();

  return (
    <section className="recents" aria-labelledby="recents-title">
      <h2 id="recents-title" className="section-title">
        Recent projects
      </h2>
      {recentsError ? <ErrorNotice error={recentsError} tone="warn" /> : null}
      {recents.length === 0 && !recentsError ? (
        <div className="recents-empty">
          <Icon name="folder" size={20} />
          <span>No recent projects yet. Projects you open appear here.</span>
        </div>
      ) : (
        <ul className="recents-list" aria-label="Recent projects">
          {recents.map((recent) => (
            <RecentProjectItem key={recent.path} recent={recent} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}

function RecentProjectItem({ recent, now }: { recent: RecentProject; now: Date }) {
  const store = useAppStore();
  const opening = useApp((s) => s.opening);
  const isOpening = opening === recent.path;

  const details = (
    <>
      <Icon name="folder" size={18} className="recent-icon" />
      <span className="recent-text">
        <span className="recent-name">{recent.name}</span>
        <span className="recent-path mono" title={recent.path}>
          {recent.path}
        </span>
        {!recent.available ? <span className="recent-problem">{recent.problem ?? 'This folder cannot be opened.'}</span> : null}
      </span>
      <span className="recent-when" title={`Last opened ${fullTime(recent.lastOpened)}`}>
        {isOpening ? <span className="spinner" aria-label="Opening" /> : relativeTime(recent.lastOpened, now)}
      </span>
    </>
  );

  return (
    <li className={`recent ${recent.available ? '' : 'unavailable'}`} aria-label={recent.name}>
      {recent.available ? (
        <button
          type="button"
          className="recent-open"
          disabled={opening !== null}
          onClick={() => void store.getState().openProject(recent.path)}
          title={`Open ${recent.path}`}
        >
          {details}
        </button>
      ) : (
        <div className="recent-open" aria-disabled="true">
          {details}
        </div>
      )}
      <button
        type="button"
        className="icon-button recent-remove"
        aria-label={`Remove ${recent.name} from recent projects`}
        title="Remove from recent projects"
        onClick={() => void store.getState().removeRecent(recent.path)}
      >
        <Icon name="x" size={14} />
      </button>
    </li>
  );
}
