// One xterm.js terminal bound to one main-side session. It stays mounted while its tab exists
// (hidden when another tab is shown), so scrollback survives tab switches and reconnects: the
// session reconnects underneath and keeps writing into the same xterm. Output is paced to what the
// page can draw (terminalFeed → OutputPacer); the shortcuts are in terminalKeys.ts.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import type { DevspaceApi } from '../../../preload/api';
import type { TerminalFeed } from './terminalFeed';
import { isMacPlatform, terminalShortcut } from './terminalKeys';
import { openTerminalLink } from './terminalLinks';
import { chooseRenderer, probeWebgl } from './terminalRenderer';
import { TerminalSearchBar } from './TerminalSearchBar';
import { bridgeXtermStyles } from './xtermStyleBridge';

/**
 * Copies text: the async Clipboard API where allowed, else the synchronous copy command, which
 * makes xterm put its selection on the clipboard (Electron denies the permission the async API asks
 * for; the key press is the user gesture the copy command needs).
 */
async function copyToClipboard(text: string): Promise<void> {
  try {
    if (!navigator.clipboard) throw new Error('no Clipboard API');
    await navigator.clipboard.writeText(text);
  } catch {
    document.execCommand('copy');
  }
}

export function TerminalView({ id, api, feed, visible }: { id: string; api: DevspaceApi; feed: TerminalFeed; visible: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const [search, setSearch] = useState<SearchAddon | null>(null);
  const [searching, setSearching] = useState(false);
  // Bumped by each Ctrl+F, so a second press re-focuses an open find bar.
  const [findFocus, setFindFocus] = useState(0);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const term = new Terminal({
      scrollback: 10_000,
      cursorBlink: true,
      fontSize: 13,
      fontFamily: "ui-monospace, 'SF Mono', 'Cascadia Mono', 'DejaVu Sans Mono', 'Liberation Mono', Menlo, monospace",
      theme: { background: '#11141c', foreground: '#e3e6ee', cursor: '#e3e6ee', selectionBackground: '#3a4a70' },
      // The search addon's match highlighting uses decorations, still a "proposed" xterm API.
      allowProposedApi: true,
    });
    const fit = new FitAddon();
    const searchAddon = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(searchAddon);
    term.loadAddon(new WebLinksAddon((_event, uri) => void openTerminalLink(uri)));
    // Before open: xterm adds its <style> elements while opening.
    const unbridge = bridgeXtermStyles(host);
    term.open(host);
    const renderer = chooseRenderer({
      probe: probeWebgl(),
      createWebgl: () => new WebglAddon(),
      load: (addon) => term.loadAddon(addon),
      onChange: (c) => (host.dataset.renderer = c.kind),
    });
    host.dataset.renderer = renderer.kind;
    // e2e tests and the benchmark read the buffer and the pacing through these (the WebGL renderer
    // leaves no text in the DOM).
    Object.defineProperty(host, 'xterm', { value: term, configurable: true });

    const mac = isMacPlatform(navigator);
    // A paste shortcut lets the browser's own paste happen (a user gesture: no permission needed),
    // which xterm turns into a bracketed paste. Where no paste event follows, the Clipboard API.
    let pasteExpected = false;
    const onPaste = () => (pasteExpected = false);
    host.addEventListener('paste', onPaste, true);
    term.attachCustomKeyEventHandler((e) => {
      const shortcut = terminalShortcut(e, mac);
      if (!shortcut) return true;
      if (shortcut === 'find') {
        e.preventDefault();
        setSearching(true);
        setFindFocus((n) => n + 1);
      } else if (shortcut === 'copy') {
        e.preventDefault();
        const text = term.getSelection();
        if (text) void copyToClipboard(text);
      } else {
        pasteExpected = true;
        setTimeout(() => {
          if (!pasteExpected) return;
          pasteExpected = false;
          void navigator.clipboard
            ?.readText()
            .then((text) => term.paste(text))
            .catch(() => undefined);
        });
      }
      return false;
    });

    const connection = feed.connect(id, term);
    Object.defineProperty(host, 'pacer', { value: connection.pacer, configurable: true });
    const resizeSub = term.onResize(({ cols, rows }) => void api.terminal.resize(id, cols, rows).catch(() => undefined));

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
    setSearch(searchAddon);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      host.removeEventListener('paste', onPaste, true);
      connection.disconnect();
      resizeSub.dispose();
      renderer.dispose();
      term.dispose();
      unbridge();
      termRef.current = null;
      setSearch(null);
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

  // The match found last stays selected after closing, ready for Ctrl+Shift+C.
  const closeSearch = () => {
    setSearching(false);
    search?.clearDecorations();
    termRef.current?.focus();
  };

  return (
    <div className="terminal-view">
      {searching && search ? <TerminalSearchBar search={search} focusToken={findFocus} onClose={closeSearch} /> : null}
      <div ref={hostRef} className="terminal-host" data-terminal-id={id} />
    </div>
  );
}
