// Keeps a bug in one panel from blanking the whole window: the panel shows what broke and a way
// to try again, while the header (Up, Stop) and the other panels keep working.
import { Component, type ReactNode } from 'react';
import '../styles/controls.css';
import { ErrorNotice } from './ErrorNotice';

interface Props {
  /** The panel's name as the sidebar shows it. */
  label: string;
  children: ReactNode;
}

export class PanelErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown) {
    // The console keeps the stack for a bug report; the panel shows a readable line.
    console.warn(`The ${this.props.label} panel stopped:`, error);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="card panel-crashed" data-error-boundary={this.props.label}>
        <div className="card-body">
          <ErrorNotice
            error={{ code: 'INTERNAL', message: error.message || error.name, hint: 'The other panels and Up keep working. Try again; if it happens again, report it with the details below.' }}
            title={`The ${this.props.label} panel stopped`}
          >
            {error.stack ? (
              <details className="panel-crashed-details">
                <summary>Details</summary>
                <pre className="mono selectable">{error.stack}</pre>
              </details>
            ) : null}
          </ErrorNotice>
          <div>
            <button type="button" className="button" onClick={() => this.setState({ error: null })}>
              Try again
            </button>
          </div>
        </div>
      </div>
    );
  }
}
