/**
 * Remembers recent suggestions by (model, text before the cursor). When the user types
 * characters that match a shown suggestion, the rest of it is returned without asking the
 * model again.
 */
export interface CachedSuggestion {
  model: string;
  prefix: string;
  items: string[];
}

export class CompletionCache {
  private readonly entries: CachedSuggestion[] = [];

  constructor(private readonly capacity = 64) {}

  /** Exact hit, or the remainder of a suggestion the user has been typing through. */
  lookup(model: string, prefix: string): string[] | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e.model !== model || !prefix.startsWith(e.prefix)) continue;
      const typed = prefix.slice(e.prefix.length);
      if (typed.length === 0) {
        this.touch(i);
        return e.items;
      }
      if (typed.includes('\n')) continue;
      const rest = e.items.filter((item) => item.startsWith(typed) && item.length > typed.length).map((item) => item.slice(typed.length));
      if (rest.length > 0) return rest;
    }
    return undefined;
  }

  store(model: string, prefix: string, items: string[]): void {
    const at = this.entries.findIndex((e) => e.model === model && e.prefix === prefix);
    if (at >= 0) this.entries.splice(at, 1);
    this.entries.push({ model, prefix, items });
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  clear(): void {
    this.entries.length = 0;
  }

  private touch(i: number): void {
    this.entries.push(...this.entries.splice(i, 1));
  }
}
