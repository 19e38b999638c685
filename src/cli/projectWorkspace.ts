/**
 * `next-token eval --project`: a folder on disk seen as the extension sees a workspace. For
 * each file evaluated, the project's other files are counted into a workspace cache in the
 * extension's order (its imports first: src/worker/workspaceOrder.ts) up to the same token
 * budget; the file itself is then scored causally as before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CacheCounts, MAX_WORKSPACE_TOKENS, toModelText, type LanguageModel } from '../engine';
import { MAX_WORKSPACE_FILE_BYTES, rankWorkspaceFiles, SKIPPED_FOLDERS, WORKSPACE_FILE_PATTERN } from '../worker/workspaceOrder';

export class ProjectWorkspace {
  /** Paths relative to the root, '/'-separated, sorted. */
  readonly files: string[] = [];
  private readonly texts = new Map<string, string>();
  private readonly tokens = new Map<string, number[]>();

  constructor(readonly root: string, private readonly model: LanguageModel) {
    const walk = (rel: string) => {
      for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
        const r = rel ? `${rel}/${name}` : name;
        const stat = fs.statSync(path.join(root, r));
        if (stat.isDirectory()) {
          if (!SKIPPED_FOLDERS.includes(name)) walk(r);
        } else if (stat.isFile() && stat.size <= MAX_WORKSPACE_FILE_BYTES && WORKSPACE_FILE_PATTERN.test(name)) this.files.push(r);
      }
    };
    walk('');
  }

  private text(rel: string): string | undefined {
    if (!this.texts.has(rel)) {
      const data = fs.readFileSync(path.join(this.root, rel));
      this.texts.set(rel, data.includes(0) ? '' : toModelText(new TextDecoder().decode(data)));
    }
    return this.texts.get(rel) || undefined;
  }

  /** The workspace cache for `file` (a path on disk inside the root), and which files it holds. */
  countsFor(file: string, budget = MAX_WORKSPACE_TOKENS): { counts: CacheCounts; files: string[] } {
    const rel = path.relative(this.root, file).split(path.sep).join('/');
    const own = this.text(rel) ?? '';
    const counts = new CacheCounts(4, budget);
    const used: string[] = [];
    for (const other of rankWorkspaceFiles(rel, own, this.files, [], (p) => this.text(p))) {
      const text = this.text(other);
      if (text === undefined) continue;
      let ids = this.tokens.get(other);
      if (!ids) this.tokens.set(other, (ids = this.model.tokenizer.encode(text)));
      if (counts.tokenCount + ids.length > budget) continue; // smaller files further down may still fit
      counts.setDocument(other, ids);
      used.push(other);
    }
    return { counts, files: used };
  }
}
