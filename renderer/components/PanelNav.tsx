// The panels of a project. Only Cluster exists yet; the rest arrive with Up and are listed,
// disabled and saying so, so the layout they will live in is already clear.
import '../styles/projectView.css';
import { Icon, type IconName } from './Icon';

const LATER: Array<{ label: string; icon: IconName }> = [
  { label: 'Pipeline', icon: 'pipeline' },
  { label: 'Build log', icon: 'buildLog' },
  { label: 'Deployment', icon: 'deployment' },
  { label: 'Terminals', icon: 'terminal' },
  { label: 'Ports', icon: 'ports' },
  { label: 'Logs', icon: 'logs' },
];

export function PanelNav() {
  return (
    <nav className="panel-nav" aria-label="Project panels">
      <ul>
        <li>
          <span className="panel-link active" aria-current="page">
            <Icon name="cluster" />
            Cluster
          </span>
        </li>
      </ul>
      <div className="panel-nav-group">
        <span className="panel-nav-heading">Development</span>
        <span className="panel-nav-note">Arrives with Up</span>
      </div>
      <ul>
        {LATER.map(({ label, icon }) => (
          <li key={label}>
            <span className="panel-link disabled" aria-disabled="true" title={`${label} arrives with Up`}>
              <Icon name={icon} />
              {label}
            </span>
          </li>
        ))}
      </ul>
    </nav>
  );
}
