// A virtualised view of the log buffer: only the rows in sight (plus a margin) are in the DOM, so
// 50,000 lines scroll like 50. Rows are one line high; with wrapping on, a line's height is
// computed from its length and the monospace character width, which keeps positions exact
// without measuring each row.
import { type ReactNode, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LogBuffer } from './logBuffer';

const ROW = 18; // px; matches .log-row line-height
const MARGIN_ROWS = 20;

export interface LogViewProps {
  /** The lines as plain text: what the filter matches and wrapping measures. */
  buffer: LogBuffer;
  version: number;
  filter: string;
  wrap: boolean;
  /** How buffer line `index` is drawn (default: its text), e.g. with colours. */
  renderLine?: (index: number) => ReactNode;
  label?: string;
  emptyText?: string;
  className?: string;
}

export function LogView({ buffer, version, filter, wrap, renderLine, label = 'Log lines', emptyText = 'No log lines yet.', className = '' }: LogViewProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const probe = useRef<HTMLSpanElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [size, setSize] = useState({ width: 800, height: 400 });
  const [charWidth, setCharWidth] = useState(7.2);
  const stick = useRef(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => {
      setSize({ width: el.clientWidth, height: el.clientHeight });
      const w = probe.current?.getBoundingClientRect().width;
      if (w) setCharWidth(w / 10);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Which buffer lines are shown (all, or those matching the filter).
  const shown = useMemo(() => {
    if (!filter) return null;
    const needle = filter.toLowerCase();
    const out: number[] = [];
    for (let i = 0; i < buffer.length; i++) if (buffer.at(i).toLowerCase().includes(needle)) out.push(i);
    return out;
    // `version` stands for the buffer's contents (the buffer object itself is mutated in place).
  }, [buffer, version, filter]);
  const count = shown ? shown.length : buffer.length;
  const indexAt = (k: number) => (shown ? shown[k]! : k);
  const lineAt = (k: number) => buffer.at(indexAt(k));

  // With wrapping: the top offset of each shown line (prefix sums of its row count).
  const offsets = useMemo(() => {
    if (!wrap) return null;
    const perRow = Math.max(10, Math.floor((size.width - 16) / charWidth));
    const tops = new Float64Array(count + 1);
    for (let k = 0; k < count; k++) tops[k + 1] = tops[k]! + ROW * Math.max(1, Math.ceil(lineAt(k).length / perRow));
    return tops;
    // `version` stands for the buffer's contents (the buffer object itself is mutated in place).
  }, [wrap, count, version, shown, size.width, charWidth]);

  const total = offsets ? offsets[count]! : count * ROW;
  const top = (k: number) => (offsets ? offsets[k]! : k * ROW);
  const firstAt = (y: number) => {
    if (!offsets) return Math.floor(y / ROW);
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offsets[mid + 1]! <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const first = Math.max(0, firstAt(scrollTop) - MARGIN_ROWS);
  const last = Math.min(count, firstAt(scrollTop + size.height) + MARGIN_ROWS + 1);

  // Following: stay at the bottom while the user has not scrolled up.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [version, total]);

  const rows = [];
  for (let k = first; k < last; k++) {
    rows.push(
      <div key={k} className="log-row" style={{ transform: `translateY(${top(k)}px)` }}>
        {renderLine ? renderLine(indexAt(k)) : lineAt(k)}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      className={`log-view ${wrap ? 'wrap' : ''} ${className}`}
      role="log"
      aria-label={label}
      data-line-count={count}
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        setScrollTop(el.scrollTop);
        stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
      }}
    >
      <span ref={probe} className="log-probe" aria-hidden="true">
        MMMMMMMMMM
      </span>
      <div className="log-spacer" style={{ height: `${total}px` }}>
        {rows}
      </div>
      {count === 0 ? <p className="log-empty">{filter ? 'No line matches the filter.' : emptyText}</p> : null}
    </div>
  );
}
