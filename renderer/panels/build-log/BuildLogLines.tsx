// The build log's lines, virtualised like the Logs panel's LogView (only rows in sight are in the
// DOM) but coloured: each shown row's ANSI codes become classed spans. Rows do not wrap, so every
// row is one line high and positions need no measuring; long lines scroll sideways.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LogBuffer } from '../logs/logBuffer';
import { parseAnsi } from './ansi';

const ROW = 18; // px; matches .log-row line-height (logs.css)
const MARGIN_ROWS = 20;

export function BuildLogLines({ raw, plain, version, filter }: { raw: LogBuffer; plain: LogBuffer; version: number; filter: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const stick = useRef(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // The filter matches the text the user sees, not the escape codes.
  const shown = useMemo(() => {
    if (!filter) return null;
    const needle = filter.toLowerCase();
    const out: number[] = [];
    for (let i = 0; i < plain.length; i++) if (plain.at(i).toLowerCase().includes(needle)) out.push(i);
    return out;
    // `version` stands for the buffers' contents (they are mutated in place).
  }, [plain, version, filter]);
  const count = shown ? shown.length : raw.length;

  // Following: stay at the bottom while the user has not scrolled up.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [version, count]);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - MARGIN_ROWS);
  const last = Math.min(count, Math.floor((scrollTop + height) / ROW) + MARGIN_ROWS + 1);
  const rows = [];
  for (let k = first; k < last; k++) {
    const i = shown ? shown[k]! : k;
    rows.push(
      <div key={k} className="log-row" style={{ transform: `translateY(${k * ROW}px)` }}>
        {parseAnsi(raw.at(i)).map((s, j) => (s.className ? <span key={j} className={s.className}>{s.text}</span> : s.text))}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      className="log-view build-log-view"
      role="log"
      aria-label="Build log lines"
      data-line-count={count}
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        setScrollTop(el.scrollTop);
        stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
      }}
    >
      <div className="log-spacer" style={{ height: `${count * ROW}px` }}>
        {rows}
      </div>
      {count === 0 ? <p className="log-empty">{filter ? 'No line matches the filter.' : 'The build has not printed anything yet.'}</p> : null}
    </div>
  );
}
