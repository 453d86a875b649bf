// Shows a failure the way the user should read it: what went wrong, and the hint beneath it.
// The 'info' tone is for a state that is expected and needs no fixing (e.g. "not deployed yet,
// the next Up does it"): neutral colours, and a status rather than an alert for screen readers.
import type { ReactNode } from 'react';
import type { ApiError } from '../../preload/api';
import '../styles/controls.css';
import { Icon } from './Icon';

export function ErrorNotice({
  error,
  title,
  tone = 'error',
  onDismiss,
  children,
}: {
  error: ApiError;
  /** A lead line when the message alone lacks context, e.g. "Could not open my-app". */
  title?: string;
  tone?: 'error' | 'warn' | 'info';
  onDismiss?: () => void;
  children?: ReactNode;
}) {
  return (
    <div className={`notice ${tone === 'error' ? '' : tone}`} role={tone === 'info' ? 'status' : 'alert'} data-error-code={error.code}>
      <Icon name={tone === 'info' ? 'info' : 'alert'} />
      <div className="notice-body">
        {title ? <span className="notice-title">{title}</span> : null}
        <span className={title ? 'notice-message' : 'notice-title'}>{error.message}</span>
        {error.hint ? <span className="notice-hint">{error.hint}</span> : null}
        {children}
      </div>
      {onDismiss ? (
        <div className="notice-actions">
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
            <Icon name="x" size={14} />
          </button>
        </div>
      ) : null}
    </div>
  );
}
