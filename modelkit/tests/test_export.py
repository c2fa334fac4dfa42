"""export-tiny writes loadable bundles whose reference outputs reproduce; broken bundles are broken."""
import contextlib
import glob
import gzip
import io
import json
import os
import shutil
import tempfile
import unittest

import numpy as np
import torch

from modelkit import export as E
from modelkit.__main__ import main

torch.set_num_threads(1)

SHARED_VOCAB = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared",
                                             "data", "clip", "bpe_simple_vocab_16e6.txt.gz"))
COMMON_KEYS = {"format": str, "kind": str, "name": str, "module": str, "device": str,
               "embedding_space": str, "embedding_dim": int}


def load_inputs(ref):
    return {os.path.basename(f)[:-4]: torch.from_numpy(np.load(f))
            for f in glob.glob(os.path.join(ref, "*.npy"))
            if not os.path.basename(f).startswith("out_")}


class ExportTinyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="modelkit-test-")
        cls.out = os.path.join(cls.tmp, "bundles")
        vocab = SHARED_VOCAB
        if not os.path.isfile(vocab):       # the exporter only needs the file to exist
            vocab = os.path.join(cls.tmp, "bpe_simple_vocab_16e6.txt.gz")
            with gzip.open(vocab, "wt") as f:
                f.write("#version: 0.2\n")
        cls.vocab = vocab
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(["export-tiny", "--out", cls.out, "--seed", "3", "--clip-vocab", vocab])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def manifest(self, name):
        with open(os.path.join(self.out, name, "bundle.json")) as f:
            return json.load(f)

    def test_manifests(self):
        kinds = {"scene-encoder": "scene-encoder", "qa": "qa", "sqa": "qa", "clip": "clip",
                 "clip-bpe": "clip"}
        for name, kind in kinds.items():
            m = self.manifest(name)
            for key, typ in COMMON_KEYS.items():
                self.assertIsInstance(m[key], typ, f"{name}: {key}")
            self.assertEqual(m["format"], "scenelens-bundle/1")
            self.assertEqual(m["kind"], kind)
            self.assertEqual(m["module"], "model.pt")
            self.assertEqual(m["device"], "auto")
            self.assertTrue(os.path.isfile(os.path.join(self.out, name, "model.pt")))
            if kind in ("scene-encoder", "qa"):
                inp = m["input"]
                self.assertEqual(inp["num_points"], 1024)
                self.assertEqual(inp["channels"], ["xyz", "rgb", "height"])
                self.assertEqual(len(inp["rgb_normalization"]["mean"]), 3)
                self.assertIsInstance(inp["rgb_normalization"]["scale"], float)
                self.assertEqual(len(m["classes"]), 18)
            if kind in ("qa", "clip"):
                tok = m["tokenizer"]
                self.assertIn(tok["type"], ("word", "clip-bpe"))
                if tok["type"] == "word":
                    with open(os.path.join(self.out, name, tok["vocab"])) as f:
                        vocab = json.load(f)
                    self.assertEqual(vocab[:2], ["<pad>", "<unk>"])
                    self.assertEqual(len(set(vocab)), len(vocab))
            if kind == "qa":
                self.assertEqual(m["situated"], name == "sqa")
                with open(os.path.join(self.out, name, m["answers"])) as f:
                    answers = json.load(f)
                self.assertTrue(all(isinstance(a, str) for a in answers))
        self.assertEqual(self.manifest("clip")["embedding_space"], "tiny-test")
        self.assertEqual(self.manifest("clip")["embedding_dim"], 32)
        self.assertEqual(self.manifest("clip")["tokenizer"]["context_length"], 77)
        bpe = self.manifest("clip-bpe")["tokenizer"]
        self.assertEqual(bpe["type"], "clip-bpe")
        self.assertTrue(os.path.isabs(bpe["vocab"]))
        self.assertEqual(bpe["vocab"], os.path.abspath(self.vocab))

    def test_reference_outputs_reproduce(self):
        expected_outputs = {
            "scene-encoder": {"object_features": (2, 16, 64), "object_boxes": (2, 16, 6),
                              "objectness": (2, 16), "object_class_logits": (2, 16, 18),
                              "object_embeddings": (2, 16, 32), "scene_embedding": (2, 32)},
            "qa": {"answer_logits": (2, 32), "object_scores": (2, 16), "object_boxes": (2, 16, 6)},
            "sqa": {"answer_logits": (2, 32), "object_scores": (2, 16), "object_boxes": (2, 16, 6),
                    "position": (2, 3), "rotation": (2, 4)},
            "clip": {"encode_text": (2, 32), "encode_image": (2, 32)},
            "clip-bpe": {"encode_text": (2, 32), "encode_image": (2, 32)},
        }
        for name, shapes in expected_outputs.items():
            m = self.manifest(name)
            ref = os.path.join(self.out, name, "reference")
            inputs = load_inputs(ref)
            module = torch.jit.load(os.path.join(self.out, name, "model.pt"))
            got = E.run_module(module, m["kind"], inputs)
            files = {os.path.basename(f)[4:-4] for f in glob.glob(os.path.join(ref, "out_*.npy"))}
            self.assertEqual(files, set(shapes), name)
            self.assertEqual(set(got), set(shapes), name)
            for key, shape in shapes.items():
                want = np.load(os.path.join(ref, f"out_{key}.npy"))
                self.assertEqual(want.dtype, np.float32)
                self.assertEqual(want.shape, shape, f"{name}/{key}")
                diff = np.abs(got[key].numpy() - want).max()
                self.assertLessEqual(diff, 1e-5, f"{name}/{key}")
            # also with autograd on (the C++ runtime may not disable it)
            if m["kind"] == "scene-encoder":
                out = module(inputs["points"])
                self.assertLessEqual(float((out["object_features"].detach() - torch.from_numpy(
                    np.load(os.path.join(ref, "out_object_features.npy")))).abs().max()), 1e-5)
        qa = load_inputs(os.path.join(self.out, "qa", "reference"))
        self.assertEqual(qa["question_tokens"].dtype, torch.int64)
        self.assertEqual(qa["question_mask"].dtype, torch.bool)
        self.assertEqual(tuple(qa["points"].shape), (2, 1024, 7))
        self.assertFalse(qa["situation_mask"].any())
        bpe = load_inputs(os.path.join(self.out, "clip-bpe", "reference"))["tokens"]
        self.assertTrue((bpe[:, 0] == 49406).all())
        self.assertTrue(((bpe == 49407).sum(-1) == 1).all())

    def test_seeded_export_is_deterministic(self):
        again = os.path.join(self.tmp, "again")
        E.export_scene_encoder(again, "tiny", 3, "tiny-scene-encoder")
        for f in glob.glob(os.path.join(self.out, "scene-encoder", "reference", "*.npy")):
            a = np.load(f)
            b = np.load(os.path.join(again, "reference", os.path.basename(f)))
            self.assertTrue(np.array_equal(a, b), f)

    def test_broken_bundles(self):
        broken = os.path.join(self.out, "broken")
        se = self.manifest("scene-encoder")
        # wrong-shape: loads, but object_boxes is [B,K,8,3]
        m = self.manifest("broken/wrong-shape")
        self.assertEqual(m["kind"], "scene-encoder")
        module = torch.jit.load(os.path.join(broken, "wrong-shape", "model.pt"))
        with torch.no_grad():
            out = module(torch.rand(1, 1024, 7))
        self.assertEqual(tuple(out["object_boxes"].shape), (1, 16, 8, 3))
        # missing-method: a clip module without encode_image
        m = self.manifest("broken/missing-method")
        self.assertEqual(m["kind"], "clip")
        module = torch.jit.load(os.path.join(broken, "missing-method", "model.pt"))
        self.assertTrue(hasattr(module, "encode_text"))
        self.assertFalse(hasattr(module, "encode_image"))
        # bad-json: truncated
        with self.assertRaises(json.JSONDecodeError):
            self.manifest("broken/bad-json")
        self.assertTrue(os.path.isfile(os.path.join(broken, "bad-json", "model.pt")))
        # missing-module: valid manifest naming a model.pt that does not exist
        m = self.manifest("broken/missing-module")
        self.assertEqual(m["module"], "model.pt")
        self.assertFalse(os.path.exists(os.path.join(broken, "missing-module", "model.pt")))
        # missing-key: no "kind", otherwise complete
        m = self.manifest("broken/missing-key")
        self.assertNotIn("kind", m)
        self.assertEqual(set(m) | {"kind"}, set(se) | {"name"})
        self.assertTrue(os.path.isfile(os.path.join(broken, "missing-key", "model.pt")))

    def test_bundle_info(self):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            main(["bundle-info", os.path.join(self.out, "sqa")])
        text = buf.getvalue()
        self.assertIn('"kind": "qa"', text)
        count = self.manifest("sqa")["modelkit"]["parameters"]
        self.assertIn(f"parameters: {count}", text)
        self.assertIn("methods: forward", text)


class ExportCommandTest(unittest.TestCase):
    def test_export_with_custom_vocab_and_answers(self):
        with tempfile.TemporaryDirectory() as tmp:
            vocab = ["<pad>", "<unk>", "what", "is", "on", "the", "table", "?"]
            answers = ["cup", "book", "nothing"]
            for name, content in (("v.json", vocab), ("a.json", answers)):
                with open(os.path.join(tmp, name), "w") as f:
                    json.dump(content, f)
            out = os.path.join(tmp, "qa")
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                main(["export", "--config", "tiny", "--kind", "qa", "--out", out, "--seed", "7",
                      "--vocab", os.path.join(tmp, "v.json"), "--answers",
                      os.path.join(tmp, "a.json"), "--reference-batch", "1"])
            with open(os.path.join(out, "answer_vocab.json")) as f:
                self.assertEqual(json.load(f), answers)
            with open(os.path.join(out, "vocab.json")) as f:
                self.assertEqual(json.load(f), vocab)
            self.assertEqual(np.load(os.path.join(out, "reference", "out_answer_logits.npy")).shape,
                             (1, 3))
            self.assertLess(int(np.load(os.path.join(out, "reference",
                                                     "question_tokens.npy")).max()), len(vocab))

    def test_checkpoint_round_trip(self):
        with tempfile.TemporaryDirectory() as tmp:
            from modelkit import models as M
            vocab = E.default_word_vocab(M.SCANNET18_CLASSES)
            torch.manual_seed(123)
            model = M.ClipDualEncoder(M.clip_config("tiny", "word", vocab_size=len(vocab)))
            ckpt = os.path.join(tmp, "clip.pt")
            torch.save({"model": model.state_dict()}, ckpt)
            out = os.path.join(tmp, "clip")
            E.export_clip(out, "tiny", seed=0, checkpoint=ckpt, reference=False)
            self.assertFalse(os.path.exists(os.path.join(out, "reference")))
            loaded = torch.jit.load(os.path.join(out, "model.pt"))
            tokens = torch.zeros(1, 77, dtype=torch.long)
            tokens[0, :3] = torch.tensor([4, 5, 6])
            with torch.no_grad():
                self.assertTrue(torch.allclose(loaded.encode_text(tokens),
                                               model.eval().encode_text(tokens), atol=1e-6))

    def test_word_tokens_spec(self):
        self.assertEqual(E.word_tokens("What's on the  Table? (2nd)"),
                         ["what", "'", "s", "on", "the", "table", "?", "(", "2nd", ")"])
        self.assertEqual(E.word_tokens("Café_au-lait"), ["café", "_", "au", "-", "lait"])


if __name__ == "__main__":
    unittest.main()
