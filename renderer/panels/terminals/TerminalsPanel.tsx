// The Terminals panel: tabs of shells in the dev container. New tab, close, rename by
// double-click; each tab has a status line (connecting, reconnecting and why, exited with its
// code). The first visit opens a terminal by itself, because that is what the user came for.
// Without a session the body says what is wrong and what to do next instead of showing an empty
// xterm; a stale failure is retried when the cluster changes or an Up reaches Ready.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError, ProjectInfo, TerminalSessionInfo } from '../../../preload/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { errorValue } from '../../state/errorValue';
import { useApi, useApp } from '../../state/StoreContext';
import '../../styles/projectView.css';
import { TerminalFeed } from './terminalFeed';
import { clusterKey, shouldOpenOnUp, shouldRetryOnCluster, terminalsBody } from './terminalsView';
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
  const openingRef = useRef(false);

  useEffect(
    () =>
      feed.onState((info) => {
        setTabs((ts) => ts.map((t) => (t.id === info.id ? info : t)));
      }),
    [feed],
  );

  const open = async () => {
    if (openingRef.current) return;
    openingRef.current = true;
    setOpening(true);
    setError(null);
    try {
      const info = await api.terminal.open();
      setTabs((ts) => [...ts.filter((t) => t.id !== info.id), info]);
      setSelected(info.id);
    } catch (err) {
      setError(errorValue(err));
    } finally {
      openingRef.current = false;
      setOpening(false);
    }
  };
  const openRef = useRef(open);
  openRef.current = open;
  const tabCount = useRef(0);
  tabCount.current = tabs.length;

  // The cluster changed (a kubeconfig appeared, it connected, another context): an error from
  // before is stale, so try again while the panel has no session.
  const cluster = useApp((s) => clusterKey(s.cluster.status));
  const lastCluster = useRef(cluster);
  useEffect(() => {
    const prev = lastCluster.current;
    lastCluster.current = cluster;
    if (shouldRetryOnCluster(prev, cluster, { started: started.current, sessions: tabCount.current, opening: openingRef.current })) void openRef.current();
  }, [cluster]);

  // An Up that reaches Ready has (re)deployed the dev pod: open the first terminal if none is.
  useEffect(
    () =>
      api.on('up.run', (run) => {
        if (shouldOpenOnUp(run.state, { started: started.current, sessions: tabCount.current, opening: openingRef.current })) void openRef.current();
      }),
    [api],
  );

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
  const body = terminalsBody({ sessions: tabs.length, error, opening });

  return (
    <section className={`card terminals-panel${body.kind === 'sessions' ? '' : ' empty'}`} aria-labelledby="terminals-title">
      <header className="card-header">
        <div>
          <h2 id="terminals-title">Terminals</h2>
          <p className="card-subtitle">Shells in the project&apos;s dev container. Double-click a tab to rename it.</p>
        </div>
        <button type="button" className="button terminal-new" disabled={opening} onClick={() => void open()}>
          {opening ? <span className="spinner" aria-hidden="true" /> : <Icon name="terminal" size={14} />}
          New terminal
        </button>
      </header>
      <div className="card-body terminals-body">
        {body.kind === 'sessions' ? (
          <>
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
            </div>
            {error ? <ErrorNotice error={error} title="Could not open a terminal" onDismiss={() => setError(null)} /> : null}
            <div className="terminal-stack">
              {tabs.map((t) => (
                <div key={t.id} className="terminal-page" hidden={t.id !== selected} role="tabpanel" aria-label={t.title}>
                  <TerminalView id={t.id} api={api} feed={feed} visible={active && t.id === selected} />
                </div>
              ))}
            </div>
            {current ? (
              <div className={`terminal-status state-${current.state}`} role="status" aria-label="Terminal status">
                {statusText(current)}
              </div>
            ) : null}
          </>
        ) : body.kind === 'opening' ? (
          <div className="card-loading" role="status" aria-label="Terminal status">
            <span className="spinner" aria-hidden="true" /> Opening a terminal in the dev container…
          </div>
        ) : (
          <div className="terminal-empty">
            {body.kind === 'error' ? (
              <ErrorNotice error={body.error} title="Could not open a terminal" />
            ) : (
              <p className="terminal-empty-title">No terminal is open.</p>
            )}
            <p className="terminal-next" role="status" aria-label="Terminal status">
              {body.nextStep}
            </p>
            <div>
              <button type="button" className="button primary" onClick={() => void open()}>
                <Icon name={body.kind === 'error' ? 'refresh' : 'terminal'} size={14} />
                {body.kind === 'error' ? 'Retry' : 'Open terminal'}
              </button>
            </div>
          </div>
        )}
      </div>
    </section>
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
