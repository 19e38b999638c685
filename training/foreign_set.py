"""Build the foreign evaluation set ``eval/foreign/`` from pinned packages (issue #20).

The foreign set is code the models never saw and that is unlike the training corpus in
style: tab-indented projects, files with CRLF line endings exactly as distributed (the
corpus builder turned CRLF into LF, so the models never saw a ``\\r``), 4-space TypeScript,
JavaScript and Python, Vue and Svelte components, React components in TSX, Express
middleware, shell, CSS, YAML.

Inputs: ``eval/foreign/packages.json``: npm packages and PyPI sdists pinned to an exact
version and archive sha256, each with its licence, the path of its licence file inside the
archive and the explicit list of files to take (paths inside the archive, without the
top-level ``package/`` or ``name-version/`` folder). Archives are downloaded with
``npm pack`` and ``pip download --no-deps --no-binary :all:`` into the git-ignored
``training/data/foreign-cache/``.

Outputs (committed):

* ``eval/foreign/files/<package>@<version>/<path>``: each listed file, byte for byte as in
  the archive (no re-encoding; BOM and CR kept). ``<package>`` is the package name with a
  leading ``@`` dropped and ``/`` turned into ``-`` (``@sveltejs/kit`` -> ``sveltejs-kit``),
  so every package folder is one project for ``next-token eval --project``.
* ``eval/foreign/licenses/<package>@<version>.txt``: the package's licence file, byte for byte.
* ``eval/foreign/manifest.json``: per package name, version, source, archive sha256 and
  licence; per file its path, size, sha256 of the raw bytes, the normalised content hash,
  language, line ending (crlf / lf / mixed) and indentation (tabs / 2-space / 4-space / other).
* ``eval/foreign/README.md``: what the set is for and the summary tables.
* ``eval/foreign/.gitattributes``: ``-text`` for files/ and licenses/, so git never converts their line endings.

Checks (the build fails on any): archive sha256 and licence as pinned; every file between
the size limits, UTF-8, no line over the limit, not minified; no package name in
``training/corpus_packages.json``; no file whose document hash (BOM dropped, CRLF -> LF,
as ``corpus.to_document``) is a file hash of ``training/corpus_manifest.json``; no file
whose normalised hash (``corpus.norm_hash``: also line-end whitespace stripped) equals that
of any training or validation document; no file that is a near duplicate of the corpus by
the corpus's own rule (half or more of its distinct long lines in training text). The last
two need the corpus text: run ``python3 training/corpus.py --from-manifest`` first (it
writes ``training/data/train.txt`` and ``val.txt``; they are verified against the manifest).

Usage::

    python3 training/foreign_set.py           # (re)build eval/foreign/
    python3 training/foreign_set.py --check   # build into a temporary folder, compare with eval/foreign/

The same inputs always give byte-identical outputs.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import Counter, defaultdict
from typing import Dict, List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import corpus  # noqa: E402  (same folder; stdlib only)

OUT = os.path.join(ROOT, "eval", "foreign")
CONFIG = os.path.join(OUT, "packages.json")
CACHE = os.path.join(HERE, "data", "foreign-cache")
CORPUS_CONFIG = os.path.join(HERE, "corpus_packages.json")
CORPUS_MANIFEST = corpus.MANIFEST  # corpus_manifest.json.gz
CORPUS_TEXTS = [os.path.join(HERE, "data", "train.txt"), os.path.join(HERE, "data", "val.txt")]
# Git must keep the CRs: no end-of-line conversion whatever core.autocrlf or a future
# top-level .gitattributes says.
GITATTRIBUTES = "# Written by training/foreign_set.py: files are kept byte for byte, CRLF included.\nfiles/** -text\nlicenses/** -text\n"
REBUILD = "python3 training/corpus.py --from-manifest && python3 training/foreign_set.py"

LANG_BY_EXT = {
    ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js",
    ".jsx": "jsx", ".vue": "vue", ".svelte": "svelte", ".py": "python", ".pyi": "python",
    ".json": "json", ".css": "css", ".scss": "scss", ".less": "less", ".html": "html",
    ".sh": "shell", ".bash": "shell", ".yml": "yaml", ".yaml": "yaml", ".toml": "toml",
    ".cfg": "ini", ".ini": "ini", ".md": "md",
}
TSJS = {"ts", "tsx", "js", "jsx", "dts", "vue", "svelte"}
# PyPI metadata spells licences loosely; the pinned SPDX id must match one of these words.
PYPI_LICENCE_WORD = {"MIT": "MIT", "BSD-2-Clause": "BSD", "BSD-3-Clause": "BSD", "ISC": "ISC",
                     "Apache-2.0": "Apache", "0BSD": "BSD", "PSF-2.0": "Python", "Unlicense": "Unlicense"}


# ---------------------------------------------------------------- archives

def folder_name(pkg: dict) -> str:
    return f"{pkg['name'].lstrip('@').replace('/', '-')}@{pkg['version']}"


def archive_name(pkg: dict) -> str:
    return pkg.get("archive") or corpus.tarball_name(pkg["name"], pkg["version"])


def fetch(pkg: dict) -> str:
    """Path of the package's archive in the cache, downloading it when missing."""
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, archive_name(pkg))
    if os.path.exists(path):
        return path
    spec = f"{pkg['name']}@{pkg['version']}" if pkg["source"] == "npm" else f"{pkg['name']}=={pkg['version']}"
    print(f"download {spec}", flush=True)
    if pkg["source"] == "npm":
        cmd = ["npm", "pack", spec, "--pack-destination", CACHE]
    else:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", spec, "-d", CACHE]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(path):
        raise SystemExit(f"{spec}: download did not produce {path}")
    return path


def read_archive(path: str) -> Dict[str, bytes]:
    """{path without the top-level folder: bytes} for the regular files of a .tgz/.tar.gz/.zip."""
    files: Dict[str, bytes] = {}
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if not n.endswith("/"):
                    files[n.split("/", 1)[1]] = z.read(n)
        return files
    with tarfile.open(path, "r:gz") as t:
        for m in t.getmembers():
            if m.isfile() and "/" in m.name:
                files[m.name.split("/", 1)[1]] = t.extractfile(m).read()
    return files


def pkg_info_licences(files: Dict[str, bytes]) -> str:
    """The licence lines of an sdist's PKG-INFO (License, License-Expression, classifiers)."""
    text = files.get("PKG-INFO", b"").decode("utf-8", "replace")
    return "\n".join(l for l in text.split("\n") if l.startswith(("License", "Classifier: License")))


def check_package(pkg: dict, path: str, files: Dict[str, bytes], allowed: set) -> None:
    with open(path, "rb") as f:
        got = corpus.sha256(f.read())
    if got != pkg["sha256"]:
        raise SystemExit(f"{path}: sha256 {got}, pinned {pkg['sha256']}")
    lic = pkg["licence"]
    if lic not in allowed:
        raise SystemExit(f"{pkg['name']}: licence {lic} is not allowed")
    if pkg["source"] == "npm":
        pj = json.loads(files["package.json"].decode("utf-8"))
        if (pj.get("name"), pj.get("version")) != (pkg["name"], pkg["version"]):
            raise SystemExit(f"{path}: package.json says {pj.get('name')}@{pj.get('version')}")
        if corpus.licence_of(pj) != lic:
            raise SystemExit(f"{pkg['name']}: package.json licence {corpus.licence_of(pj)}, pinned {lic}")
    elif PYPI_LICENCE_WORD[lic] not in pkg_info_licences(files):
        raise SystemExit(f"{pkg['name']}: PKG-INFO does not say {lic}:\n{pkg_info_licences(files)}")
    if pkg["licence_file"] not in files:
        raise SystemExit(f"{pkg['name']}: no {pkg['licence_file']} in the archive")


# ---------------------------------------------------------------- classification

def language(path: str, raw: bytes) -> str:
    base = path.rsplit("/", 1)[-1]
    if re.search(r"\.d\.[mc]?ts$", base):
        return "dts"
    if base == "Makefile":
        return "make"
    ext = os.path.splitext(base)[1].lower()
    if ext in LANG_BY_EXT:
        return LANG_BY_EXT[ext]
    first = raw.split(b"\n", 1)[0]
    if first.startswith(b"#!") and re.search(rb"\b(ba|z|da)?sh\b", first):
        return "shell"
    raise SystemExit(f"{path}: unknown language")


def group(lang: str) -> str:
    return "tsjs" if lang in TSJS else "python" if lang == "python" else "other"


def line_ending(raw: bytes) -> str:
    crlf, lf, cr = raw.count(b"\r\n"), raw.count(b"\n"), raw.count(b"\r")
    if crlf == 0 and cr == 0:
        return "lf"
    return "crlf" if crlf == lf == cr else "mixed"


def indentation(text: str) -> str:
    """tabs when more lines start with a tab than with two or more spaces; else the most
    common step by which the indentation of space-indented lines grows (2 or 4)."""
    lines = [l for l in text.replace("\r\n", "\n").split("\n") if l.strip()]
    tabs = sum(1 for l in lines if l.startswith("\t"))
    spaces = sum(1 for l in lines if l.startswith("  "))
    if tabs == 0 and spaces == 0:
        return "other"
    if tabs > spaces:
        return "tabs"
    steps: Counter = Counter()
    prev = 0
    for l in lines:
        if l.startswith("\t") or l.lstrip(" ").startswith("*"):  # block-comment continuation
            continue
        n = len(l) - len(l.lstrip(" "))
        if n > prev:
            steps[n - prev] += 1
        prev = n
    if not steps:
        return "other"
    unit = max(steps.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    return {2: "2-space", 4: "4-space"}.get(unit, "other")


def check_file(where: str, raw: bytes, limits: dict) -> str:
    """The file's text; fails on anything the set must not hold."""
    if not limits["min_bytes"] <= len(raw) <= limits["max_bytes"]:
        raise SystemExit(f"{where}: {len(raw)} bytes, outside {limits['min_bytes']}..{limits['max_bytes']}")
    if ".min." in where.rsplit("/", 1)[-1]:
        raise SystemExit(f"{where}: minified")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SystemExit(f"{where}: not UTF-8")
    longest = max(len(l) for l in text.replace("\r\n", "\n").split("\n"))
    if longest > limits["max_line_chars"]:
        raise SystemExit(f"{where}: a line of {longest} characters")
    return text


# ---------------------------------------------------------------- overlap with the corpus

def corpus_names() -> set:
    with open(CORPUS_CONFIG, encoding="utf-8") as f:
        cfg = json.load(f)
    names = {p["name"] for split in cfg["npm"].values() for p in split}
    return names | {cfg["python"]["package"]}


def corpus_documents(manifest: dict) -> List[str]:
    """Every training and validation document, from train.txt + val.txt, verified against the manifest."""
    missing = [p for p in CORPUS_TEXTS if not os.path.exists(p)]
    if missing:
        raise SystemExit(f"{missing[0]} is missing: run python3 training/corpus.py --from-manifest first")
    docs: List[str] = []
    for p in CORPUS_TEXTS:
        with open(p, encoding="utf-8", newline="") as f:
            docs.extend(f.read().split(corpus.EOT))
    want = Counter(e["sha256"] for e in manifest["files"])
    got = Counter(corpus.sha256(d.encode("utf-8")) for d in docs)
    if got != want:
        raise SystemExit("training/data/train.txt + val.txt do not match training/corpus_manifest.json: "
                         "run python3 training/corpus.py --from-manifest")
    return docs


class Corpus:
    """The corpus's file hashes, normalised hashes and long lines."""

    def __init__(self) -> None:
        manifest = corpus.load_manifest()
        with open(CORPUS_CONFIG, encoding="utf-8") as f:
            self.limits = json.load(f)["limits"]
        self.config_sha256 = manifest["config_sha256"]
        self.names = corpus_names()
        self.doc_hashes = {e["sha256"] for e in manifest["files"]}
        docs = corpus_documents(manifest)
        self.documents = len(docs)
        self.norm_hashes = {corpus.norm_hash(d) for d in docs}
        cleaner = corpus.Cleaner(self.limits)
        self.lines = set()
        for d in docs:
            self.lines |= cleaner.long_lines(d)
        self.long_lines = cleaner.long_lines

    def line_overlap(self, doc: str) -> Tuple[int, int]:
        """(distinct long lines also in the corpus, distinct long lines)."""
        lines = self.long_lines(doc)
        return sum(1 for l in lines if l in self.lines), len(lines)

    def check(self, where: str, raw: bytes) -> float:
        """Fails when the file repeats corpus text; returns its share of corpus long lines."""
        doc = corpus.to_document(raw)
        if corpus.sha256(doc.encode("utf-8")) in self.doc_hashes:
            raise SystemExit(f"{where}: the same document is in training/corpus_manifest.json")
        if corpus.norm_hash(doc) in self.norm_hashes:
            raise SystemExit(f"{where}: its normalised hash matches a training/validation document")
        seen, n = self.line_overlap(doc)
        lim = self.limits
        if n >= lim["near_dup_min_lines"] and seen >= lim["near_dup_fraction"] * n:
            raise SystemExit(f"{where}: near duplicate of the corpus ({seen} of {n} long lines)")
        return seen / n if n else 0.0


# ---------------------------------------------------------------- build

def collect(config: dict, corp: Corpus) -> Tuple[List[dict], List[dict], Dict[str, bytes]]:
    """(package entries, file entries, {output path: bytes})."""
    allowed = set(config["allowed_licences"])
    packages, entries, out = [], [], {}
    for pkg in config["packages"]:
        if pkg["name"] in corp.names:
            raise SystemExit(f"{pkg['name']} is a corpus package (training/corpus_packages.json)")
        path = fetch(pkg)
        files = read_archive(path)
        check_package(pkg, path, files, allowed)
        folder = folder_name(pkg)
        out[f"licenses/{folder}.txt"] = files[pkg["licence_file"]]
        for rel in sorted(pkg["files"]):
            if rel not in files:
                raise SystemExit(f"{folder}: no {rel} in the archive")
            raw = files[rel]
            where = f"files/{folder}/{rel}"
            text = check_file(where, raw, config["limits"])
            overlap = corp.check(where, raw)
            out[where] = raw
            entries.append({"path": where, "package": folder, "bytes": len(raw), "sha256": corpus.sha256(raw),
                            "norm_sha256": corpus.norm_hash(corpus.to_document(raw)),
                            "language": language(rel, raw), "line_ending": line_ending(raw),
                            "indentation": indentation(text), "corpus_line_share": round(overlap, 3)})
        packages.append({"name": pkg["name"], "version": pkg["version"], "source": pkg["source"],
                         "archive": archive_name(pkg), "archive_sha256": pkg["sha256"],
                         "licence": pkg["licence"], "licence_file": f"licenses/{folder}.txt",
                         "folder": f"files/{folder}", "files": len(pkg["files"]), "why": pkg["why"]})
    total = sum(e["bytes"] for e in entries)
    if total > config["limits"]["total_max_bytes"]:
        raise SystemExit(f"{total} bytes in all, over {config['limits']['total_max_bytes']}")
    norms = Counter(e["norm_sha256"] for e in entries)
    dup = [e["path"] for e in entries if norms[e["norm_sha256"]] > 1]
    if dup:
        raise SystemExit(f"the same content twice in the set: {dup}")
    return packages, entries, out


def tally(entries: List[dict], key) -> Dict[str, List[int]]:
    t: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    for e in entries:
        t[key(e)][0] += 1
        t[key(e)][1] += e["bytes"]
    return dict(sorted(t.items()))


def summarize(entries: List[dict]) -> dict:
    return {
        "files": len(entries), "bytes": sum(e["bytes"] for e in entries),
        "by_group": tally(entries, lambda e: group(e["language"])),
        "by_language": tally(entries, lambda e: e["language"]),
        "by_line_ending": tally(entries, lambda e: e["line_ending"]),
        "by_indentation": tally(entries, lambda e: e["indentation"]),
    }


def manifest_text(config: dict, packages: List[dict], entries: List[dict], corp: Corpus) -> str:
    head = {
        "generated_by": "training/foreign_set.py",
        "config_sha256": corpus.sha256(json.dumps(config, sort_keys=True).encode()),
        "checked_against": {"corpus_config_sha256": corp.config_sha256, "documents": corp.documents},
        "summary": summarize(entries),
    }
    s = json.dumps(head, indent=1, sort_keys=True)[:-2] + ',\n "packages": [\n'
    s += ",\n".join("  " + json.dumps(p, sort_keys=True) for p in packages)
    s += '\n ],\n "files": [\n'
    s += ",\n".join("  " + json.dumps(e, sort_keys=True, ensure_ascii=False) for e in entries)
    return s + "\n ]\n}\n"


def table(title: str, rows: Dict[str, List[int]], files: int) -> str:
    s = f"| {title} | files | share | KB |\n|---|---:|---:|---:|\n"
    for k, (n, b) in rows.items():
        s += f"| {k} | {n} | {100 * n / files:.0f} % | {b / 1000:.1f} |\n"
    return s


def readme_text(packages: List[dict], entries: List[dict], corp: Corpus) -> str:
    s = summarize(entries)
    n = s["files"]
    overlap = sorted(e["corpus_line_share"] for e in entries)
    pk = "| package | source | licence | files | why |\n|---|---|---|---:|---|\n"
    for p in packages:
        pk += f"| `{p['name']}@{p['version']}` | {p['source']} | {p['licence']} | {p['files']} | {p['why']} |\n"
    return f"""# Foreign evaluation set

Code the models never saw, unlike the training corpus in style (GitHub issue #20): for
figures on "other projects and styles" (DESIGN.md, "Quality measures") next to
the validation set, which is like the training data. {n} files, {s['bytes'] / 1000:.0f} KB, from
{len(packages)} packages: tab-indented projects, files with CRLF line endings exactly as
published (the corpus builder turned CRLF into LF, so the models never saw a `\\r`),
4-space TypeScript, JavaScript and Python, Vue and Svelte components, React components in
TSX, Express middleware, shell, CSS/SCSS, YAML, JSON.

- `files/<package>@<version>/<path>`: each file byte for byte as in the package's npm
  tarball or PyPI sdist (no re-encoding; CR and any BOM kept). Scoped names lose the `@`
  and `/` becomes `-` (`@sveltejs/kit` -> `sveltejs-kit`). Each package folder is one
  project: `next-token eval --project eval/foreign/files/leaflet@1.9.4` (several files of
  a package import each other).
- `licenses/<package>@<version>.txt`: the package's licence file as shipped.
- `manifest.json`: per package the archive and its sha256 and the licence; per file the
  size, sha256 of the raw bytes, the normalised content hash (`norm_sha256`), language,
  line ending, indentation, and `corpus_line_share` (the share of its distinct lines of 30+
  characters that also occur somewhere in the corpus).
- `.gitattributes`: `-text` for `files/` and `licenses/`, so git never converts their line
  endings (whatever `core.autocrlf` says).
- `packages.json`: the pinned input: package@version, archive sha256, licence and the
  explicit list of files.

## How it was chosen

Packages absent from `training/corpus_packages.json` (train and validation), with a
permissive licence (checked against the tarball's `package.json` or the sdist's `PKG-INFO`),
picked for a style the corpus lacks; CRLF packages are ones really published from Windows
(checked with `grep -c $'\\r'`). From each, files hand-picked from its source folders, related
files together, each 1-40 KB, UTF-8, no line over 500 characters, not minified, not compiled
output (the one `.d.ts` is handwritten). Classification: line ending `crlf` when every line
ends in CRLF, `mixed` when some do; indentation `tabs` when more lines start with a tab than
with two spaces, else the most common step of space indentation (2 or 4).

No overlap with the corpus: the build fails if a package name is in
`training/corpus_packages.json`, if a file's document hash is a file hash of
`training/corpus_manifest.json.gz`, if its normalised hash (`norm_hash` in
`training/corpus.py`: CRLF -> LF, line-end whitespace stripped) equals that of any of the
{corp.documents} training and validation documents, or if it is a near duplicate by the
corpus's own rule (half or more of its distinct long lines in the corpus). None is: the
largest `corpus_line_share` is {overlap[-1]:.2f}, the median {overlap[len(overlap) // 2]:.2f}
(checked against corpus config `{corp.config_sha256[:12]}`).

## Summary

{table("group", s["by_group"], n)}
{table("language", s["by_language"], n)}
{table("line ending", s["by_line_ending"], n)}
{table("indentation", s["by_indentation"], n)}
Groups: `tsjs` is ts, tsx, js, dts, vue and svelte; `python`; `other` is the rest.

## Packages

{pk}
## Rebuild

    {REBUILD}

The first command rebuilds the corpus text the overlap check needs; the second downloads
the pinned archives into the git-ignored `training/data/foreign-cache/` (`npm pack`,
`pip download --no-deps --no-binary :all:`), checks their sha256 and rewrites this folder
byte for byte. `python3 training/foreign_set.py --check` rebuilds into a temporary folder
and compares.
"""


def write(dest: str, config: dict, packages: List[dict], entries: List[dict],
          out: Dict[str, bytes], corp: Corpus) -> None:
    for sub in ("files", "licenses"):
        shutil.rmtree(os.path.join(dest, sub), ignore_errors=True)
    for rel, raw in sorted(out.items()):
        p = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(raw)
    with open(os.path.join(dest, ".gitattributes"), "w", encoding="utf-8", newline="\n") as f:
        f.write(GITATTRIBUTES)
    with open(os.path.join(dest, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(manifest_text(config, packages, entries, corp))
    with open(os.path.join(dest, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(readme_text(packages, entries, corp))


def compare(a: str, b: str) -> List[str]:
    """Relative paths that differ between two trees (missing on either side included)."""
    def walk(root: str) -> set:
        return {os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs}
    pa, pb = walk(a), walk(b)
    diff = sorted(pa ^ pb)
    diff += [p for p in sorted(pa & pb) if not filecmp.cmp(os.path.join(a, p), os.path.join(b, p), shallow=False)]
    return diff


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="build into a temporary folder and compare with eval/foreign/")
    args = ap.parse_args()
    with open(CONFIG, encoding="utf-8") as f:
        config = json.load(f)
    corp = Corpus()
    packages, entries, out = collect(config, corp)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(CONFIG, os.path.join(tmp, "packages.json"))
            write(tmp, config, packages, entries, out, corp)
            diff = compare(tmp, OUT)
        if diff:
            raise SystemExit(f"eval/foreign/ differs from a rebuild: {diff[:10]}")
        print(f"eval/foreign/ matches a rebuild ({len(entries)} files)")
        return
    write(OUT, config, packages, entries, out, corp)
    s = summarize(entries)
    print(f"{s['files']} files, {s['bytes']} bytes, {len(packages)} packages")
    for k in ("by_group", "by_language", "by_line_ending", "by_indentation"):
        print(f"  {k[3:]:12s}", ", ".join(f"{g} {n} ({b // 1000} KB)" for g, (n, b) in s[k].items()))


if __name__ == "__main__":
    main()
