// Command-line flags shared by `npm start` and the browser host: --web, --port N, --no-open.
export interface StartFlags {
  web: boolean;
  port?: number;
  open: boolean;
  project?: string;
}

export class UsageError extends Error {}

export function parseStartFlags(argv: string[]): StartFlags {
  const flags: StartFlags = { web: false, open: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    switch (name) {
      case '--web':
        flags.web = true;
        break;
      case '--no-open':
        flags.open = false;
        break;
      case '--port': {
        const value = inline ?? argv[++i];
        const n = Number(value);
        if (!value || !Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port needs a port number from 0 to 65535, got "${value ?? ''}"`);
        flags.port = n;
        break;
      }
      case '--project': {
        const value = inline ?? argv[++i];
        if (!value) throw new UsageError('--project needs a folder path');
        flags.project = value;
        break;
      }
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  return flags;
}

export const USAGE = `Usage: npm start -- [--web] [--port N] [--no-open] [--project DIR]
  --web          use the browser host even where Electron is installed
  --port N       serve the browser host on 127.0.0.1:N (default: a random free port)
  --no-open      print the URL but do not open a browser
  --project DIR  open this project folder at start`;
