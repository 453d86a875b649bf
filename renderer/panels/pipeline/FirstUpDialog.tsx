// Before a project's first Up: the files DevSpace would write (each with why, its content behind a
// disclosure), any warnings, and the user's choice — create them and start Up, or cancel.
import { useEffect, useRef } from 'react';
import type { FirstUpPreview } from '../../../preload/api';
import '../../styles/controls.css';
import './pipeline.css';

export function FirstUpDialog({ preview, busy, onConfirm, onCancel }: { preview: FirstUpPreview; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    // Closing (not just unmounting) hands focus back to the Up button.
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={dialogRef}
      className="first-up-dialog"
      aria-labelledby="first-up-title"
      aria-describedby="first-up-intro"
      onCancel={(e) => {
        e.preventDefault(); // the panel decides when the dialog goes away
        onCancel();
      }}
    >
      <header className="first-up-header">
        <h2 id="first-up-title">Files for the first Up</h2>
        <p id="first-up-intro" className="first-up-intro">
          This project has no DevSpace configuration yet. Up will create these files in the project folder; it never replaces a file you have.
        </p>
      </header>
      <div className="first-up-body">
        {preview.warnings.length ? (
          <ul className="first-up-warnings" aria-label="Warnings">
            {preview.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : null}
        <ul className="first-up-files" aria-label="Files to create">
          {preview.files.map((f, i) => (
            <li key={f.path} className="first-up-file" data-path={f.path}>
              <details>
                <summary>
                  <code className="first-up-path">{f.path}</code>
                  {/* A generated chart is several files for one reason: it is said once, on the first. */}
                  {f.reason !== preview.files[i - 1]?.reason ? <span className="first-up-reason">{f.reason}</span> : null}
                </summary>
                <pre className="first-up-content">{f.content}</pre>
              </details>
            </li>
          ))}
        </ul>
      </div>
      <footer className="first-up-footer">
        <button type="button" className="button primary" disabled={busy} onClick={onConfirm}>
          Create files and start Up
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </footer>
    </dialog>
  );
}
