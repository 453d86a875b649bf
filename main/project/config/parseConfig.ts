// Reads and validates `.devspace/config.yaml`. Every problem names the file, the line and the
// field; warnings (e.g. a password left in the file by an old DevSpace CLI) do not stop loading.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Document, isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { AppError } from '../../ipc/errors';
import { CONFIG_FILE, type ConfigProblem, type DevspaceConfig } from './schema';
import { validateConfig } from './validateConfig';

export interface LoadedConfig {
  config: DevspaceConfig;
  warnings: ConfigProblem[];
  /** The parsed document, kept so edits can preserve the user's comments and layout. */
  document: Document;
  file: string;
}

export async function readConfig(projectDir: string): Promise<LoadedConfig | null> {
  const file = path.join(projectDir, CONFIG_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('PERMISSION_DENIED', `Could not read ${CONFIG_FILE}: ${(err as Error).message}`);
  }
  return parseConfigText(text, file);
}

export function parseConfigText(text: string, file: string): LoadedConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, keepSourceTokens: false, prettyErrors: false });
  const displayName = path.basename(path.dirname(file)) === '.devspace' ? CONFIG_FILE : file;
  if (document.errors.length > 0) {
    const e = document.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    throw configError([{ file: displayName, line: pos.line, column: pos.col, message: e.message.split('\n')[0] ?? e.message }]);
  }
  const raw = document.toJS({ maxAliasCount: 100 }) ?? {};
  const locate = (fieldPath: Array<string | number>) => {
    // Point at the key of the deepest field that exists, so a bad or missing field is found
    // where the user would look for it.
    let node: unknown = document.contents;
    let at: number | undefined = (document.contents as { range?: number[] } | null)?.range?.[0];
    for (const segment of fieldPath) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String((p.key as { value?: unknown })?.value ?? p.key) === String(segment));
        if (!pair) break;
        at = (pair.key as { range?: number[] })?.range?.[0] ?? at;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
        node = node.items[segment];
        at = (node as { range?: number[] }).range?.[0] ?? at;
      } else break;
    }
    return at === undefined ? undefined : lineCounter.linePos(at);
  };
  const { config, errors, warnings } = validateConfig(raw);
  const withPlace = (p: { path: Array<string | number>; message: string }): ConfigProblem => {
    const pos = locate(p.path);
    return { file: displayName, ...(pos ? { line: pos.line, column: pos.col } : {}), field: fieldName(p.path), message: p.message };
  };
  if (errors.length > 0) throw configError(errors.map(withPlace));
  return { config: config as DevspaceConfig, warnings: warnings.map(withPlace), document, file };
}

export function fieldName(p: Array<string | number>): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line ? `${p.file} line ${p.line}` : p.file;
  return `${where}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

function configError(problems: ConfigProblem[]): AppError {
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return Object.assign(
    new AppError('CONFIG_INVALID', `${formatProblem(first!)}${more}`, 'Fix the file in your editor, or delete it to have the app write a new one on the next Up.'),
    { problems },
  );
}
