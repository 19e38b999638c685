/**
 * Which workspace files teach the cache model first, for the file being edited: the files it
 * imports (relative `import` / `require` / `export … from` paths, Python's `from .x import`
 * and dotted imports), then files in its folder in its language, then the files opened
 * recently, then the rest nearest in the folder tree. Pure: the extension (over
 * `vscode.workspace.fs`) and `next-token eval --project` (over the disk) order the same way.
 * Paths are '/'-separated and relative to the workspace folder (or URIs: only the part
 * after the last '/' of a folder matters).
 */

/** Extensions tried for an import written without one (`./util` -> `./util.ts`, ...). */
const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The extensions of the files the workspace cache reads (source and the text people edit beside it). */
export const WORKSPACE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'py', 'pyi', 'json', 'css', 'scss', 'less', 'html', 'htm', 'vue', 'svelte', 'sh', 'bash', 'yml', 'yaml', 'md', 'toml'];
export const WORKSPACE_FILE_PATTERN = new RegExp(`\\.(${WORKSPACE_EXTENSIONS.join('|')})$`, 'i');

/** Workspace files over this size are not read (generated or data files). */
export const MAX_WORKSPACE_FILE_BYTES = 1024 * 1024;

/** Folders never read: dependencies, version control, build output. */
export const SKIPPED_FOLDERS = ['node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', '.vscode-test', '__pycache__', '.venv', 'venv', 'coverage'];

/** A language family: files of one family teach each other most. */
export function languageFamily(path: string): string {
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  if (/^(ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte)$/.test(ext)) return 'script';
  if (/^(py|pyi)$/.test(ext)) return 'python';
  if (/^(css|scss|less)$/.test(ext)) return 'style';
  if (/^(html|htm)$/.test(ext)) return 'html';
  return ext;
}

function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

/** `a/b/../c/./d` -> `a/c/d`; undefined when it climbs above the root. */
function normalize(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** The module specifiers a source file names: relative ones for scripts, dotted ones for Python. */
export function importSpecifiers(path: string, text: string): string[] {
  const found: string[] = [];
  const head = text.slice(0, 64 * 1024); // imports sit at the top; a huge file costs nothing more
  if (languageFamily(path) === 'python') {
    for (const m of head.matchAll(/^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+([\w, \t()*]+)/gm)) {
      const names = m[2].replace(/[()]/g, '').split(',').map((n) => n.trim().split(/\s+/)[0]).filter((n) => n && n !== '*');
      // `from . import a, b` names modules; `from .x import y` names x (and maybe x/y).
      if (/^\.+$/.test(m[1])) for (const n of names) found.push(m[1] + n);
      else {
        found.push(m[1]);
        for (const n of names) found.push(`${m[1]}.${n}`);
      }
    }
    for (const m of head.matchAll(/^[ \t]*import[ \t]+([\w.]+)/gm)) found.push(m[1]);
    return found;
  }
  const quoted = /(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*['"]([^'"\n]+)['"]/g;
  for (const m of head.matchAll(quoted)) if (m[1].startsWith('.')) found.push(m[1]);
  return found;
}

/** The workspace file a specifier names, if it is one of `files`. */
export function resolveImport(fromPath: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const dir = folderOf(fromPath);
  const candidates: string[] = [];
  if (languageFamily(fromPath) === 'python') {
    const dots = /^\.*/.exec(specifier)![0].length;
    const rest = specifier.slice(dots).split('.').filter(Boolean).join('/');
    // Relative: one dot is this folder, each more dot one folder up. Absolute: from this
    // folder upwards, the nearest folder where the dotted path exists.
    const bases = dots > 0 ? [[dir, ...Array(dots - 1).fill('..')].join('/')] : ancestors(dir);
    for (const base of bases) {
      const p = normalize(`${base}/${rest}`);
      if (p === undefined || !rest) continue;
      candidates.push(`${p}.py`, `${p}.pyi`, `${p}/__init__.py`);
    }
  } else {
    const p = normalize(`${dir}/${specifier}`);
    if (p === undefined) return undefined;
    // TypeScript's ESM style names the compiled file: './util.js' is './util.ts'.
    const bare = p.replace(/\.(m|c)?js$/, '');
    candidates.push(p);
    for (const ext of SCRIPT_EXTENSIONS) candidates.push(bare + ext, `${p}/index${ext}`);
  }
  return candidates.find((c) => files.has(c));
}

function ancestors(dir: string): string[] {
  const out = [dir];
  for (let d = dir; d; ) {
    d = folderOf(d);
    out.push(d);
  }
  return out;
}

/** How many folders apart a file is from the folder `from` (its parts; siblings 0). */
function distance(from: readonly string[], path: string): number {
  const parts = folderOf(path).split('/').filter(Boolean);
  let common = 0;
  while (common < from.length && common < parts.length && from[common] === parts[common]) common++;
  return from.length - common + (parts.length - common);
}

/**
 * `files` ordered by how much they likely tell about `current` (which is left out):
 * its imports (and theirs, one level further), its folder's files in its language, the
 * recently opened ones (most recent first), then the rest nearest first.
 */
export function rankWorkspaceFiles(current: string, currentText: string, files: readonly string[], recent: readonly string[] = [], readText?: (path: string) => string | undefined): string[] {
  const set = new Set(files);
  const ranked: string[] = [];
  const seen = new Set([current]);
  const add = (p: string | undefined) => {
    if (p !== undefined && set.has(p) && !seen.has(p)) {
      seen.add(p);
      ranked.push(p);
    }
  };
  const direct = importSpecifiers(current, currentText).map((s) => resolveImport(current, s, set)).filter((p): p is string => p !== undefined);
  direct.forEach(add);
  // What the imports import: often the types and helpers the current file uses through them.
  if (readText) {
    for (const p of direct) {
      const text = readText(p);
      if (text !== undefined) for (const s of importSpecifiers(p, text)) add(resolveImport(p, s, set));
    }
  }
  const family = languageFamily(current);
  const folder = folderOf(current);
  for (const p of files) if (folderOf(p) === folder && languageFamily(p) === family) add(p);
  for (const p of recent) add(p);
  // The rest in buckets by (language, folder distance), each in the order given: linear
  // time, so the editor's thread ranks 20,000 paths in a few milliseconds.
  const from = folder.split('/').filter(Boolean);
  const buckets = new Map<number, string[]>();
  for (const p of files) {
    if (seen.has(p)) continue;
    const key = (languageFamily(p) === family ? 0 : 1 << 20) + distance(from, p);
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = []));
    bucket.push(p);
  }
  for (const key of [...buckets.keys()].sort((a, b) => a - b)) buckets.get(key)!.forEach(add);
  return ranked;
}

/**
 * A glob of `files.exclude` / `search.exclude` as a regular expression over a relative
 * path: `**` any folders, `*` and `?` within a name, `{a,b}` alternatives, `[...]` classes.
 */
export function globToRegExp(pattern: string): RegExp {
  const glob = pattern.replace(/\/+$/, ''); // "build/" names the folder
  let re = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // "**/" matches zero or more folders; a trailing "**" anything.
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:[^/]*/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      depth++;
      re += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      re += ')';
    } else if (c === ',' && depth > 0) re += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Whether a relative path, or a folder it is in, matches one of the patterns. */
export function isExcluded(path: string, patterns: readonly RegExp[]): boolean {
  if (patterns.length === 0) return false;
  // One expression for all the patterns, tried on the path and each folder above it.
  const any = patterns.length === 1 ? patterns[0] : new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'));
  for (let at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) if (any.test(path.slice(0, at))) return true;
  return any.test(path);
}

/**
 * isExcluded for many paths, from the globs as written. The common forms are checked without
 * a regular expression, per name in the path: a double star, a slash and a name (the defaults:
 * `.git`, `node_modules`...) or a star and an extension; the rest are joined into one expression.
 */
export function excluder(globs: readonly string[]): (path: string) => boolean {
  const names = new Set<string>();
  const suffixes: string[] = [];
  const others: RegExp[] = [];
  for (const glob of globs) {
    const g = glob.replace(/\/+$/, '');
    const name = /^\*\*\/([^*?[\]{}/]+)$/.exec(g);
    const suffix = /^\*\*\/\*(\.[^*?[\]{}/]+)$/.exec(g);
    if (name) names.add(name[1]);
    else if (suffix) suffixes.push(suffix[1]);
    else others.push(globToRegExp(glob));
  }
  const rest = others.length ? [new RegExp(others.map((p) => `(?:${p.source})`).join('|'))] : [];
  return (path) => {
    for (const part of path.split('/')) {
      if (names.has(part)) return true;
      for (const s of suffixes) if (part.endsWith(s)) return true;
    }
    return rest.length > 0 && isExcluded(path, rest);
  };
}
