"""Build the code-completion training corpus from pinned inputs.

Inputs: ``training/corpus_packages.json``: npm packages pinned to exact versions, split
into train and validation packages; PyPI source distributions (sdists) pinned to an exact
version, file name and sha256, with the licence their metadata states; the local Python
standard library with a few top-level modules held out for validation; the exact list of
validation files (so the validation split stays the same while the training split grows);
cleaning limits and the language mix. ``eval/foreign/packages.json`` (the foreign
evaluation set) is read too: none of its packages may be a corpus package, and its files
are deduplication seeds (see Cleaning).

Outputs (under ``training/data/``, git-ignored):

* ``train.txt`` and ``val.txt``: UTF-8 text, one document per source file. Documents are
  separated by the literal string ``<|endoftext|>`` (13 characters, no newline around
  it; the first document has nothing before it, the last nothing after it). A document
  is the file's text with a leading BOM removed and CRLF turned into LF (the extension
  reads every document as LF too); nothing else is added (no path header). Documents
  appear in a deterministic pseudo-random order (sorted by sha256 of ``package/path``),
  so any prefix of the file is a fair sample.
* ``val-files/<package>/<path>``: each validation document as a real file (the same text
  as in val.txt), for per-file evaluation. The Python part is ``val-files/python-stdlib/``.
* ``training/corpus_manifest.json.gz`` (committed; gzip of JSON, written without a time
  stamp so the bytes are reproducible): package@version, licence, archive sha256, and for
  every kept file its path, language, size and sha256 (of the document text as written,
  UTF-8), ``crlf`` / ``tabs`` flags when the file as authored had CRLF line ends / was
  tab-indented, plus the summary printed at the end (bytes per language and licence,
  largest packages, share of CRLF and tab-indented files, what was dropped and why).
  ``load_manifest()`` reads it (other scripts use that).

PyPI packages are named ``pypi:<name>`` in the manifest and the documents (npm and PyPI
both have e.g. ``redis``). Their licence is the pinned one, checked at build time against
the sdist's ``PKG-INFO`` (``License-Expression``, else a short ``License`` field, else the
licence classifier; a BSD classifier is told apart as 2- or 3-clause by the licence file).

Cleaning: drop files that are not UTF-8, ``*.min.*``, lock files, source maps, files over
1 MB, files with any line over 500 characters, files containing ``<|endoftext|>``; when a
package ships ``src/**/*.ts`` its compiled copies (dist/ cjs/ esm/ lib/ build/ ...) are
dropped. Deduplication (exact: sha256 of the text with line-end whitespace stripped; near:
half or more of the file's distinct long lines already seen) is seeded with every
evaluation file first, the pinned validation files and the foreign set's files
(``eval/foreign/files/``), so training never repeats evaluation text; the drops are counted
apart ("... of evaluation file"). Then training files in config order: npm, stdlib, PyPI.
Each package is capped (a deterministic hash order picks which files fit), then each
language group is sampled down to at most its share in the config (``mix``: maxima of
the total; ``dts_max_fraction`` for .d.ts). The split is by package; the build fails if
any content hash appears in both splits.

Usage::

    python3 training/corpus.py                  # build (downloads missing archives: npm pack, PyPI)
    python3 training/corpus.py --from-manifest  # rebuild exactly the manifest's files, verify hashes

The same inputs always give byte-identical outputs.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.parse
import urllib.request
import zipfile
from collections import defaultdict
from typing import Callable, Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, "data")
CACHE = os.path.join(DATA, "npm-cache")
PYPI_CACHE = os.path.join(DATA, "pypi-cache")
CONFIG = os.path.join(HERE, "corpus_packages.json")
MANIFEST = os.path.join(HERE, "corpus_manifest.json.gz")
FOREIGN_CONFIG = os.path.join(ROOT, "eval", "foreign", "packages.json")
FOREIGN_FILES = os.path.join(ROOT, "eval", "foreign", "files")
EOT = "<|endoftext|>"
PYPI_PREFIX = "pypi:"

LANG_BY_EXT = {
    ".ts": "ts", ".tsx": "ts", ".mts": "ts", ".cts": "ts",
    ".js": "js", ".jsx": "js", ".mjs": "js", ".cjs": "js",
    ".vue": "vue", ".svelte": "svelte",
    ".json": "json", ".css": "css", ".scss": "css", ".less": "css",
    ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md",
    ".py": "python", ".pyi": "python",
    ".sh": "shell", ".bash": "shell",
    ".yml": "yaml", ".yaml": "yaml",
}
GROUP = {"ts": "tsjs", "js": "tsjs", "dts": "tsjs", "vue": "tsjs", "svelte": "tsjs", "python": "python",
         "json": "other", "css": "other", "html": "other", "md": "other", "shell": "other", "yaml": "other"}
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


def authored_style(raw: bytes) -> Dict[str, bool]:
    """How the file was written before normalisation: CRLF line ends, tab indentation.

    Tab-indented means more indented lines start with a tab than with a space (a file
    with no indented line is neither). The flags only feed the manifest's statistics.
    """
    text = raw.decode("utf-8", "replace")
    tabs = spaces = 0
    for line in text.split("\n"):
        if line.startswith("\t"):
            tabs += 1
        elif line.startswith(" "):
            spaces += 1
    style = {}
    if "\r\n" in text:
        style["crlf"] = True
    if tabs > spaces:
        style["tabs"] = True
    return style


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


def fetch_sdist(spec: dict) -> str:
    """The pinned sdist in the cache, downloaded from PyPI when missing; sha256 checked.

    The file is found through PyPI's JSON API for that exact version (the index may
    answer with a URL relative to itself, hence urljoin).
    """
    os.makedirs(PYPI_CACHE, exist_ok=True)
    path = os.path.join(PYPI_CACHE, spec["filename"])
    if not os.path.exists(path):
        api = f"https://pypi.org/pypi/{spec['name']}/{spec['version']}/json"
        print(f"PyPI {spec['name']}=={spec['version']}", flush=True)
        with urllib.request.urlopen(api, timeout=60) as r:
            urls = json.load(r)["urls"]
        url = next(u["url"] for u in urls if u["filename"] == spec["filename"])
        with urllib.request.urlopen(urllib.parse.urljoin(api, url), timeout=600) as r:
            data = r.read()
        if sha256(data) != spec["sha256"]:
            raise SystemExit(f"{spec['filename']}: sha256 differs from the pinned one")
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.replace(path + ".tmp", path)
    with open(path, "rb") as f:
        if sha256(f.read()) != spec["sha256"]:
            raise SystemExit(f"{path}: sha256 differs from the pinned one")
    return path


def read_archive(path: str) -> Dict[str, bytes]:
    """{path without the top-level folder: bytes} for regular files, sorted by path."""
    files: Dict[str, bytes] = {}
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.is_dir():
                    continue
                rel = info.filename.split("/", 1)[1] if "/" in info.filename else info.filename
                files[rel] = z.read(info)
    else:
        with tarfile.open(path, "r:*") as t:
            for m in t.getmembers():
                if not m.isfile():
                    continue
                rel = m.name.split("/", 1)[1] if "/" in m.name else m.name
                files[rel] = t.extractfile(m).read()
    return dict(sorted(files.items()))


def read_tarball(path: str) -> Tuple[dict, Dict[str, bytes]]:
    """package.json and {relative path: bytes} for regular files, sorted by path."""
    files = read_archive(path)
    pj = json.loads(files.get("package.json", b"{}").decode("utf-8"))
    return pj, files


def licence_of(pj: dict) -> str:
    lic = pj.get("license")
    if isinstance(lic, dict):
        lic = lic.get("type")
    if lic is None and isinstance(pj.get("licenses"), list) and pj["licenses"]:
        lic = pj["licenses"][0].get("type")
    return str(lic).strip("()") if lic else "UNKNOWN"


def licence_ok(lic: str, allowed: set) -> bool:
    """An SPDX id, an "A OR B" choice where one alternative is allowed, or "A AND B" where all are."""
    if " AND " in lic:
        return all(licence_ok(part.strip().strip("()"), allowed) for part in lic.split(" AND "))
    return any(part.strip().strip("()") in allowed for part in lic.split(" OR "))


# Short PKG-INFO "License:" values and licence classifiers, as SPDX ids.
PYPI_LICENCE_NAMES = {
    "mit": "MIT", "mit license": "MIT", "the mit license (mit)": "MIT", "isc": "ISC", "isc license": "ISC",
    "apache-2.0": "Apache-2.0", "apache 2.0": "Apache-2.0", "apache license 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0", "apache 2.0 license": "Apache-2.0", "apache": "Apache-2.0",
    "bsd-2-clause": "BSD-2-Clause", "bsd-3-clause": "BSD-3-Clause", "bsd 3-clause license": "BSD-3-Clause",
    "psf-2.0": "PSF-2.0", "psfl": "PSF-2.0", "0bsd": "0BSD",
}
PYPI_CLASSIFIERS = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: OSI Approved :: BSD License": "BSD",
}


def pkg_info(files: Dict[str, bytes]) -> Dict[str, List[str]]:
    """The sdist's top-level PKG-INFO headers (RFC 822 style), each name -> its values."""
    raw = files.get("PKG-INFO", b"").decode("utf-8", "replace").replace("\r\n", "\n")
    head = raw.split("\n\n", 1)[0]
    out: Dict[str, List[str]] = defaultdict(list)
    last = None
    for line in head.split("\n"):
        if line[:1] in (" ", "\t") and last:
            out[last][-1] += "\n" + line.strip()
        elif ":" in line:
            k, v = line.split(":", 1)
            last = k.strip().lower()
            out[last].append(v.strip())
    return out


def bsd_variant(files: Dict[str, bytes]) -> Optional[str]:
    """BSD-3-Clause or BSD-2-Clause from the top-level licence file's text."""
    for name, b in files.items():
        if "/" in name or not re.match(r"(?i)(licen[cs]e|copying)", name):
            continue
        t = " ".join(b.decode("utf-8", "replace").lower().split())
        if "redistributions in binary form" not in t:
            continue
        return "BSD-3-Clause" if ("neither the name" in t or "names of its contributors" in t
                                  or "name of the copyright holder" in t) else "BSD-2-Clause"
    return None


def sdist_licence(files: Dict[str, bytes]) -> Optional[str]:
    """The licence an sdist's metadata states, as SPDX, or None when it says nothing usable."""
    info = pkg_info(files)
    if info.get("license-expression"):
        return info["license-expression"][0]
    lic = (info.get("license") or [""])[0].strip()
    if lic.lower() in PYPI_LICENCE_NAMES:
        return PYPI_LICENCE_NAMES[lic.lower()]
    found = sorted({PYPI_CLASSIFIERS[c] for c in info.get("classifier", []) if c in PYPI_CLASSIFIERS})
    if len(found) == 1:
        return bsd_variant(files) if found[0] == "BSD" else found[0]
    if lic.lower() in ("bsd", "bsd license", "modified bsd license") or lic.lower().startswith("bsd"):
        return bsd_variant(files)
    return None


class Cleaner:
    """Per-file filters plus the corpus-wide exact / near duplicate state."""

    def __init__(self, limits: dict):
        self.limits = limits
        self.seen_hashes: Dict[str, str] = {}
        self.seen_lines: set = set()
        self.eval_lines: set = set()
        self.eval_docs: List[Tuple[str, str]] = []
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

    def add_evaluation(self, text: str, where: str) -> None:
        """Seeds the duplicate state with an evaluation file (training must not repeat it)."""
        self.seen_hashes.setdefault(norm_hash(text), "eval:" + where)
        self.eval_docs.append((where, text))
        lines = self.long_lines(text)
        self.eval_lines.update(lines)
        self.seen_lines.update(lines)

    def is_duplicate(self, text: str, where: str) -> bool:
        """Checks and records; True when the text repeats something seen before."""
        h = norm_hash(text)
        if h in self.seen_hashes:
            of_eval = self.seen_hashes[h].startswith("eval:")
            self.drop("exact duplicate of evaluation file" if of_eval else "exact duplicate", len(text))
            return True
        lines = self.long_lines(text)
        if len(lines) >= self.limits["near_dup_min_lines"]:
            need = self.limits["near_dup_fraction"] * len(lines)
            if self.eval_lines and sum(1 for l in lines if l in self.eval_lines) >= need:
                self.drop("near duplicate of evaluation file", len(text))
                return True
            if sum(1 for l in lines if l in self.seen_lines) >= need:
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


def foreign_files() -> List[Tuple[str, bytes]]:
    """(relative path, bytes) of every file of the foreign evaluation set, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(FOREIGN_FILES):
        dirnames.sort()
        for fn in sorted(filenames):
            p = os.path.join(dirpath, fn)
            with open(p, "rb") as f:
                out.append((os.path.relpath(p, FOREIGN_FILES).replace(os.sep, "/"), f.read()))
    return sorted(out)


def check_not_foreign(config: dict) -> None:
    """No corpus package may be a package of the foreign evaluation set."""
    if not os.path.exists(FOREIGN_CONFIG):
        return
    with open(FOREIGN_CONFIG, encoding="utf-8") as f:
        foreign = {(p["source"], p["name"].lower()) for p in json.load(f)["packages"]}
    ours = {("npm", p["name"].lower()) for s in config["npm"].values() for p in s}
    ours |= {("pypi", p["name"].lower()) for p in config.get("pypi", {}).get("train", [])}
    if ours & foreign:
        raise SystemExit(f"foreign evaluation packages in the corpus config: {sorted(ours & foreign)}")


def document(package: str, version: str, licence: str, split: str, path: str, lang: str,
             text: str, raw: bytes, **extra) -> dict:
    d = {"package": package, "version": version, "licence": licence, "split": split,
         "path": path, "lang": lang, "text": text}
    d.update(authored_style(raw))
    d.update(extra)
    return d


def collect(config: dict) -> Tuple[List[dict], List[dict], Cleaner]:
    """All candidate documents after cleaning + dedup (evaluation files first, then training)."""
    check_not_foreign(config)
    limits = config["limits"]
    allowed = set(config["allowed_licences"])
    cleaner = Cleaner(limits)
    packages: List[dict] = []
    docs: List[dict] = []
    py = config["python"]
    py_id = f"{py['package']}@{python_version()}"
    py_files = python_files(py)
    pinned_val = {k: set(v) for k, v in config["validation_files"].items()}
    val_top = set(py["validation_top_level"])

    def take_npm(spec: dict, split: str) -> None:
        name, version = spec["name"], spec["version"]
        tgz = fetch(name, version)
        with open(tgz, "rb") as f:
            tgz_sha = sha256(f.read())
        pj, files = read_tarball(tgz)
        lic = licence_of(pj)
        pkg = {"name": name, "version": version, "licence": lic, "split": split, "source": "npm",
               "tarball": os.path.basename(tgz), "tarball_sha256": tgz_sha,
               "raw_bytes": sum(len(b) for b in files.values())}
        packages.append(pkg)
        if pj.get("version") != version or pj.get("name") != name:
            raise SystemExit(f"{tgz}: package.json says {pj.get('name')}@{pj.get('version')}")
        if not licence_ok(lic, allowed):
            print(f"  skip {name}@{version}: licence {lic}", flush=True)
            pkg["skipped"] = f"licence {lic}"
            return
        take_files(name, version, lic, split, files)

    def take_files(name: str, version: str, lic: str, split: str, files: Dict[str, bytes]) -> None:
        ships_ts_src = any(p.startswith("src/") and language(p) == "ts" for p in files)
        want = pinned_val.get(f"{name}@{version}", set()) if split == "validation" else None
        for path, raw in files.items():
            if want is not None and path not in want:
                continue
            r = cleaner.filter(path, raw, ships_ts_src)
            if r is None:
                continue
            lang, text = r
            if split == "validation":
                cleaner.add_evaluation(text, f"{name}/{path}")
            elif cleaner.is_duplicate(text, f"{name}/{path}"):
                continue
            docs.append(document(name, version, lic, split, path, lang, text, raw))

    def take_stdlib(split: str) -> None:
        want = pinned_val.get(py_id, set()) if split == "validation" else None
        for rel, top in py_files:
            if (top in val_top) != (split == "validation"):
                continue
            if want is not None and rel not in want:
                continue
            with open(os.path.join(py["root"], rel), "rb") as f:
                raw = f.read()
            r = cleaner.filter(rel, raw, False)
            if r is None:
                continue
            lang, text = r
            if split == "validation":
                cleaner.add_evaluation(text, f"{py['package']}/{rel}")
            elif cleaner.is_duplicate(text, f"{py['package']}/{rel}"):
                continue
            docs.append(document(py["package"], python_version(), py["licence"], split, rel, lang, text, raw,
                                 module=top))

    # 1. Evaluation files seed the duplicate state: validation (pinned) and the foreign set.
    for spec in config["npm"]["validation"]:
        take_npm(spec, "validation")
    take_stdlib("validation")
    for rel, raw in foreign_files():
        text = to_document(raw)
        if text is not None and text.strip():
            cleaner.add_evaluation(text, f"foreign/{rel}")
    # 2. Training: npm, the standard library, PyPI sdists (after the stdlib, so a copy of a stdlib
    # module that an sdist vendors is the one dropped).
    for spec in config["npm"]["train"]:
        take_npm(spec, "train")
    take_stdlib("train")
    for spec in config.get("pypi", {}).get("train", []):
        path = fetch_sdist(spec)
        files = read_archive(path)
        name = PYPI_PREFIX + spec["name"]
        stated = sdist_licence(files)
        pkg = {"name": name, "version": spec["version"], "licence": spec["licence"], "split": "train",
               "source": "pypi", "sdist": spec["filename"], "sdist_sha256": spec["sha256"],
               "raw_bytes": sum(len(b) for b in files.values())}
        packages.append(pkg)
        if stated != spec["licence"]:
            raise SystemExit(f"{spec['filename']}: metadata states licence {stated}, config pins {spec['licence']}")
        if not licence_ok(spec["licence"], allowed):
            print(f"  skip {name}: licence {spec['licence']}", flush=True)
            pkg["skipped"] = f"licence {spec['licence']}"
            continue
        take_files(name, spec["version"], spec["licence"], "train", files)
    packages.append({"name": py["package"], "version": python_version(), "licence": py["licence"],
                     "split": "train+validation", "root": py["root"], "source": "local",
                     "validation_top_level": sorted(val_top)})
    missing = sum(len(v) for v in pinned_val.values()) - sum(1 for d in docs if d["split"] == "validation")
    if missing:
        raise SystemExit(f"{missing} pinned validation files were not found or did not pass cleaning")
    return packages, docs, cleaner


def cap_key(d: dict) -> str:
    """The unit a share cap applies to: a package, or a stdlib top-level module."""
    return f"{d['package']}:{d['module']}" if "module" in d else d["package"]


def group_fill(avail: Dict[str, int], mix: Dict[str, float], dts_fraction: float, t: int) -> int:
    """Bytes the groups give for a total t: each at most its share of t, .d.ts at most its own."""
    out = 0
    for g, f in mix.items():
        a = avail.get(g, 0)
        if g == "tsjs":  # .d.ts is part of tsjs but capped apart
            dts = avail.get("dts", 0)
            a = a - dts + min(dts, int(dts_fraction * t))
        out += min(a, int(f * t))
    return out


def mix_total(avail: Dict[str, int], mix: Dict[str, float], max_total: int, dts_fraction: float = 1.0) -> int:
    """The largest total t <= max_total that the groups can fill when group g gives at most mix[g] * t."""
    lo, hi = 0, min(max_total, sum(avail.get(g, 0) for g in mix))
    while lo < hi:
        t = (lo + hi + 1) // 2
        if group_fill(avail, mix, dts_fraction, t) >= t:
            lo = t
        else:
            hi = t - 1
    return lo


def select(docs: List[dict], limits: dict) -> Tuple[List[dict], List[dict]]:
    size = lambda d: len(d["text"].encode("utf-8"))
    val = [d for d in docs if d["split"] == "validation"]
    # 1. Per-package cap for training, files taken in a deterministic hash order. (The
    # validation files are pinned as they are.)
    by_pkg: Dict[str, List[dict]] = defaultdict(list)
    for d in docs:
        if d["split"] == "train":
            by_pkg[cap_key(d)].append(d)
    train: List[dict] = []
    for _, ds in sorted(by_pkg.items()):
        total = 0
        for d in sorted(ds, key=lambda d: order_key(f"{d['package']}/{d['path']}")):
            s = size(d)
            if total + s > limits["package_cap_bytes"]:
                continue
            total += s
            train.append(d)
    # 2. Language mix for train: each group at most its share of the total.
    avail: Dict[str, int] = defaultdict(int)
    for d in train:
        avail[GROUP[d["lang"]]] += size(d)
        if d["lang"] == "dts":
            avail["dts"] += size(d)
    mix = limits["mix"]
    total = mix_total(avail, mix, limits["train_max_bytes"], limits["dts_max_fraction"])
    budget = {g: min(avail[g], int(f * total)) for g, f in mix.items()}
    budget["dts"] = min(avail["dts"], int(limits["dts_max_fraction"] * total))
    used: Dict[str, int] = defaultdict(int)
    out = []
    # TypeScript source is the scarcest and most wanted: it is taken before JavaScript; the
    # standard library (the reference Python, and the measured corpus so far) before PyPI.
    first = lambda d: 0 if d["lang"] == "ts" else 1 if "module" in d else 2
    for d in sorted(train, key=lambda d: (first(d), order_key(f"{d['package']}/{d['path']}"))):
        g, s = GROUP[d["lang"]], size(d)
        if used[g] + s > budget[g] or (d["lang"] == "dts" and used["dts"] + s > budget["dts"]):
            continue
        used[g] += s
        if d["lang"] == "dts":
            used["dts"] += s
        out.append(d)
    return out, val


def protect_evaluation(train: List[dict], val: List[dict], cleaner: Cleaner) -> List[dict]:
    """Training without the files that together make an evaluation file a near duplicate.

    The per-file check compares each training file with what was seen before it; this is
    the other direction (the rule ``foreign_set.py`` checks): an evaluation file whose
    distinct long lines are half or more in the corpus as a whole (for a foreign file the
    validation split counts too). For each such file, the training files sharing most of
    its lines are dropped until it is not.
    """
    lim = cleaner.limits
    eval_lines = cleaner.eval_lines
    val_lines = set().union(*(cleaner.long_lines(d["text"]) for d in val)) if val else set()
    holders: Dict[str, List[int]] = defaultdict(list)
    for i, d in enumerate(train):
        for l in cleaner.long_lines(d["text"]) & eval_lines:
            holders[l].append(i)
    gone: set = set()
    for where, text in cleaner.eval_docs:
        lines = cleaner.long_lines(text)
        if len(lines) < lim["near_dup_min_lines"]:
            continue
        need = lim["near_dup_fraction"] * len(lines)
        fixed = lines & val_lines if where.startswith("foreign/") else set()
        while True:
            covered = {l for l in lines - fixed if any(i not in gone for i in holders.get(l, ()))}
            if len(covered) + len(fixed) < need:
                break
            counts: Dict[int, int] = defaultdict(int)
            for l in covered:
                for i in holders[l]:
                    if i not in gone:
                        counts[i] += 1
            if not counts:
                break
            worst = min(counts, key=lambda i: (-counts[i], order_key(f"{train[i]['package']}/{train[i]['path']}")))
            gone.add(worst)
            cleaner.drop("makes an evaluation file a near duplicate", len(train[worst]["text"].encode("utf-8")))
    return [d for i, d in enumerate(train) if i not in gone]


def write_outputs(train: List[dict], val: List[dict]) -> None:
    os.makedirs(DATA, exist_ok=True)
    for name, ds in (("train.txt", train), ("val.txt", val)):
        ds = sorted(ds, key=lambda d: order_key(f"{d['package']}/{d['path']}"))
        tmp = os.path.join(DATA, name + ".tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            for i, d in enumerate(ds):
                if i:
                    f.write(EOT)
                f.write(d["text"])
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
        by_source: Dict[str, int] = defaultdict(int)
        style = {"crlf": [0, 0], "tabs": [0, 0]}
        for d in ds:
            n = len(d["text"].encode("utf-8"))
            by_lang[d["lang"]] += n
            by_lic[d["licence"]] += n
            by_pkg[cap_key(d)] += n
            by_source["pypi" if d["package"].startswith(PYPI_PREFIX) else
                      "python-stdlib" if "module" in d else "npm"] += n
            for k in style:
                if d.get(k):
                    style[k][0] += 1
                    style[k][1] += n
        total = sum(by_lang.values())
        top = sorted(by_pkg.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        s[split] = {"files": len(ds), "bytes": total,
                    "by_language": dict(sorted(by_lang.items())),
                    "by_licence": dict(sorted(by_lic.items())),
                    "by_source": dict(sorted(by_source.items())),
                    "largest_packages": {k: v for k, v in top},
                    "largest_package_share": round(top[0][1] / total, 4) if top else 0,
                    # As authored, before CRLF -> LF: the styles the model has seen.
                    "authored_style": {k: {"files": f, "bytes": b,
                                           "share_of_files": round(f / len(ds), 4) if ds else 0}
                                       for k, (f, b) in style.items()}}
    return s


def print_summary(s: dict, dropped: Optional[dict]) -> None:
    for split, v in s.items():
        print(f"\n{split}: {v['files']} files, {v['bytes'] / 1e6:.2f} MB (~{v['bytes'] / 3.0 / 1e6:.0f} M tokens at 3 bytes/token)")
        groups: Dict[str, int] = defaultdict(int)
        for lang, n in v["by_language"].items():
            groups[GROUP[lang]] += n
        for lang, n in v["by_language"].items():
            print(f"  {lang:8s} {n / 1e6:7.2f} MB  {100 * n / v['bytes']:5.1f} %")
        for g, n in sorted(groups.items()):
            print(f"  [{g}] {n / 1e6:.2f} MB {100 * n / v['bytes']:.1f} %")
        for src, n in v["by_source"].items():
            print(f"  source {src:14s} {n / 1e6:7.2f} MB")
        for lic, n in v["by_licence"].items():
            print(f"  licence {lic:14s} {n / 1e6:7.2f} MB")
        for k, st in v["authored_style"].items():
            print(f"  authored {k}: {st['files']} files ({100 * st['share_of_files']:.1f} %), {st['bytes'] / 1e6:.2f} MB")
        print("  largest:", ", ".join(f"{k} {n / 1e6:.2f} MB" for k, n in v["largest_packages"].items()))
    if dropped:
        print("\ndropped:")
        for r, v in dropped.items():
            print(f"  {r:36s} {v['files']:7d} files {v['bytes'] / 1e6:8.2f} MB")


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
    for k in ("module", "crlf", "tabs"):
        if k in d:
            e[k] = d[k]
    return e


def load_manifest(path: Optional[str] = None) -> dict:
    """The committed manifest (gzip-compressed JSON)."""
    with gzip.open(path or MANIFEST, "rt", encoding="utf-8") as f:
        return json.load(f)


def write_manifest(config: dict, packages: List[dict], train: List[dict], val: List[dict],
                   summary: dict, cleaner: Cleaner) -> None:
    files = sorted((file_entry(d) for d in train + val),
                   key=lambda e: (e["split"] != "train", e["package"], e["path"]))
    kept: Dict[str, int] = defaultdict(int)
    for f in files:
        kept[f["package"]] += 1
    for p in packages:
        p["files_kept"] = kept[f"{p['name']}@{p['version']}"]
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
    # One file entry per line keeps the decompressed manifest diffable (zcat | diff).
    head = {k: v for k, v in manifest.items() if k not in ("packages", "files")}
    text = io.StringIO()
    text.write(json.dumps(head, indent=1)[:-2] + ',\n "packages": [\n')
    text.write(",\n".join("  " + json.dumps(p, sort_keys=True) for p in packages))
    text.write('\n ],\n "files": [\n')
    text.write(",\n".join("  " + json.dumps(e, sort_keys=True, ensure_ascii=False) for e in files))
    text.write("\n ]\n}\n")
    data = text.getvalue().encode("utf-8")
    json.loads(data)  # sanity
    tmp = MANIFEST + ".tmp"
    # mtime=0 and no file name inside: the same manifest always gives the same bytes.
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
        f.write(data)
    os.replace(tmp, MANIFEST)


def archive_getter(p: dict) -> Callable[[str], Optional[bytes]]:
    """path -> raw bytes (or None) for one manifest package, its archive sha256 checked."""
    if p.get("source") == "pypi":
        files = read_archive(fetch_sdist({"name": p["name"][len(PYPI_PREFIX):], "version": p["version"],
                                          "filename": p["sdist"], "sha256": p["sdist_sha256"]}))
        return files.get
    if "tarball" in p:
        tgz = fetch(p["name"], p["version"])
        with open(tgz, "rb") as f:
            if sha256(f.read()) != p["tarball_sha256"]:
                raise SystemExit(f"{tgz}: tarball sha256 differs from the manifest")
        _, files = read_tarball(tgz)
        return files.get
    if p["version"] != python_version():
        raise SystemExit(f"manifest wants Python {p['version']}, this is {python_version()}")
    root = p["root"]

    def get(path: str) -> Optional[bytes]:
        try:
            with open(os.path.join(root, path), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None
    return get


def from_manifest() -> None:
    manifest = load_manifest()
    pkgs = {f"{p['name']}@{p['version']}": p for p in manifest["packages"]}
    want: Dict[str, List[dict]] = defaultdict(list)
    for e in manifest["files"]:
        want[e["package"]].append(e)
    train, val = [], []
    bad = 0
    for key in sorted(want):
        p = pkgs[key]
        get = archive_getter(p)
        for e in want[key]:
            raw = get(e["path"])
            text = to_document(raw) if raw is not None else None
            if text is None or sha256(text.encode("utf-8")) != e["sha256"]:
                print(f"  MISMATCH {e['package']} {e['path']}")
                bad += 1
                continue
            extra = {"module": e["module"]} if "module" in e else {}
            d = document(p["name"], p["version"], e["licence"], e["split"], e["path"], e["lang"], text, raw, **extra)
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
    ap.add_argument("--from-manifest", action="store_true", help="rebuild from corpus_manifest.json.gz and verify every hash")
    args = ap.parse_args()
    if args.from_manifest:
        from_manifest()
        return
    with open(CONFIG, encoding="utf-8") as f:
        config = json.load(f)
    packages, docs, cleaner = collect(config)
    train, val = select(docs, config["limits"])
    train = protect_evaluation(train, val, cleaner)
    check_split(train, val)
    write_outputs(train, val)
    summary = summarize(train, val)
    write_manifest(config, packages, train, val, summary, cleaner)
    print_summary(summary, load_manifest()["dropped"])
    with open(os.path.join(DATA, "CORPUS_READY"), "w") as f:
        f.write(f"train.txt {os.path.getsize(os.path.join(DATA, 'train.txt'))} bytes\n"
                f"val.txt {os.path.getsize(os.path.join(DATA, 'val.txt'))} bytes\n"
                f"val-files {len(val)} files\n"
                "documents separated by the literal <|endoftext|>; see training/corpus.py docstring\n")


if __name__ == "__main__":
    main()
