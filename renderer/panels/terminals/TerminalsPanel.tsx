// The Terminals panel: tabs of shells in the dev container. New tab, close, rename by
// double-click; each tab has a status line (connecting, reconnecting and why, exited with its
// code). The first visit opens a terminal by itself, because that is what the user came for.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError, ProjectInfo, TerminalSessionInfo } from '../../../preload/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { errorValue } from '../../state/errorValue';
import { useApi } from '../../state/StoreContext';
import { TerminalFeed } from './terminalFeed';
import { TerminalView } from './TerminalView';
import './terminals.css';

export function TerminalsPanel({ active }: { project: ProjectInfo; active: boolean }) {
  const api = useApi();
  const feed = useMemo(() => new TerminalFeed(api), [api]);
  useEffect(() => () => feed.dispose(), [feed]);
  const [tabs, setTabs] = useState<TerminalSessionInfo[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [opening, setOpening] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(
    () =>
      feed.onState((info) => {
        setTabs((ts) => ts.map((t) => (t.id === info.id ? info : t)));
      }),
    [feed],
  );

  const open = async () => {
    setOpening(true);
    setError(null);
    try {
      const info = await api.terminal.open();
      setTabs((ts) => [...ts.filter((t) => t.id !== info.id), info]);
      setSelected(info.id);
    } catch (err) {
      setError(errorValue(err));
    } finally {
      setOpening(false);
    }
  };

  useEffect(() => {
    if (!active || started.current) return;
    started.current = true;
    void (async () => {
      // Sessions outlive a page reload: show them again (their old output is gone).
      const existing = await api.terminal.list().catch(() => [] as TerminalSessionInfo[]);
      if (existing.length > 0) {
        setTabs(existing);
        setSelected(existing[0]!.id);
      } else {
        await open();
      }
    })();
    // Once, on the first visit (open() is recreated each render; its first version is the one wanted).
  }, [active]);

  const close = async (id: string) => {
    setTabs((ts) => {
      const rest = ts.filter((t) => t.id !== id);
      if (selected === id) setSelected(rest.at(-1)?.id ?? null);
      return rest;
    });
    await api.terminal.close(id).catch(() => undefined);
  };

  const rename = async (id: string, title: string) => {
    setRenaming(null);
    if (!title.trim()) return;
    try {
      const info = await api.terminal.rename(id, title);
      setTabs((ts) => ts.map((t) => (t.id === id ? info : t)));
    } catch (err) {
      setError(errorValue(err));
    }
  };

  const current = tabs.find((t) => t.id === selected) ?? null;

  return (
    <div className="terminals-panel">
      <div className="terminal-tabs" role="tablist" aria-label="Terminals">
        {tabs.map((t) => (
          <div key={t.id} className={`terminal-tab ${t.id === selected ? 'active' : ''} state-${t.state}`}>
            {renaming === t.id ? (
              <input
                className="input terminal-rename"
                aria-label="Terminal name"
                defaultValue={t.title}
                autoFocus
                onBlur={(e) => void rename(t.id, e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void rename(t.id, e.currentTarget.value);
                  if (e.key === 'Escape') setRenaming(null);
                }}
              />
            ) : (
              <button
                type="button"
                role="tab"
                aria-selected={t.id === selected}
                className="terminal-tab-title"
                title="Double-click to rename"
                onClick={() => setSelected(t.id)}
                onDoubleClick={() => setRenaming(t.id)}
              >
                <span className="terminal-dot" aria-hidden="true" />
                {t.title}
              </button>
            )}
            <button type="button" className="icon-button" aria-label={`Close ${t.title}`} onClick={() => void close(t.id)}>
              <Icon name="x" size={12} />
            </button>
          </div>
        ))}
        <button type="button" className="button terminal-new" disabled={opening} onClick={() => void open()}>
          {opening ? <span className="spinner" aria-hidden="true" /> : <Icon name="terminal" size={14} />}
          New terminal
        </button>
      </div>
      {error ? <ErrorNotice error={error} title="Could not open a terminal" onDismiss={() => setError(null)} /> : null}
      <div className="terminal-stack">
        {tabs.map((t) => (
          <div key={t.id} className="terminal-page" hidden={t.id !== selected} role="tabpanel" aria-label={t.title}>
            <TerminalView id={t.id} api={api} feed={feed} visible={active && t.id === selected} />
          </div>
        ))}
        {tabs.length === 0 && !opening && !error ? <p className="terminal-empty">No terminal is open.</p> : null}
      </div>
      {current ? (
        <div className={`terminal-status state-${current.state}`} role="status" aria-label="Terminal status">
          {statusText(current)}
        </div>
      ) : null}
    </div>
  );
}

export function statusText(t: TerminalSessionInfo): string {
  const where = t.pod ? `${t.pod}${t.container ? ` · ${t.container}` : ''}` : '';
  switch (t.state) {
    case 'connecting':
      return 'Connecting…';
    case 'open':
      return `Connected to ${where}`;
    case 'reconnecting':
      return `Reconnecting: ${t.message ?? 'the connection was lost'}`;
    case 'exited':
      return t.exitCode === undefined && t.message
        ? `${t.message} Close the tab or open a new terminal.`
        : `Exited with code ${t.exitCode ?? '?'}. Close the tab or open a new terminal.`;
    case 'error':
      return `Error: ${t.message ?? 'the terminal stopped'}`;
  }
}
