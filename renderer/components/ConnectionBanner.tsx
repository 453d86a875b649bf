// Browser mode only: says so when the page has lost its connection to the app (the WebSocket to
// the browser host is down). Requests wait for the reconnect, so nothing needs to be redone.
import { useApp } from '../state/StoreContext';
import '../styles/app.css';
import { Icon } from './Icon';

export function ConnectionBanner() {
  const connected = useApp((s) => s.connected);
  if (connected) return null;
  return (
    <div className="connection-banner" role="alert">
      <Icon name="plugOff" size={15} />
      <span>
        <strong>Lost the connection to DevSpace Desktop.</strong> Reconnecting… Is the <code>npm start</code> process still running?
      </span>
      <span className="spinner" aria-hidden="true" />
    </div>
  );
}
