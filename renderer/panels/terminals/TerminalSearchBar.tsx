// The find bar over a terminal (Ctrl/Cmd+F): searches the scrollback with xterm's SearchAddon as
// you type, Enter / Shift+Enter or the buttons step through matches, "Aa" makes it case-sensitive,
// Esc closes it and gives the keyboard back to the shell. It shows where you are ("3 of 12").
import type { ISearchOptions, SearchAddon } from '@xterm/addon-search';
import { useEffect, useRef, useState } from 'react';
import { isMacPlatform, terminalShortcut } from './terminalKeys';

// The search addon needs #RRGGBB colours; these match the app's accent on the terminal's background.
const DECORATIONS: ISearchOptions['decorations'] = {
  matchBackground: '#3a4a70',
  matchOverviewRuler: '#3a4a70',
  activeMatchBackground: '#c08a2e',
  activeMatchBorder: '#f0c060',
  activeMatchColorOverviewRuler: '#f0c060',
};

export function searchSummary(query: string, results: { resultIndex: number; resultCount: number } | null): string {
  if (!query || !results) return '';
  if (results.resultCount === 0) return 'No match';
  // The addon stops counting positions past its highlight limit.
  if (results.resultIndex < 0) return `${results.resultCount}+ matches`;
  return `${results.resultIndex + 1} of ${results.resultCount}`;
}

export function TerminalSearchBar({ search, focusToken, onClose }: { search: SearchAddon; focusToken: number; onClose: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [results, setResults] = useState<{ resultIndex: number; resultCount: number } | null>(null);

  useEffect(() => {
    const sub = search.onDidChangeResults((r) => setResults(r));
    return () => sub.dispose();
  }, [search]);

  // Ctrl+F again while open: back into the field, text selected.
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusToken]);

  const find = (text: string, backwards: boolean, incremental = false, matchCase = caseSensitive) => {
    if (!text) {
      search.clearDecorations();
      setResults(null);
      return;
    }
    const options: ISearchOptions = { caseSensitive: matchCase, incremental, decorations: DECORATIONS };
    const found = backwards ? search.findPrevious(text, options) : search.findNext(text, options);
    if (!found) setResults({ resultIndex: -1, resultCount: 0 });
  };

  const summary = searchSummary(query, results);
  return (
    <div className="terminal-search" role="search">
      <input
        ref={input}
        className="input"
        aria-label="Find in terminal"
        placeholder="Find"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          find(e.target.value, false, true);
        }}
        onKeyDown={(e) => {
          // Ctrl/Cmd+F again: stay here (not the browser's own find bar).
          if (terminalShortcut(e.nativeEvent, isMacPlatform(navigator)) === 'find') {
            e.preventDefault();
            e.currentTarget.select();
          }
          if (e.key === 'Enter') {
            e.preventDefault();
            find(query, e.shiftKey);
          }
          if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
        }}
      />
      <button
        type="button"
        className={`button terminal-search-case ${caseSensitive ? 'active' : ''}`}
        aria-pressed={caseSensitive}
        aria-label="Match case"
        title="Match case"
        onClick={() => {
          setCaseSensitive(!caseSensitive);
          find(query, false, true, !caseSensitive);
        }}
      >
        Aa
      </button>
      <button type="button" className="button" aria-label="Previous match" onClick={() => find(query, true)}>
        Previous
      </button>
      <button type="button" className="button" aria-label="Next match" onClick={() => find(query, false)}>
        Next
      </button>
      <span className={`terminal-search-count ${summary === 'No match' ? 'none' : ''}`} role="status" aria-label="Search results">
        {summary}
      </span>
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
