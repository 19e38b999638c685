"""vocab_sweep.py: its scoring windows score every token once, with at most a window of input."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import vocab_sweep  # noqa: E402


class WindowsTest(unittest.TestCase):
    def test_every_token_after_the_first_is_scored_exactly_once(self):
        for n in [1, 2, 3, vocab_sweep.BLOCK, vocab_sweep.BLOCK + 1, vocab_sweep.BLOCK + 2, 3 * vocab_sweep.BLOCK + 17]:
            scored = []
            for start, end, first in vocab_sweep.windows(n):
                self.assertLessEqual(end - 1 - start, vocab_sweep.BLOCK, "input fits the window")
                # targets are ids[start + 1 .. end); the first `first` of them are context only
                scored += list(range(start + 1 + first, end))
            self.assertEqual(scored, list(range(1, n)), f"n = {n}")

    def test_later_windows_keep_the_overlap_as_context(self):
        spans = vocab_sweep.windows(2 * vocab_sweep.BLOCK)
        self.assertGreater(len(spans), 1)
        for start, _end, first in spans[1:]:
            self.assertEqual(first, vocab_sweep.OVERLAP)

    def test_a_larger_vocabulary_gets_fewer_steps_for_the_same_flops(self):
        self.assertGreater(vocab_sweep.train_flops_per_token(16384), vocab_sweep.train_flops_per_token(4096))


if __name__ == "__main__":
    unittest.main()
