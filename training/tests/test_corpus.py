"""Tests of training/corpus.py's pieces that decide what enters the corpus (no network, no big data)."""
import gzip
import io
import json
import os
import sys
import tarfile
import tempfile
import unittest
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import corpus  # noqa: E402

LIMITS = {"max_file_bytes": 1000000, "max_line_chars": 500, "near_dup_min_line_chars": 30,
          "near_dup_min_lines": 4, "near_dup_fraction": 0.5}


def lines(tag, n):
    return "\n".join(f"const value_{tag}_{i} = computeSomethingLong({i}, '{tag}');" for i in range(n)) + "\n"


class AuthoredStyle(unittest.TestCase):
    def test_crlf_and_tabs_are_seen_before_normalisation(self):
        raw = b"function f() {\r\n\treturn 1;\r\n}\r\n"
        self.assertEqual(corpus.authored_style(raw), {"crlf": True, "tabs": True})
        self.assertEqual(corpus.to_document(raw), "function f() {\n\treturn 1;\n}\n")

    def test_space_indented_lf_file_has_no_flags(self):
        self.assertEqual(corpus.authored_style(b"def f():\n    return 1\n\tx\n    y\n"), {})

    def test_unindented_file_is_not_tab_indented(self):
        self.assertEqual(corpus.authored_style(b"a\nb\n"), {})


class Licences(unittest.TestCase):
    allowed = {"MIT", "Apache-2.0", "BSD-3-Clause"}

    def test_or_needs_one_and_needs_all(self):
        self.assertTrue(corpus.licence_ok("(MIT OR GPL-3.0)", self.allowed))
        self.assertTrue(corpus.licence_ok("Apache-2.0 AND MIT", self.allowed))
        self.assertFalse(corpus.licence_ok("MIT AND CC0-1.0", self.allowed))
        self.assertFalse(corpus.licence_ok("BlueOak-1.0.0", self.allowed))

    def sdist(self, pkg_info, licence_text=None):
        files = {"PKG-INFO": pkg_info.encode()}
        if licence_text is not None:
            files["LICENSE.txt"] = licence_text.encode()
        return files

    def test_expression_wins(self):
        f = self.sdist("Metadata-Version: 2.4\nName: x\nLicense-Expression: BSD-3-Clause\n"
                       "Classifier: License :: OSI Approved :: MIT License\n\nbody")
        self.assertEqual(corpus.sdist_licence(f), "BSD-3-Clause")

    def test_short_license_field_and_classifier(self):
        self.assertEqual(corpus.sdist_licence(self.sdist("Name: x\nLicense: MIT License\n")), "MIT")
        self.assertEqual(corpus.sdist_licence(self.sdist(
            "Name: x\nLicense: Copyright (c) someone\n        all rights\n"
            "Classifier: License :: OSI Approved :: Apache Software License\n")), "Apache-2.0")

    def test_bsd_classifier_is_told_apart_by_the_licence_text(self):
        head = "Name: x\nClassifier: License :: OSI Approved :: BSD License\n"
        two = "Redistribution and use ... Redistributions in binary form must reproduce ..."
        three = two + " Neither the name of the copyright holder nor the names of its contributors ..."
        self.assertEqual(corpus.sdist_licence(self.sdist(head, two)), "BSD-2-Clause")
        self.assertEqual(corpus.sdist_licence(self.sdist(head, three)), "BSD-3-Clause")
        self.assertIsNone(corpus.sdist_licence(self.sdist(head)))

    def test_no_licence_information_is_none(self):
        self.assertIsNone(corpus.sdist_licence(self.sdist("Name: x\nVersion: 1\n")))
        self.assertIsNone(corpus.sdist_licence(self.sdist(
            "Name: x\nClassifier: License :: OSI Approved :: MIT License\n"
            "Classifier: License :: OSI Approved :: Apache Software License\n")))


class Archives(unittest.TestCase):
    def test_tar_and_zip_drop_the_top_folder(self):
        with tempfile.TemporaryDirectory() as d:
            tgz = os.path.join(d, "x-1.0.tar.gz")
            with tarfile.open(tgz, "w:gz") as t:
                for name, data in (("x-1.0/b.py", b"b"), ("x-1.0/a/c.py", b"c")):
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    t.addfile(info, io.BytesIO(data))
            zp = os.path.join(d, "x-1.0.zip")
            with zipfile.ZipFile(zp, "w") as z:
                z.writestr("x-1.0/b.py", b"b")
                z.writestr("x-1.0/a/c.py", b"c")
            for p in (tgz, zp):
                self.assertEqual(list(corpus.read_archive(p).items()), [("a/c.py", b"c"), ("b.py", b"b")])


class Deduplication(unittest.TestCase):
    def test_training_copies_of_evaluation_files_are_dropped_and_counted_apart(self):
        c = corpus.Cleaner(LIMITS)
        c.add_evaluation(lines("e", 10), "foreign/x.js")
        self.assertTrue(c.is_duplicate(lines("e", 10).replace("\n", "  \n"), "t/exact.js"))
        self.assertTrue(c.is_duplicate(lines("e", 8) + lines("t", 4), "t/near.js"))
        self.assertFalse(c.is_duplicate(lines("e", 2) + lines("t", 8), "t/own.js"))
        self.assertEqual(c.dropped["exact duplicate of evaluation file"], 1)
        self.assertEqual(c.dropped["near duplicate of evaluation file"], 1)
        self.assertTrue(c.is_duplicate(lines("t", 8), "t/again.js"))
        self.assertEqual(c.dropped["near duplicate"], 1)

    def test_training_files_that_together_cover_an_evaluation_file_are_thinned(self):
        c = corpus.Cleaner(LIMITS)
        c.add_evaluation(lines("e", 10), "val/x.js")
        # Each training file holds 3 of the 10 lines (under half alone), together 9: two must go.
        train = [{"package": "p", "path": f"f{k}.js", "text": "\n".join(lines("e", 10).split("\n")[3 * k:3 * k + 3])
                  + "\n" + lines(f"own{k}", 6)} for k in range(3)]
        train.append({"package": "p", "path": "other.js", "text": lines("z", 6)})
        kept = corpus.protect_evaluation(train, [], c)
        self.assertEqual(len(kept), 2)
        self.assertIn("other.js", [d["path"] for d in kept])
        ev = c.long_lines(lines("e", 10))
        covered = set().union(*(c.long_lines(d["text"]) for d in kept)) & ev
        self.assertLess(len(covered), 5)


class Selection(unittest.TestCase):
    def test_mix_total_respects_every_maximum(self):
        avail = {"tsjs": 600, "python": 100, "other": 1000}
        mix = {"tsjs": 0.65, "python": 0.3, "other": 0.15}
        t = corpus.mix_total(avail, mix, 10 ** 9)
        self.assertGreater(t, 0)
        self.assertLessEqual(t, sum(min(avail[g], int(f * t)) for g, f in mix.items()))
        self.assertGreater(t + 2, sum(min(avail[g], int(f * (t + 2))) for g, f in mix.items()))
        self.assertEqual(corpus.mix_total(avail, mix, 50), 50)

    def test_mix_total_counts_dts_at_its_own_maximum(self):
        # 500 of tsjs's 600 bytes are .d.ts, allowed 10 %: the total shrinks to what the rest can fill.
        avail = {"tsjs": 600, "dts": 500, "python": 1000, "other": 1000}
        mix = {"tsjs": 0.6, "python": 0.3, "other": 0.1}
        t = corpus.mix_total(avail, mix, 10 ** 9, 0.1)
        self.assertLessEqual(t, corpus.group_fill(avail, mix, 0.1, t))
        self.assertLess(t, 100 / 0.5 + 5)

    def test_package_cap_and_dts_share(self):
        docs = [{"package": "big", "version": "1", "licence": "MIT", "split": "train", "path": f"{i}.ts",
                 "lang": "ts", "text": "x" * 100} for i in range(50)]
        docs += [{"package": "types", "version": "1", "licence": "MIT", "split": "train", "path": f"{i}.d.ts",
                  "lang": "dts", "text": "y" * 100} for i in range(5)]
        docs += [{"package": "py", "version": "1", "licence": "MIT", "split": "train", "path": f"{i}.py",
                  "lang": "python", "text": "z" * 100} for i in range(20)]
        limits = {"package_cap_bytes": 1000, "train_max_bytes": 10 ** 9, "dts_max_fraction": 0.1,
                  "mix": {"tsjs": 0.7, "python": 0.5, "other": 0.1}}
        train, val = corpus.select(docs, limits)
        by = lambda p: sum(len(d["text"]) for d in train if d["package"] == p)
        self.assertEqual(by("big"), 1000)
        self.assertLessEqual(by("types"), 0.1 * sum(len(d["text"]) for d in train) + 1)
        self.assertEqual(val, [])


class Manifest(unittest.TestCase):
    def test_manifest_is_gzip_without_time_stamp_and_reads_back(self):
        doc = {"package": "p", "version": "1", "licence": "MIT", "split": "train", "path": "a.js",
               "lang": "js", "text": "a\n", "crlf": True}
        old = corpus.MANIFEST
        with tempfile.TemporaryDirectory() as d:
            corpus.MANIFEST = os.path.join(d, "m.json.gz")
            try:
                outs = []
                for _ in range(2):
                    corpus.write_manifest({"x": 1}, [{"name": "p", "version": "1"}], [doc], [],
                                          corpus.summarize([doc], []), corpus.Cleaner(LIMITS))
                    with open(corpus.MANIFEST, "rb") as f:
                        outs.append(f.read())
                    if len(outs) == 1:
                        os.utime(corpus.MANIFEST, (1, 1))
                self.assertEqual(outs[0], outs[1])
                self.assertEqual(gzip.decompress(outs[0])[:1], b"{")
                m = corpus.load_manifest()
            finally:
                corpus.MANIFEST = old
        self.assertEqual(m["files"][0]["crlf"], True)
        self.assertEqual(m["summary"]["train"]["authored_style"]["crlf"]["files"], 1)
        self.assertEqual(m["packages"][0]["files_kept"], 1)
        json.dumps(m)


class CommittedInputs(unittest.TestCase):
    """The pinned config against the foreign evaluation set (both files are committed)."""

    def test_no_foreign_package_is_a_corpus_package(self):
        with open(corpus.CONFIG, encoding="utf-8") as f:
            corpus.check_not_foreign(json.load(f))

    def test_the_check_fails_on_a_foreign_package(self):
        with open(corpus.FOREIGN_CONFIG, encoding="utf-8") as f:
            first = json.load(f)["packages"][0]
        cfg = {"npm": {"train": [], "validation": []}, "pypi": {"train": []}}
        cfg["npm" if first["source"] == "npm" else "pypi"]["train"].append({"name": first["name"]})
        with self.assertRaises(SystemExit):
            corpus.check_not_foreign(cfg)


if __name__ == "__main__":
    unittest.main()
