"""Pure-Python reference tokenizers, the yardstick for SceneLens's C++ ones (core/ml).

CLIP: OpenAI CLIP's byte-level BPE (clip/simple_tokenizer.py) written independently with the
standard library only: html for unescaping, unicodedata for the letter/number classes of the
pre-token pattern (the original needs the third-party `regex` module), gzip for the merges.
ftfy.fix_text is not applied: ftfy is not available here (nor in the C++ tokenizer); it only
repairs mojibake and normalises to NFC, which ordinary questions do not need.

Word: the bundle-vocabulary tokenizer of SceneLens's small models (see core/ml/WordTokenizer.h).

Command line (runs with /usr/bin/python3, no third-party modules):
  python3 -m modelkit.tokenizers clip --vocab bpe_simple_vocab_16e6.txt.gz --in texts.txt
  python3 -m modelkit.tokenizers word --vocab vocab.json --context 32 --in texts.txt
print one line of space-separated ids per text (one text per line of the input, or a JSON list
of strings with --json).
"""

import argparse
import gzip
import html
import json
import sys
import unicodedata

CLIP_CONTEXT_LENGTH = 77
_MERGE_COUNT = 49152 - 256 - 2
_SPECIALS = ("<|startoftext|>", "<|endoftext|>")
_CONTRACTIONS = ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")


def byte_symbols():
    """CLIP's bytes_to_unicode(): byte -> printable character, in vocabulary order."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1))
                 + list(range(0xAE, 0xFF + 1)))
    symbols = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in symbols:
            symbols[b] = chr(256 + extra)
            extra += 1
    return symbols


def is_letter(c):
    return unicodedata.category(c).startswith("L")


def is_number(c):
    return unicodedata.category(c).startswith("N")


def is_pattern_space(c):
    """\\s of CLIP's pattern (the regex module's: Unicode White_Space). Unlike str.isspace() it
    leaves out the information separators U+001C..U+001F."""
    return c.isspace() and not "\x1c" <= c <= "\x1f"


def is_other(c):
    # U+0345 folds to a letter (iota): under IGNORECASE the regex module matches it with no
    # alternative of CLIP's pattern, so it is skipped like a space.
    return not is_pattern_space(c) and not is_letter(c) and not is_number(c) and c != "\u0345"


def _folded_match(text, at, literal):
    """The pattern is case-insensitive: on lower-cased text only LONG S (U+017F) still folds."""
    part = text[at:at + len(literal)]
    return len(part) == len(literal) and all(
        a == b or (b == "s" and a == "\u017f") for a, b in zip(part, literal))


def clip_pre_tokens(text):
    """re.findall of CLIP's pattern
    <\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+
    (re.IGNORECASE), written as a scanner: at each position the first alternative that matches."""
    tokens = []
    i = 0
    while i < len(text):
        literal = next((x for x in _SPECIALS + _CONTRACTIONS if _folded_match(text, i, x)), None)
        if literal is not None:
            end = i + len(literal)
        elif is_letter(text[i]):
            end = i + 1
            while end < len(text) and is_letter(text[end]):
                end += 1
        elif is_number(text[i]):
            end = i + 1
        elif is_other(text[i]):
            end = i + 1
            while end < len(text) and is_other(text[end]):
                end += 1
        else:
            i += 1
            continue
        tokens.append(text[i:end])
        i = end
    return tokens


def clip_clean(text):
    """whitespace_clean(basic_clean(text)).lower() without ftfy: strip() uses str.isspace(),
    the collapsing of whitespace runs uses the pattern's \\s."""
    text = html.unescape(html.unescape(text)).strip()
    collapsed = []
    for c in text:
        if not is_pattern_space(c):
            collapsed.append(c)
        elif not collapsed or collapsed[-1] != " ":
            collapsed.append(" ")
    return "".join(collapsed).strip().lower()


class ClipTokenizer:
    def __init__(self, vocab_path):
        lines = gzip.open(vocab_path).read().decode("utf-8").split("\n")
        merges = [tuple(line.split()) for line in lines[1:_MERGE_COUNT + 1]]
        if len(merges) != _MERGE_COUNT or any(len(m) != 2 for m in merges):
            raise ValueError(f"{vocab_path}: expected {_MERGE_COUNT} merges of two symbols")
        self.byte_symbol = byte_symbols()
        self.byte_of_symbol = {s: b for b, s in self.byte_symbol.items()}
        singles = list(self.byte_symbol.values())
        vocabulary = singles + [s + "</w>" for s in singles]
        vocabulary += ["".join(m) for m in merges] + list(_SPECIALS)
        self.ids = {token: i for i, token in enumerate(vocabulary)}
        self.tokens = vocabulary
        self.ranks = {m: r for r, m in enumerate(merges)}
        self.sot, self.eot = self.ids[_SPECIALS[0]], self.ids[_SPECIALS[1]]
        self.cache = {}

    def bpe(self, token):
        """Symbols of one byte-mapped pre-token after merging lowest-ranked pairs first."""
        if token in self.cache:
            return self.cache[token]
        word = list(token[:-1]) + [token[-1] + "</w>"]
        while len(word) > 1:
            ranked = [(self.ranks[p], p) for p in zip(word, word[1:]) if p in self.ranks]
            if not ranked:
                break
            first, second = min(ranked)[1]
            merged, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and word[i] == first and word[i + 1] == second:
                    merged.append(first + second)
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = merged
        self.cache[token] = word
        return word

    def encode(self, text):
        ids = []
        for token in clip_pre_tokens(clip_clean(text)):
            if token in _SPECIALS:
                ids.append(self.ids[token])
                continue
            mapped = "".join(self.byte_symbol[b] for b in token.encode("utf-8"))
            ids.extend(self.ids[s] for s in self.bpe(mapped))
        return ids

    def tokenize(self, texts, context_length=CLIP_CONTEXT_LENGTH):
        """Rows of [SOT, ids..., EOT] cut to context_length with EOT last, zero padded."""
        rows = []
        for text in texts:
            ids = [self.sot] + self.encode(text) + [self.eot]
            if len(ids) > context_length:
                ids = ids[:context_length - 1] + [self.eot]
            rows.append(ids + [0] * (context_length - len(ids)))
        return rows

    def decode(self, ids):
        data = bytes(self.byte_of_symbol[c] for i in ids for c in self.tokens[i])
        return data.decode("utf-8", errors="replace").replace("</w>", " ")


def word_split(text):
    """Lower-cased maximal runs of letters/digits, or single other non-space characters."""
    text = text.lower()
    tokens = []
    i = 0
    while i < len(text):
        c = text[i]
        if is_letter(c) or is_number(c):
            end = i + 1
            while end < len(text) and (is_letter(text[end]) or is_number(text[end])):
                end += 1
            tokens.append(text[i:end])
            i = end
        else:
            if not c.isspace():
                tokens.append(c)
            i += 1
    return tokens


class WordTokenizer:
    PAD, UNK = 0, 1

    def __init__(self, vocab_path, context_length):
        with open(vocab_path, encoding="utf-8") as f:
            words = json.load(f)
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ValueError(f"{vocab_path}: expected a JSON list of strings")
        if words[:2] != ["<pad>", "<unk>"]:
            raise ValueError(f'{vocab_path}: expected "<pad>" and "<unk>" at 0 and 1')
        self.ids = {}
        for i, w in enumerate(words):
            if w in self.ids:
                raise ValueError(f'{vocab_path}: duplicate word "{w}" at {i}')
            self.ids[w] = i
        if context_length < 1:
            raise ValueError("context length must be at least 1")
        self.context_length = context_length

    def encode(self, text):
        return [self.ids.get(t, self.UNK) for t in word_split(text)]

    def tokenize(self, texts):
        rows = []
        for text in texts:
            ids = self.encode(text)[:self.context_length]
            rows.append(ids + [self.PAD] * (self.context_length - len(ids)))
        return rows


def _read_texts(path, as_json):
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    if as_json:
        return json.loads(data)
    lines = data.split("\n")  # not splitlines(): that also breaks at \x1c, \x85, \u2028, ...
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m modelkit.tokenizers",
                                     description="Token ids of texts, one line per text.")
    parser.add_argument("kind", choices=["clip", "word"])
    parser.add_argument("--vocab", required=True, help="CLIP .txt.gz merges or word vocab JSON")
    parser.add_argument("--in", dest="input", required=True, help="texts, one per line")
    parser.add_argument("--json", action="store_true", help="--in is a JSON list of strings")
    parser.add_argument("--context", type=int, default=None,
                        help="context length (CLIP: 77 by default; required for word)")
    args = parser.parse_args(argv)
    texts = _read_texts(args.input, args.json)
    if args.kind == "clip":
        rows = ClipTokenizer(args.vocab).tokenize(texts, args.context or CLIP_CONTEXT_LENGTH)
    else:
        if args.context is None:
            parser.error("word needs --context")
        rows = WordTokenizer(args.vocab, args.context).tokenize(texts)
    out = sys.stdout
    for row in rows:
        out.write(" ".join(str(i) for i in row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
