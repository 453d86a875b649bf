// A small JSON document persisted in the app's data dir: atomic writes (temp file + rename),
// writes serialised, and a corrupt file set aside (never silently overwritten) so nothing the
// user had is lost without trace.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export class JsonStore<T extends object> {
  private cache: T | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly defaults: () => T,
    private readonly validate: (raw: unknown) => T,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async read(): Promise<T> {
    if (this.cache) return this.cache;
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return (this.cache = this.defaults());
      throw err;
    }
    try {
      this.cache = this.validate(JSON.parse(text));
    } catch (err) {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      await fs.rename(this.file, aside).catch(() => {});
      this.log(`${this.file} could not be read (${(err as Error).message}); moved it to ${aside} and started afresh`);
      this.cache = this.defaults();
    }
    return this.cache;
  }

  /** Applies `change` to the current value and persists it; concurrent updates are serialised. */
  update(change: (current: T) => T): Promise<T> {
    const next = this.chain.then(async () => {
      const value = change(structuredClone(await this.read()));
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
      await fs.rename(tmp, this.file);
      this.cache = value;
      return value;
    });
    this.chain = next.catch(() => {});
    return next;
  }
}
