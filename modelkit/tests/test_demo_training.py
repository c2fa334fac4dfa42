"""Demo training on two tiny rooms built in code: a few epochs reduce every loss of every stage
(CLIP InfoNCE; scene-encoder detection, seed, vote, colour and scene alignment; QA answer and
localisation; SQA pose), move the proposal seeds onto furniture and the object embeddings toward
their descriptions, the point sampler port reproduces the C++ PointSampler, and trained weights
export as bundles."""
import json
import os
import tempfile
import unittest

import numpy as np
import torch

from modelkit import export as X
from modelkit import models as M
from modelkit import train as T
from modelkit.captions import object_captions, retrieval_prompt, scene_caption
from modelkit.pointsampler import point_channels, sample_vertices
from modelkit.synthdata import Question, SceneObject, SynthScene
from modelkit.tokenizers import WordTokenizer

LABELS = ["chair", "table", "lamp"]


def box_points(rng, lo, hi, count):
    return rng.uniform(lo, hi, size=(count, 3)).astype(np.float32)


def tiny_room(name: str, seed: int, colours, names) -> SynthScene:
    """A 4 x 4 m room: a floor and a chair, a table and a lamp in the given colours (rgb and
    colour names)."""
    rng = np.random.default_rng(seed)
    shift = np.float32(seed % 2)
    parts = [("floor", [0, 0, 0], [4, 4, 0.02], (128, 128, 128), None)]
    parts += [("chair", [0.5 + shift, 0.5, 0], [1 + shift, 1, 0.9], colours[0], names[0]),
              ("table", [2, 2 - shift, 0], [3.2, 2.8 - shift, 0.75], colours[1], names[1]),
              ("lamp", [2.4, 2.2 - shift, 0.75], [2.7, 2.5 - shift, 1.2], colours[2], names[2])]
    xyz, rgb, instance, objects = [], [], [], []
    for object_id, (label, lo, hi, colour, colour_name) in enumerate(parts):
        pts = box_points(rng, lo, hi, 600 if label == "floor" else 300)
        xyz.append(pts)
        rgb.append(np.tile(np.asarray(colour, np.uint8), (len(pts), 1)))
        instance.append(np.full(len(pts), object_id, np.int32))
        objects.append(SceneObject(object_id, label, pts.min(0), pts.max(0), colour_name))
    xyz = np.concatenate(xyz)
    return SynthScene("tiny", name, "train", "bedroom", xyz, xyz, np.concatenate(rgb),
                      np.concatenate(instance), objects)


def improved(history, key):
    return history[-1][key] < history[0][key]


class DemoTrainingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        torch.manual_seed(0)
        cls.scenes = [tiny_room("room0", 0, [(250, 0, 0), (240, 240, 240), (250, 250, 0)],
                                ["red", "white", "yellow"]),
                      tiny_room("room1", 1, [(0, 0, 250), (90, 60, 20), (250, 250, 250)],
                                ["blue", "brown", "white"])]
        cls.scene_cfg = M.scene_config("tiny")
        cls.scene_cfg.classes = list(LABELS)
        cls.scene_cfg.vote_seeds = True
        cls.cache = {s.key: T.sample_scene(s, cls.scene_cfg, [1, 2]) for s in cls.scenes}
        texts = [scene_caption(s) for s in cls.scenes] + [
            c for s in cls.scenes for o in s.furniture() for c in object_captions(o)]
        words = sorted({w for t in texts + ["what color is the on ? how many facing"]
                        for w in X.word_tokens(t)})
        cls.vocab = ["<pad>", "<unk>"] + words
        cls.tmp = tempfile.TemporaryDirectory()
        path = os.path.join(cls.tmp.name, "vocab.json")
        with open(path, "w") as f:
            json.dump(cls.vocab, f)
        cls.tokenizer = WordTokenizer(path, M.CLIP_CONTEXT_LENGTH)
        cls.log = T.Log(bar=False, echo=False)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def generator(self):
        return torch.Generator().manual_seed(0)

    def test_clip_infonce_decreases(self):
        g = torch.Generator().manual_seed(1)
        colours = torch.tensor([[255, 0, 0], [0, 0, 255], [255, 255, 0], [255, 255, 255]])
        images = colours.view(4, 3, 1, 1).expand(4, 3, 224, 224).to(torch.uint8).repeat(2, 1, 1, 1)
        captions = [["a red chair"], ["a blue chair"], ["a yellow lamp"], ["a white table"]] * 2
        clip = M.ClipDualEncoder(M.clip_config("tiny", "word", vocab_size=len(self.vocab)))
        history = T.train_clip(clip, T.ImageCaptionSet(images.contiguous(), captions),
                               self.tokenizer, 12, 8, 3e-3, g, self.log)
        self.assertTrue(improved(history, "clip_infonce"), history)

    def aligned_encoder(self):
        torch.manual_seed(0)
        encoder = M.SceneEncoder(self.scene_cfg)
        g = torch.Generator().manual_seed(2)
        texts = [scene_caption(s) for s in self.scenes] + [retrieval_prompt(c) for c in LABELS]
        texts += [T.scene_targets(s, LABELS).descriptions[o.object_id]
                  for s in self.scenes for o in s.furniture()]
        random_space = {t: torch.nn.functional.normalize(torch.randn(32, generator=g), dim=0)
                        for t in texts}
        images = {s.key: torch.randn(32, generator=g) for s in self.scenes}
        align = T.AlignmentTargets(random_space, images)
        history = T.train_scene_encoder(encoder, self.scenes, self.cache, LABELS, align, 40, 2,
                                        3e-3, self.generator(), self.log, "encoder")
        return encoder, history, align

    def seeded_objects(self, encoder, sample):
        """(object embeddings [B,K,E], the object id under each seed [B,K]) of one sample."""
        points = torch.stack([self.cache[s.key].points[sample] for s in self.scenes])
        instance = torch.stack([self.cache[s.key].instance[sample] for s in self.scenes])
        with torch.no_grad():
            out, seeds, _ = encoder.eval().forward_with_seeds(points)
        return out["object_embeddings"], T.seed_objects(points, instance, seeds)

    def description_margin(self, encoder, align):
        """Mean over the proposals on furniture of the cosine to their object's description minus
        the mean cosine to the other objects' descriptions."""
        targets = [T.scene_targets(s, LABELS) for s in self.scenes]
        texts = {(b, o): align.texts[d] for b, t in enumerate(targets)
                 for o, d in t.descriptions.items()}
        margins = []
        for sample in range(2):
            embeddings, ids = self.seeded_objects(encoder, sample)
            for b in range(len(self.scenes)):
                for k, o in enumerate(ids[b].tolist()):
                    if (b, o) in texts:
                        cos = {key: float(embeddings[b, k] @ t) for key, t in texts.items()}
                        others = [v for key, v in cos.items() if key != (b, o)]
                        margins.append(cos[(b, o)] - float(np.mean(others)))
        return float(np.mean(margins))

    def seeds_on_furniture(self, encoder):
        """The fraction of the proposal seeds that lie on furniture, over both rooms' samples."""
        targets = [T.scene_targets(s, LABELS) for s in self.scenes]
        on = []
        for sample in range(2):
            _, ids = self.seeded_objects(encoder, sample)
            on += [int(i) in t.boxes for row, t in zip(ids, targets) for i in row.tolist()]
        return float(np.mean(on))

    def test_scene_encoder_losses_decrease(self):
        torch.manual_seed(0)
        untrained = M.SceneEncoder(self.scene_cfg)
        encoder, history, align = self.aligned_encoder()
        for key in ("objectness", "box", "class", "seed", "vote", "colour", "align_scene_image",
                    "align_scene_text"):
            self.assertTrue(improved(history, key), f"{key}: {history[0]} -> {history[-1]}")
        # The object alignment loss is not comparable across epochs: its positives are the
        # proposals on furniture, which the seed head multiplies. Its effect is: proposals come
        # nearer their own object's description than the others'.
        before = self.description_margin(untrained, align)
        after = self.description_margin(encoder, align)
        self.assertGreater(after, 0.2, f"description margin {before} -> {after}")
        self.assertGreater(after, before + 0.2)
        # The seed head learns where the furniture is, and the seeds move onto it: about 0.14 of
        # them before (FPS spreads them over the floor), about 0.47 after these few steps.
        before = self.seeds_on_furniture(untrained)
        after = self.seeds_on_furniture(encoder)
        self.assertGreater(after, before + 0.2, f"seeds on furniture {before} -> {after}")

    def questions(self, situated: bool):
        out = []
        for index, s in enumerate(self.scenes):
            for o in s.furniture():
                q = Question(s.key, f"What color is the {o.label}?", [o.colour], [o.object_id],
                             "what color")
                if situated:
                    q.situation = f"I am facing the {o.label}."
                    q.position = np.array([2.0, 1.0 + index, 0.0], np.float32)
                    q.rotation = np.array([0.9, 0.0, 0.0, 0.436], np.float32) / np.float32(
                        np.hypot(0.9, 0.436))
                out.append(q)
        return out

    def test_qa_and_sqa_losses_decrease(self):
        encoder, _, _ = self.aligned_encoder()
        for situated in (False, True):
            questions = self.questions(situated)
            answers = sorted({q.answers[0] for q in questions})
            cfg = M.qa_config("tiny", situated, len(self.vocab), len(answers))
            cfg.scene = self.scene_cfg
            torch.manual_seed(0)
            model = M.QaModel(cfg)
            model.scene.load_state_dict(encoder.state_dict())
            history = T.train_qa(model, self.scenes, questions, self.cache, LABELS,
                                 self.tokenizer, cfg, answers, 20, 2, 3e-3, self.generator(),
                                 self.log, "qa")
            keys = ["answer", "localisation"] + (["position", "rotation"] if situated else [])
            for key in keys:
                self.assertTrue(improved(history, key), f"{key}: {history[0]} -> {history[-1]}")

    def test_point_sampler_matches_cpp_golden_indices(self):
        # Indices the C++ PointSampler draws (tests/app/test_demo_bundles.cpp checks the same).
        self.assertEqual(list(sample_vertices(1000, 8, 0)), [535, 28, 321, 922, 851, 630, 511, 927])
        self.assertEqual(list(sample_vertices(5, 8, 3)), [3, 2, 1, 4, 0, 0, 2, 0])

    def test_point_channels_follow_the_runtime(self):
        xyz = np.array([[0, 0, 1.0], [1, 1, 2.0], [2, 2, 3.0]], np.float32)
        rgb = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255]], np.uint8)
        points = point_channels(xyz, rgb, ["xyz", "rgb", "height"], M.SCANQA_RGB_MEAN,
                                M.SCANQA_RGB_SCALE)
        self.assertEqual(points.shape, (3, 7))
        self.assertAlmostEqual(float(points[0, 3]), (255 - 109.8) / 256, places=6)
        self.assertAlmostEqual(float(points[0, 6]), 1.0 - np.percentile([1.0, 2.0, 3.0], 1),
                               places=6)

    def test_trained_encoder_exports_and_reloads(self):
        encoder, _, _ = self.aligned_encoder()
        with tempfile.TemporaryDirectory() as out:
            checkpoint = os.path.join(out, "encoder.pt")
            torch.save(encoder.state_dict(), checkpoint)
            scripted = M.SceneEncoder(self.scene_cfg)
            scripted.load_state_dict(torch.load(checkpoint))
            bundle = os.path.join(out, "bundle")
            diff = X.write_bundle(bundle, {"kind": "scene-encoder", "module": "model.pt"},
                                  scripted, {"points": self.cache[self.scenes[0].key].points[:1]})
            self.assertLessEqual(diff, X.TOLERANCE)


if __name__ == "__main__":
    unittest.main()
