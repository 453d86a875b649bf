// Browser mode's "Open project…": browse the app machine's folders (through the host, fs.list),
// starting at the home folder, and open the folder being shown. Keyboard: arrows move in the list,
// Enter goes into the highlighted folder, Backspace or Alt+↑ goes up, Escape closes.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { DirEntry } from '../../preload/api';
import { createFolderBrowserStore, type FolderBrowserStore } from '../state/folderBrowserStore';
import { baseName, breadcrumbs } from '../state/folderPath';
import { useApi, useApp, useAppStore } from '../state/StoreContext';
import '../styles/folderBrowser.css';
import { ErrorNotice } from './ErrorNotice';
import { Icon } from './Icon';

export function FolderBrowserDialog({ homeDir, browser }: { homeDir: string; browser?: FolderBrowserStore }) {
  const appStore = useAppStore();
  const api = useApi();
  const [store] = useState(() => browser ?? createFolderBrowserStore(api, homeDir));
  const listing = useStore(store, (s) => s.listing);
  const entries = useStore(store, (s) => s.entries);
  const loading = useStore(store, (s) => s.loading);
  const error = useStore(store, (s) => s.error);
  const pathText = useStore(store, (s) => s.pathText);
  const showHidden = useStore(store, (s) => s.showHidden);
  const active = useStore(store, (s) => s.active);
  const opening = useApp((s) => s.opening);
  const openFailure = useApp((s) => s.openFailure);

  const dialogRef = useRef<HTMLDialogElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    listRef.current?.focus();
    if (!store.getState().listing) void store.getState().navigate(homeDir);
    // Closing (not just unmounting) hands focus back to what had it, e.g. "Open project…".
    return () => dialog?.close();
  }, [store, homeDir]);

  useEffect(() => {
    listRef.current?.querySelector('[data-active="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, listing]);

  const close = () => appStore.getState().closeFolderBrowser();
  const open = () => {
    if (listing) void appStore.getState().openProject(listing.path);
  };

  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const s = store.getState();
    if (e.key === 'ArrowDown') s.moveActive(1);
    else if (e.key === 'ArrowUp' && e.altKey) void s.upOneLevel();
    else if (e.key === 'ArrowUp') s.moveActive(-1);
    else if (e.key === 'Home') s.setActive(entries.findIndex((x) => x.kind === 'dir'));
    else if (e.key === 'End') s.setActive(entries.findLastIndex((x) => x.kind === 'dir'));
    else if (e.key === 'Enter') void s.enterActive();
    else if (e.key === 'Backspace') void s.upOneLevel();
    else return;
    e.preventDefault();
  };

  const current = listing?.path ?? homeDir;
  const crumbs = breadcrumbs(current);
  const optionId = (i: number) => `folder-entry-${i}`;

  return (
    <dialog
      ref={dialogRef}
      className="folder-browser"
      aria-labelledby="folder-browser-title"
      onCancel={(e) => {
        e.preventDefault(); // the store decides when the dialog goes away
        close();
      }}
    >
      <header className="fb-header">
        <h2 id="folder-browser-title">Open project folder</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={close}>
          <Icon name="x" />
        </button>
      </header>

      <div className="fb-toolbar">
        <button
          type="button"
          className="icon-button fb-up"
          aria-label="Up one level"
          title="Up one level (Backspace)"
          disabled={!listing?.parent}
          onClick={() => void store.getState().upOneLevel()}
        >
          <Icon name="arrowUp" />
        </button>
        <button type="button" className="icon-button" aria-label="Home folder" title={homeDir} onClick={() => void store.getState().navigate(homeDir)}>
          <Icon name="home" />
        </button>
        <nav className="fb-breadcrumb" aria-label="Folder path">
          <ol>
            {crumbs.map((crumb, i) => (
              <li key={crumb.path}>
                {i > 0 ? <Icon name="chevronRight" size={12} className="fb-crumb-sep" /> : null}
                <button
                  type="button"
                  className="fb-crumb"
                  aria-current={i === crumbs.length - 1 ? 'location' : undefined}
                  onClick={() => void store.getState().navigate(crumb.path)}
                >
                  {crumb.label}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        {loading ? <span className="spinner fb-loading" aria-label="Loading" /> : null}
      </div>

      <form
        className="fb-pathbar"
        onSubmit={(e) => {
          e.preventDefault();
          void store.getState().navigateToTyped();
        }}
      >
        <input
          className="input mono"
          aria-label="Path"
          placeholder="Type or paste a folder path, e.g. ~/projects/my-app"
          spellCheck={false}
          autoComplete="off"
          value={pathText}
          aria-invalid={error ? 'true' : 'false'}
          onChange={(e) => store.getState().setPathText(e.target.value)}
        />
        <button type="submit" className="button">
          Go
        </button>
      </form>

      {error ? (
        <div className="fb-error">
          <ErrorNotice error={error} />
        </div>
      ) : null}

      <div
        ref={listRef}
        className="fb-list"
        role="listbox"
        aria-label={`Contents of ${baseName(current)}`}
        tabIndex={0}
        aria-activedescendant={active >= 0 ? optionId(active) : undefined}
        onKeyDown={onListKey}
      >
        {listing && entries.length === 0 ? <div className="fb-empty">This folder is empty.</div> : null}
        {entries.map((entry, i) => (
          <FolderEntryRow
            key={entry.path}
            id={optionId(i)}
            entry={entry}
            active={i === active}
            onChoose={() => {
              store.getState().setActive(i);
              void store.getState().navigate(entry.path);
            }}
          />
        ))}
      </div>

      {openFailure ? (
        <div className="fb-error">
          <ErrorNotice error={openFailure.error} title={`Could not open ${baseName(openFailure.path)}`} />
        </div>
      ) : null}

      <footer className="fb-footer">
        <label className="checkbox">
          <input type="checkbox" checked={showHidden} onChange={(e) => void store.getState().setShowHidden(e.target.checked)} />
          Show hidden
        </label>
        <div className="fb-current">
          <Icon name="folder" size={14} />
          <span className="fb-current-name" title={current}>
            {baseName(current)}
          </span>
          {listing?.looksLikeProject ? <span className="badge">Looks like a project</span> : null}
        </div>
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="button primary" disabled={!listing || opening !== null} onClick={open}>
          {opening ? <span className="spinner" aria-hidden="true" /> : null}
          Open
        </button>
      </footer>
    </dialog>
  );
}

function FolderEntryRow({ id, entry, active, onChoose }: { id: string; entry: DirEntry; active: boolean; onChoose: () => void }) {
  const isDir = entry.kind === 'dir';
  return (
    <div
      id={id}
      role="option"
      aria-selected={active}
      aria-disabled={!isDir}
      data-active={active}
      className={`fb-entry ${isDir ? 'dir' : 'file'} ${entry.hidden ? 'hidden-entry' : ''}`}
      onClick={isDir ? onChoose : undefined}
      title={isDir ? undefined : 'Only folders can be opened'}
    >
      <Icon name={isDir ? 'folder' : 'file'} size={16} className="fb-entry-icon" />
      <span className="fb-entry-name">{entry.name}</span>
      {entry.looksLikeProject ? (
        <span className="badge" aria-hidden="true" title="Looks like a project">
          Project
        </span>
      ) : null}
      {isDir ? <Icon name="chevronRight" size={14} className="fb-entry-go" /> : null}
    </div>
  );
}
