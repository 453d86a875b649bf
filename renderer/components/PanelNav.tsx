// The panels of a project: Cluster, then the development panels. A panel whose feature has not
// arrived yet is listed disabled, saying when it comes, so the layout is already clear.
import '../styles/projectView.css';
import { DEVELOPMENT_PANELS } from '../panels';
import { Icon } from './Icon';

export const CLUSTER_PANEL_ID = 'cluster';

export function PanelNav({ selected, onSelect }: { selected: string; onSelect: (id: string) => void }) {
  const anyPending = DEVELOPMENT_PANELS.some((p) => !p.component);
  return (
    <nav className="panel-nav" aria-label="Project panels">
      <ul>
        <li>
          <PanelLink id={CLUSTER_PANEL_ID} label="Cluster" icon={<Icon name="cluster" />} selected={selected} onSelect={onSelect} />
        </li>
      </ul>
      <div className="panel-nav-group">
        <span className="panel-nav-heading">Development</span>
        {anyPending ? <span className="panel-nav-note">Some arrive with Up</span> : null}
      </div>
      <ul>
        {DEVELOPMENT_PANELS.map((p) => (
          <li key={p.id}>
            {p.component ? (
              <PanelLink id={p.id} label={p.label} icon={<Icon name={p.icon} />} selected={selected} onSelect={onSelect} />
            ) : (
              <span className="panel-link disabled" aria-disabled="true" title={p.pendingNote ?? `${p.label} is not available yet`}>
                <Icon name={p.icon} />
                {p.label}
              </span>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

function PanelLink(props: { id: string; label: string; icon: React.ReactNode; selected: string; onSelect: (id: string) => void }) {
  const active = props.selected === props.id;
  return (
    <button
      type="button"
      className={`panel-link${active ? ' active' : ''}`}
      aria-current={active ? 'page' : undefined}
      onClick={() => props.onSelect(props.id)}
    >
      {props.icon}
      {props.label}
    </button>
  );
}
