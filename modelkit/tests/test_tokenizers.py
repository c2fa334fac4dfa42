"""The pure-Python reference tokenizers (modelkit.tokenizers): CLIP's golden ids, the pieces of
its pattern and cleaning, truncation, the word tokenizer's rules and errors, the command line."""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from modelkit import tokenizers as T  # noqa: E402

CLIP_VOCAB = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "clip"
              / "bpe_simple_vocab_16e6.txt.gz")


class PatternAndCleaningTest(unittest.TestCase):
    def test_byte_symbols_are_a_printable_bijection(self):
        symbols = T.byte_symbols()
        self.assertEqual(len(set(symbols.values())), 256)
        self.assertEqual(symbols[ord("a")], "a")
        self.assertEqual(symbols[ord(" ")], "\u0120")
        self.assertEqual(list(symbols)[:3], [33, 34, 35])  # vocabulary order

    def test_pre_tokens(self):
        self.assertEqual(T.clip_pre_tokens("it's a cat's 1234?!... <|endoftext|>x"),
                         ["it", "'s", "a", "cat", "'s", "1", "2", "3", "4", "?!...",
                          "<|endoftext|>", "x"])
        self.assertEqual(T.clip_pre_tokens("日本語 ½ 😀👍"), ["日本語", "½", "😀👍"])
        self.assertEqual(T.clip_pre_tokens("a\x1cb\u0345c"), ["a", "\x1c", "b", "c"])

    def test_cleaning(self):
        self.assertEqual(T.clip_clean("  &amp;amp;  A\n\t B &notit; ΣΟΦΟΣ "), "& a b ¬it; σοφος")
        self.assertEqual(T.clip_clean("\x1ca \x1c b\x1c"), "a \x1c b")

    def test_word_split(self):
        self.assertEqual(T.word_split("It's a Café,  1234!\n日本語😀"),
                         ["it", "'", "s", "a", "café", ",", "1234", "!", "日本語", "😀"])


@unittest.skipUnless(CLIP_VOCAB.is_file(), "../shared/data/clip is absent")
class ClipTokenizerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.clip = T.ClipTokenizer(str(CLIP_VOCAB))

    def test_golden(self):
        row = self.clip.tokenize(["a photo of a cat"])[0]
        self.assertEqual(row[:7], [49406, 320, 1125, 539, 320, 2368, 49407])
        self.assertEqual(row[7:], [0] * 70)
        self.assertEqual(len(self.clip.tokens), 49408)

    def test_truncation_keeps_end_of_text(self):
        row = self.clip.tokenize(["chair " * 200, ""])
        self.assertEqual(len(row[0]), 77)
        self.assertEqual(row[0][0], 49406)
        self.assertEqual(row[0][-1], 49407)
        self.assertEqual(row[1][:3], [49406, 49407, 0])

    def test_decode(self):
        ids = self.clip.encode("Where is the café? 😀")
        self.assertEqual(self.clip.decode(ids), "where is the café ? 😀 ")


class WordTokenizerTest(unittest.TestCase):
    def vocab(self, words):
        f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")
        json.dump(words, f)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_ids_mask_and_truncation(self):
        path = self.vocab(["<pad>", "<unk>", "what", "is", "the", "color", "of", "chair", "?"])
        words = T.WordTokenizer(path, 6)
        self.assertEqual(words.tokenize(["What is the COLOUR of the chair?", "chair", ""]),
                         [[2, 3, 4, 1, 6, 4], [7, 0, 0, 0, 0, 0], [0] * 6])

    def test_errors(self):
        for bad in ({"a": 1}, ["<unk>", "<pad>"], ["<pad>", "<unk>", "a", "a"], ["<pad>", 3]):
            with self.assertRaises(ValueError):
                T.WordTokenizer(self.vocab(bad), 4)

    def test_command_line(self):
        path = self.vocab(["<pad>", "<unk>", "red", "chair"])
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as texts:
            texts.write("Red chair\nblue chair\n")
        self.addCleanup(os.unlink, texts.name)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            T.main(["word", "--vocab", path, "--context", "3", "--in", texts.name])
        self.assertEqual(out.getvalue(), "2 3 0\n1 3 0\n")


if __name__ == "__main__":
    unittest.main()
