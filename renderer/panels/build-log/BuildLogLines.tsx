// The build log's lines: the Logs panel's virtualised LogView, filtering on the plain text and
// drawing each row from the raw line with its ANSI colours as classed spans. Rows do not wrap;
// long lines scroll sideways.
import { LogView } from '../logs/LogView';
import type { LogBuffer } from '../logs/logBuffer';
import { parseAnsi } from './ansi';

export function BuildLogLines({ raw, plain, version, filter }: { raw: LogBuffer; plain: LogBuffer; version: number; filter: string }) {
  return (
    <LogView
      buffer={plain}
      version={version}
      filter={filter}
      wrap={false}
      className="build-log-view"
      label="Build log lines"
      emptyText="The build has not printed anything yet."
      renderLine={(i) => parseAnsi(raw.at(i)).map((s, j) => (s.className ? <span key={j} className={s.className}>{s.text}</span> : s.text))}
    />
  );
}
