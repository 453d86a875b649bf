// One xterm.js terminal bound to one main-side session. It stays mounted while its tab exists
// (hidden when another tab is shown), so scrollback survives tab switches and reconnects: the
// session reconnects underneath and keeps writing into the same xterm.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import type { DevspaceApi } from '../../../preload/api';
import type { TerminalFeed } from './terminalFeed';
import { bridgeXtermStyles } from './xtermStyleBridge';

export function TerminalView({ id, api, feed, visible }: { id: string; api: DevspaceApi; feed: TerminalFeed; visible: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const [notFound, setNotFound] = useState(false);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const term = new Terminal({
      scrollback: 10_000,
      cursorBlink: true,
      fontSize: 13,
      fontFamily: "ui-monospace, 'SF Mono', 'Cascadia Mono', 'DejaVu Sans Mono', 'Liberation Mono', Menlo, monospace",
      theme: { background: '#11141c', foreground: '#e3e6ee', cursor: '#e3e6ee', selectionBackground: '#3a4a70' },
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    // The app opens external links in the user's browser (Electron's window-open handler does it).
    term.loadAddon(new WebLinksAddon((_event, uri) => void window.open(uri, '_blank', 'noopener,noreferrer')));
    // Before open: xterm adds its <style> elements while opening.
    const unbridge = bridgeXtermStyles(host);
    term.open(host);
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => webgl.dispose());
      term.loadAddon(webgl);
    } catch {
      // No WebGL2 (software rendering, remote desktop): xterm's DOM renderer is used instead.
    }
    // e2e tests read the buffer through this (the WebGL renderer leaves no text in the DOM).
    Object.defineProperty(host, 'xterm', { value: term, configurable: true });

    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown') return true;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.shiftKey && e.key.toLowerCase() === 'f') {
        setSearching(true);
        requestAnimationFrame(() => searchInput.current?.select());
        return false;
      }
      // Ctrl+Shift+C / Ctrl+Shift+V like other terminals: plain Ctrl+C stays an interrupt.
      if (mod && e.shiftKey && e.key.toLowerCase() === 'c') {
        const text = term.getSelection();
        if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
        return false;
      }
      if (mod && e.shiftKey && e.key.toLowerCase() === 'v') {
        void navigator.clipboard
          ?.readText()
          .then((text) => term.paste(text))
          .catch(() => undefined);
        return false;
      }
      return true;
    });

    const inputSub = term.onData((data) => void api.terminal.write(id, data).catch(() => undefined));
    const resizeSub = term.onResize(({ cols, rows }) => void api.terminal.resize(id, cols, rows).catch(() => undefined));
    const detach = feed.attach(id, (data) => term.write(data));

    const fitNow = () => {
      if (host.clientWidth === 0 || host.clientHeight === 0) return; // hidden tab or panel
      try {
        fit.fit();
      } catch {
        // not measurable yet
      }
    };
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(fitNow);
    });
    observer.observe(host);
    fitNow();
    // The session's TTY starts at its default size; tell it ours even when fit changed nothing.
    void api.terminal.resize(id, term.cols, term.rows).catch(() => undefined);

    termRef.current = term;
    fitRef.current = fit;
    searchRef.current = search;
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      detach();
      inputSub.dispose();
      resizeSub.dispose();
      term.dispose();
      unbridge();
      termRef.current = null;
    };
  }, [id, api, feed]);

  useEffect(() => {
    if (!visible) return;
    const frame = requestAnimationFrame(() => {
      const host = hostRef.current;
      if (host && host.clientWidth > 0) {
        try {
          fitRef.current?.fit();
        } catch {
          // not measurable yet
        }
      }
      termRef.current?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [visible]);

  const find = (backwards: boolean) => {
    if (!query) return;
    const found = backwards ? searchRef.current?.findPrevious(query) : searchRef.current?.findNext(query);
    setNotFound(!found);
  };
  const closeSearch = () => {
    setSearching(false);
    setNotFound(false);
    searchRef.current?.clearDecorations();
    termRef.current?.clearSelection();
    termRef.current?.focus();
  };

  return (
    <div className="terminal-view">
      {searching ? (
        <div className="terminal-search" role="search">
          <input
            ref={searchInput}
            className="input"
            aria-label="Find in terminal"
            placeholder="Find"
            value={query}
            autoFocus
            onChange={(e) => {
              setQuery(e.target.value);
              setNotFound(false);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') find(e.shiftKey);
              if (e.key === 'Escape') closeSearch();
            }}
          />
          <button type="button" className="button" onClick={() => find(true)}>
            Previous
          </button>
          <button type="button" className="button" onClick={() => find(false)}>
            Next
          </button>
          {notFound ? <span className="terminal-search-none">No match</span> : null}
          <button type="button" className="button" onClick={closeSearch}>
            Close
          </button>
        </div>
      ) : null}
      <div ref={hostRef} className="terminal-host" data-terminal-id={id} />
    </div>
  );
}
