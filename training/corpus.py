"""Build the code-completion training corpus from pinned inputs.

Inputs: ``training/corpus_packages.json`` (npm packages pinned to exact versions, split
into train and validation packages; the local Python standard library with a few
top-level modules held out for validation; cleaning limits and the language mix).

Outputs (under ``training/data/``, git-ignored):

* ``train.txt`` and ``val.txt``: UTF-8 text, one document per source file. Documents are
  separated by the literal string ``<|endoftext|>`` (13 characters, no newline around
  it; the first document has nothing before it, the last nothing after it). A document
  is the file's text with a leading BOM removed and CRLF turned into LF; nothing else is
  added (no path header). Documents appear in a deterministic pseudo-random order (sorted
  by sha256 of ``package/path``), so any prefix of the file is a fair sample.
* ``val-files/<package>/<path>``: each validation document as a real file (the same text
  as in val.txt), for per-file evaluation. The Python part is ``val-files/python-stdlib/``.
* ``training/corpus_manifest.json`` (committed): package@version, licence, tarball
  sha256, and for every kept file its path, language, size and sha256 (of the document
  text as written, UTF-8), plus the summary printed at the end.

Cleaning: drop files that are not UTF-8, ``*.min.*``, lock files, source maps, files over
1 MB, files with any line over 500 characters, files containing ``<|endoftext|>``; when a
package ships ``src/**/*.ts`` its compiled copies (dist/ cjs/ esm/ lib/ build/ ...) are
dropped; exact duplicates (sha256 of the text with line-end whitespace stripped) and near
duplicates (half or more of the file's distinct long lines already seen) are dropped,
train first, then validation (so validation never repeats training text). Each package
is capped (a deterministic hash order picks which files fit), then each language group
is sampled down to the mix in the config (TS/JS 60 %, Python 25 %, JSON/CSS/HTML/MD 15 %,
.d.ts at most 9 % of the total). The split is by package; the build fails if any content
hash appears in both splits.

Usage::

    python3 training/corpus.py                  # build (downloads missing tarballs with npm pack)
    python3 training/corpus.py --from-manifest  # rebuild exactly the manifest's files, verify hashes

The same inputs always give byte-identical outputs.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections import defaultdict
from typing import Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
CACHE = os.path.join(DATA, "npm-cache")
CONFIG = os.path.join(HERE, "corpus_packages.json")
MANIFEST = os.path.join(HERE, "corpus_manifest.json")
EOT = "<|endoftext|>"

LANG_BY_EXT = {
    ".ts": "ts", ".tsx": "ts", ".mts": "ts", ".cts": "ts",
    ".js": "js", ".jsx": "js", ".mjs": "js", ".cjs": "js",
    ".json": "json", ".css": "css", ".scss": "css", ".less": "css",
    ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md",
    ".py": "python",
}
GROUP = {"ts": "tsjs", "js": "tsjs", "dts": "tsjs", "python": "python",
         "json": "other", "css": "other", "html": "other", "md": "other"}
# Top-level folders that hold compiled copies when a package also ships src/**/*.ts.
COMPILED_DIRS = {"dist", "cjs", "esm", "lib", "build", "umd", "esm5", "esm2015",
                 "fesm2022", "_cjs", "_esm", "_types"}
LOCK_NAMES = {"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "npm-shrinkwrap.json", "bun.lockb"}


def language(path: str) -> Optional[str]:
    base = path.rsplit("/", 1)[-1].lower()
    if re.search(r"\.d\.[mc]?ts$", base):
        return "dts"
    ext = os.path.splitext(base)[1]
    return LANG_BY_EXT.get(ext)


def sha256(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def order_key(s: str) -> str:
    return sha256(s.encode("utf-8"))


def to_document(raw: bytes) -> Optional[str]:
    """Bytes -> document text, or None when not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n")


def norm_hash(text: str) -> str:
    lines = [l.rstrip() for l in text.split("\n")]
    return sha256("\n".join(lines).strip("\n").encode("utf-8", "surrogatepass"))


def tarball_name(name: str, version: str) -> str:
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def fetch(name: str, version: str) -> str:
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, tarball_name(name, version))
    if not os.path.exists(path):
        print(f"npm pack {name}@{version}", flush=True)
        subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", CACHE],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def read_tarball(path: str) -> Tuple[dict, Dict[str, bytes]]:
    """package.json and {relative path: bytes} for regular files, sorted by path."""
    files: Dict[str, bytes] = {}
    with tarfile.open(path, "r:gz") as t:
        for m in t.getmembers():
            if not m.isfile():
                continue
            rel = m.name.split("/", 1)[1] if "/" in m.name else m.name
            files[rel] = t.extractfile(m).read()
    pj = json.loads(files.get("package.json", b"{}").decode("utf-8"))
    return pj, dict(sorted(files.items()))


def licence_of(pj: dict) -> str:
    lic = pj.get("license")
    if isinstance(lic, dict):
        lic = lic.get("type")
    if lic is None and isinstance(pj.get("licenses"), list) and pj["licenses"]:
        lic = pj["licenses"][0].get("type")
    return str(lic).strip("()") if lic else "UNKNOWN"


def licence_ok(lic: str, allowed: set) -> bool:
    """An SPDX id, or an "A OR B" choice where one alternative is allowed."""
    return any(part.strip() in allowed for part in lic.split(" OR "))


class Cleaner:
    """Per-file filters plus the corpus-wide exact / near duplicate state."""

    def __init__(self, limits: dict):
        self.limits = limits
        self.seen_hashes: Dict[str, str] = {}
        self.seen_lines: set = set()
        self.dropped: Dict[str, int] = defaultdict(int)
        self.dropped_bytes: Dict[str, int] = defaultdict(int)

    def drop(self, reason: str, size: int) -> None:
        self.dropped[reason] += 1
        self.dropped_bytes[reason] += size

    def filter(self, path: str, raw: bytes, ships_ts_src: bool) -> Optional[Tuple[str, str]]:
        """(language, document) or None; does not touch the duplicate state."""
        lang = language(path)
        base = path.rsplit("/", 1)[-1].lower()
        if lang is None:
            return None
        parts = path.split("/")
        if ".min." in base or base.endswith(".map") or base in LOCK_NAMES or base.endswith(".lock"):
            self.drop("min/map/lock", len(raw))
            return None
        if "node_modules" in parts:
            self.drop("node_modules", len(raw))
            return None
        if ships_ts_src and len(parts) > 1 and parts[0] in COMPILED_DIRS:
            self.drop("compiled copy", len(raw))
            return None
        if len(raw) > self.limits["max_file_bytes"]:
            self.drop("over 1 MB", len(raw))
            return None
        text = to_document(raw)
        if text is None:
            self.drop("not UTF-8", len(raw))
            return None
        if not text.strip():
            self.drop("empty", len(raw))
            return None
        if max(len(l) for l in text.split("\n")) > self.limits["max_line_chars"]:
            self.drop("long line", len(raw))
            return None
        if EOT in text:
            self.drop("contains <|endoftext|>", len(raw))
            return None
        return lang, text

    def long_lines(self, text: str) -> set:
        n = self.limits["near_dup_min_line_chars"]
        return {s for s in (l.strip() for l in text.split("\n")) if len(s) >= n}

    def is_duplicate(self, text: str, where: str) -> bool:
        """Checks and records; True when the text repeats something seen before."""
        h = norm_hash(text)
        if h in self.seen_hashes:
            self.drop("exact duplicate", len(text))
            return True
        lines = self.long_lines(text)
        if len(lines) >= self.limits["near_dup_min_lines"]:
            seen = sum(1 for l in lines if l in self.seen_lines)
            if seen >= self.limits["near_dup_fraction"] * len(lines):
                self.drop("near duplicate", len(text))
                return True
        self.seen_hashes[h] = where
        self.seen_lines.update(lines)
        return False


def python_files(cfg: dict) -> List[Tuple[str, str]]:
    """(relative path, top-level name) of stdlib .py files, sorted."""
    root = cfg["root"]
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        top = rel_dir.split(os.sep)[0] if rel_dir != "." else None
        dirnames[:] = sorted(d for d in dirnames
                             if d not in cfg["exclude_dir_names"]
                             and not (rel_dir == "." and d in cfg["exclude_top_level"]))
        for fn in sorted(filenames):
            if not fn.endswith(".py"):
                continue
            rel = fn if rel_dir == "." else os.path.join(rel_dir, fn).replace(os.sep, "/")
            t = top if top else fn[:-3]
            if t in cfg["exclude_top_level"]:
                continue
            out.append((rel, t))
    return sorted(out)


def python_version() -> str:
    return ".".join(map(str, sys.version_info[:3]))


def collect(config: dict) -> Tuple[List[dict], List[dict], Cleaner]:
    """All candidate documents after cleaning + dedup (train first, then validation)."""
    limits = config["limits"]
    allowed = set(config["allowed_licences"])
    cleaner = Cleaner(limits)
    packages: List[dict] = []
    docs: List[dict] = []
    py = config["python"]
    py_id = f"{py['package']}@{python_version()}"
    py_files = python_files(py)

    for split in ("train", "validation"):
        for spec in config["npm"][split]:
            name, version = spec["name"], spec["version"]
            tgz = fetch(name, version)
            with open(tgz, "rb") as f:
                tgz_sha = sha256(f.read())
            pj, files = read_tarball(tgz)
            lic = licence_of(pj)
            pkg = {"name": name, "version": version, "licence": lic, "split": split,
                   "tarball": os.path.basename(tgz), "tarball_sha256": tgz_sha,
                   "raw_bytes": sum(len(b) for b in files.values())}
            packages.append(pkg)
            if pj.get("version") != version or pj.get("name") != name:
                raise SystemExit(f"{tgz}: package.json says {pj.get('name')}@{pj.get('version')}")
            if not licence_ok(lic, allowed):
                print(f"  skip {name}@{version}: licence {lic}", flush=True)
                pkg["skipped"] = f"licence {lic}"
                continue
            ships_ts_src = any(p.startswith("src/") and language(p) == "ts" for p in files)
            for path, raw in files.items():
                r = cleaner.filter(path, raw, ships_ts_src)
                if r is None:
                    continue
                lang, text = r
                if cleaner.is_duplicate(text, f"{name}/{path}"):
                    continue
                docs.append({"package": name, "version": version, "licence": lic, "split": split,
                             "path": path, "lang": lang, "text": text})
        # Python stdlib: held-out top-level modules are validation.
        val_top = set(py["validation_top_level"])
        for rel, top in py_files:
            if (top in val_top) != (split == "validation"):
                continue
            with open(os.path.join(py["root"], rel), "rb") as f:
                raw = f.read()
            r = cleaner.filter(rel, raw, False)
            if r is None:
                continue
            lang, text = r
            if cleaner.is_duplicate(text, f"{py['package']}/{rel}"):
                continue
            docs.append({"package": py["package"], "version": python_version(), "licence": py["licence"],
                         "split": split, "path": rel, "lang": lang, "text": text, "module": top})
    packages.append({"name": py["package"], "version": python_version(), "licence": py["licence"],
                     "split": "train+validation", "root": py["root"],
                     "validation_top_level": sorted(val_top)})
    return packages, docs, cleaner


def cap_key(d: dict) -> str:
    """The unit a share cap applies to: an npm package, or a stdlib top-level module."""
    return f"{d['package']}:{d['module']}" if "module" in d else d["package"]


def select(docs: List[dict], limits: dict) -> Tuple[List[dict], List[dict]]:
    size = lambda d: len(d["text"].encode("utf-8"))
    # 1. Per-package cap, files taken in a deterministic hash order.
    by_pkg: Dict[Tuple[str, str], List[dict]] = defaultdict(list)
    for d in docs:
        by_pkg[(d["split"], cap_key(d))].append(d)
    capped: List[dict] = []
    for (split, _), ds in sorted(by_pkg.items()):
        cap = limits["package_cap_bytes"] if split == "train" else limits["validation_package_cap_bytes"]
        total = 0
        for d in sorted(ds, key=lambda d: order_key(f"{d['package']}/{d['path']}")):
            s = size(d)
            if total + s > cap:
                continue
            total += s
            capped.append(d)
    train = [d for d in capped if d["split"] == "train"]
    val = [d for d in capped if d["split"] == "validation"]
    # 2. Language mix for train.
    avail: Dict[str, int] = defaultdict(int)
    for d in train:
        avail["dts" if d["lang"] == "dts" else GROUP[d["lang"]]] += size(d)
    mix = limits["mix"]
    total = min([limits["train_max_bytes"]] + [(avail[g] + (avail["dts"] if g == "tsjs" else 0)) / f
                                                 for g, f in mix.items()])
    budget = {g: f * total for g, f in mix.items()}
    budget["dts"] = min(avail["dts"], limits["dts_max_fraction"] * total)
    budget["tsjs"] -= budget["dts"]
    used: Dict[str, int] = defaultdict(int)
    out = []
    # TypeScript source is the scarcest and most wanted: it is taken before JavaScript.
    for d in sorted(train, key=lambda d: (d["lang"] != "ts", order_key(f"{d['package']}/{d['path']}"))):
        g = "dts" if d["lang"] == "dts" else GROUP[d["lang"]]
        s = size(d)
        if used[g] + s > budget[g]:
            continue
        used[g] += s
        out.append(d)
    return out, val


def write_outputs(train: List[dict], val: List[dict]) -> None:
    os.makedirs(DATA, exist_ok=True)
    for name, ds in (("train.txt", train), ("val.txt", val)):
        ds = sorted(ds, key=lambda d: order_key(f"{d['package']}/{d['path']}"))
        tmp = os.path.join(DATA, name + ".tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(EOT.join(d["text"] for d in ds))
        os.replace(tmp, os.path.join(DATA, name))
    vdir = os.path.join(DATA, "val-files")
    if os.path.exists(vdir):
        shutil.rmtree(vdir)
    for d in val:
        p = os.path.join(vdir, d["package"], d["path"])
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(d["text"])


def summarize(train: List[dict], val: List[dict]) -> dict:
    s: dict = {}
    for split, ds in (("train", train), ("validation", val)):
        by_lang: Dict[str, int] = defaultdict(int)
        by_lic: Dict[str, int] = defaultdict(int)
        by_pkg: Dict[str, int] = defaultdict(int)
        for d in ds:
            n = len(d["text"].encode("utf-8"))
            by_lang[d["lang"]] += n
            by_lic[d["licence"]] += n
            by_pkg[cap_key(d)] += n
        total = sum(by_lang.values())
        top = sorted(by_pkg.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        s[split] = {"files": len(ds), "bytes": total,
                    "by_language": dict(sorted(by_lang.items())),
                    "by_licence": dict(sorted(by_lic.items())),
                    "largest_packages": {k: v for k, v in top},
                    "largest_package_share": round(top[0][1] / total, 4) if top else 0}
    return s


def print_summary(s: dict, cleaner: Optional[Cleaner]) -> None:
    for split, v in s.items():
        print(f"\n{split}: {v['files']} files, {v['bytes'] / 1e6:.2f} MB")
        groups: Dict[str, int] = defaultdict(int)
        for lang, n in v["by_language"].items():
            groups[GROUP[lang]] += n
        for lang, n in v["by_language"].items():
            print(f"  {lang:8s} {n / 1e6:7.2f} MB  {100 * n / v['bytes']:5.1f} %")
        for g, n in sorted(groups.items()):
            print(f"  [{g}] {n / 1e6:.2f} MB {100 * n / v['bytes']:.1f} %")
        for lic, n in v["by_licence"].items():
            print(f"  licence {lic:14s} {n / 1e6:7.2f} MB")
        print("  largest:", ", ".join(f"{k} {n / 1e6:.2f} MB" for k, n in v["largest_packages"].items()))
    if cleaner:
        print("\ndropped:")
        for r in sorted(cleaner.dropped):
            print(f"  {r:24s} {cleaner.dropped[r]:6d} files {cleaner.dropped_bytes[r] / 1e6:8.2f} MB")


def check_split(train: List[dict], val: List[dict]) -> None:
    th = {norm_hash(d["text"]) for d in train}
    both = [d["path"] for d in val if norm_hash(d["text"]) in th]
    if both:
        raise SystemExit(f"content hash in both train and validation: {both[:5]}")
    tp = {d["package"] for d in train if "module" not in d}
    vp = {d["package"] for d in val if "module" not in d}
    if tp & vp:
        raise SystemExit(f"packages in both splits: {sorted(tp & vp)}")
    tm = {d["module"] for d in train if "module" in d}
    vm = {d["module"] for d in val if "module" in d}
    if tm & vm:
        raise SystemExit(f"stdlib modules in both splits: {sorted(tm & vm)}")


def file_entry(d: dict) -> dict:
    b = d["text"].encode("utf-8")
    e = {"split": d["split"], "package": f"{d['package']}@{d['version']}", "licence": d["licence"],
         "path": d["path"], "lang": d["lang"], "size": len(b), "sha256": sha256(b)}
    if "module" in d:
        e["module"] = d["module"]
    return e


def write_manifest(config: dict, packages: List[dict], train: List[dict], val: List[dict],
                   summary: dict, cleaner: Cleaner) -> None:
    files = sorted((file_entry(d) for d in train + val),
                   key=lambda e: (e["split"] != "train", e["package"], e["path"]))
    for p in packages:
        p["files_kept"] = sum(1 for f in files if f["package"] == f"{p['name']}@{p['version']}")
    manifest = {
        "generated_by": "training/corpus.py",
        "separator": EOT,
        "python_version": python_version(),
        "config_sha256": sha256(json.dumps(config, sort_keys=True).encode()),
        "summary": summary,
        "dropped": {r: {"files": cleaner.dropped[r], "bytes": cleaner.dropped_bytes[r]} for r in sorted(cleaner.dropped)},
        "packages": packages,
        "files": files,
    }
    # One file entry per line keeps the committed manifest diffable.
    head = {k: v for k, v in manifest.items() if k not in ("packages", "files")}
    with open(MANIFEST, "w", encoding="utf-8") as f:
        f.write(json.dumps(head, indent=1)[:-2] + ',\n "packages": [\n')
        f.write(",\n".join("  " + json.dumps(p, sort_keys=True) for p in packages))
        f.write('\n ],\n "files": [\n')
        f.write(",\n".join("  " + json.dumps(e, sort_keys=True, ensure_ascii=False) for e in files))
        f.write("\n ]\n}\n")
    json.load(open(MANIFEST, encoding="utf-8"))  # sanity


def from_manifest() -> None:
    with open(MANIFEST, encoding="utf-8") as f:
        manifest = json.load(f)
    pkgs = {f"{p['name']}@{p['version']}": p for p in manifest["packages"]}
    want: Dict[str, List[dict]] = defaultdict(list)
    for e in manifest["files"]:
        want[e["package"]].append(e)
    train, val = [], []
    bad = 0
    for key in sorted(want):
        p = pkgs[key]
        if "tarball" in p:
            tgz = fetch(p["name"], p["version"])
            with open(tgz, "rb") as f:
                if sha256(f.read()) != p["tarball_sha256"]:
                    raise SystemExit(f"{tgz}: tarball sha256 differs from the manifest")
            _, files = read_tarball(tgz)
            get = lambda path: files.get(path)
        else:
            if p["version"] != python_version():
                raise SystemExit(f"manifest wants Python {p['version']}, this is {python_version()}")
            root = p["root"]

            def get(path, root=root):
                try:
                    with open(os.path.join(root, path), "rb") as f:
                        return f.read()
                except FileNotFoundError:
                    return None
        for e in want[key]:
            raw = get(e["path"])
            text = to_document(raw) if raw is not None else None
            if text is None or sha256(text.encode("utf-8")) != e["sha256"]:
                print(f"  MISMATCH {e['package']} {e['path']}")
                bad += 1
                continue
            d = {"package": p["name"], "version": p["version"], "licence": e["licence"], "split": e["split"],
                 "path": e["path"], "lang": e["lang"], "text": text}
            if "module" in e:
                d["module"] = e["module"]
            (train if e["split"] == "train" else val).append(d)
    if bad:
        raise SystemExit(f"{bad} files do not match the manifest")
    check_split(train, val)
    write_outputs(train, val)
    summary = summarize(train, val)
    if summary != manifest["summary"]:
        raise SystemExit("summary differs from the manifest")
    print_summary(summary, None)
    print(f"\nall {len(manifest['files'])} file hashes verified; outputs rebuilt")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from-manifest", action="store_true", help="rebuild from corpus_manifest.json and verify every hash")
    args = ap.parse_args()
    if args.from_manifest:
        from_manifest()
        return
    with open(CONFIG, encoding="utf-8") as f:
        config = json.load(f)
    packages, docs, cleaner = collect(config)
    train, val = select(docs, config["limits"])
    check_split(train, val)
    write_outputs(train, val)
    summary = summarize(train, val)
    write_manifest(config, packages, train, val, summary, cleaner)
    print_summary(summary, cleaner)
    with open(os.path.join(DATA, "CORPUS_READY"), "w") as f:
        f.write(f"train.txt {os.path.getsize(os.path.join(DATA, 'train.txt'))} bytes\n"
                f"val.txt {os.path.getsize(os.path.join(DATA, 'val.txt'))} bytes\n"
                f"val-files {len(val)} files\n"
                "documents separated by the literal <|endoftext|>; see training/corpus.py docstring\n")


if __name__ == "__main__":
    main()
