"""Output contracts of the tiny reference models, eager and scripted."""
import unittest
import warnings

import torch

from modelkit import models as M

torch.set_num_threads(1)


def script(module):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return torch.jit.script(module.eval())


def tiny_points(batch=2, n=1024, seed=0):
    cfg = M.scene_config("tiny")
    g = torch.Generator().manual_seed(seed)
    pts = []
    for _ in range(batch):
        xyz = torch.rand(n, 3, generator=g) * torch.tensor([4.0, 3.0, 2.5])
        rgb = torch.randint(0, 256, (n, 3), generator=g).float()
        pts.append(M.normalise_points(xyz, rgb, cfg.channels, cfg.rgb_mean, cfg.rgb_scale))
    return torch.stack(pts)


def assert_same(test, a, b, atol=1e-5):
    test.assertEqual(set(a), set(b))
    for k in a:
        test.assertEqual(a[k].dtype, b[k].dtype, k)
        test.assertTrue(torch.allclose(a[k], b[k], atol=atol, rtol=0), k)


class SceneEncoderTest(unittest.TestCase):
    def test_contract(self):
        torch.manual_seed(0)
        cfg = M.scene_config("tiny")
        model = M.SceneEncoder(cfg).eval()
        pts = tiny_points()
        self.assertEqual(pts.shape[2], cfg.in_channels)
        with torch.no_grad():
            out = model(pts)
        b, k, f, e = 2, cfg.num_objects, cfg.feature_dim, cfg.embed_dim
        shapes = {"object_features": (b, k, f), "object_boxes": (b, k, 6), "objectness": (b, k),
                  "object_class_logits": (b, k, len(cfg.classes)),
                  "object_embeddings": (b, k, e), "scene_embedding": (b, e)}
        self.assertEqual(set(out), set(shapes))
        for key, shape in shapes.items():
            self.assertEqual(tuple(out[key].shape), shape, key)
            self.assertEqual(out[key].dtype, torch.float32, key)
            self.assertTrue(torch.isfinite(out[key]).all(), key)
        self.assertTrue((out["object_boxes"][..., 3:] > 0).all())
        norms = out["object_embeddings"].norm(dim=-1)
        self.assertTrue(torch.allclose(norms, torch.ones_like(norms), atol=1e-5))
        self.assertTrue(torch.allclose(out["scene_embedding"].norm(dim=-1), torch.ones(b)))
        with torch.no_grad():
            assert_same(self, out, script(model)(pts))
        # batch elements are independent
        with torch.no_grad():
            single = model(pts[1:2])
        self.assertTrue(torch.allclose(single["scene_embedding"][0], out["scene_embedding"][1],
                                       atol=1e-5))

    def test_vote_seeds_start_at_the_likeliest_point(self):
        torch.manual_seed(0)
        cfg = M.scene_config("tiny")
        cfg.vote_seeds = True
        model = M.SceneEncoder(cfg).eval()
        pts = tiny_points()
        with torch.no_grad():
            out, seeds, per_point = model.forward_with_seeds(pts)
            scripted = script(model).forward_with_seeds(pts)
        logits = per_point["seed_logits"]
        self.assertEqual(tuple(logits.shape), (2, 1024))
        self.assertEqual(tuple(per_point["votes"].shape), (2, 1024, 3))
        self.assertEqual(tuple(seeds.shape), (2, cfg.num_objects, 3))
        for b in range(2):
            # Seeds are distinct input points, the first the one likeliest on an object.
            self.assertTrue(torch.equal(seeds[b, 0], pts[b, int(logits[b].argmax()), :3]))
            inputs = {tuple(p) for p in pts[b, :, :3].tolist()}
            self.assertTrue(all(tuple(p) in inputs for p in seeds[b].tolist()))
            self.assertEqual(len({tuple(p) for p in seeds[b].tolist()}), cfg.num_objects)
        assert_same(self, out, scripted[0])
        self.assertTrue(torch.equal(seeds, scripted[1]))
        for key in per_point:
            self.assertTrue(torch.allclose(per_point[key], scripted[2][key], atol=1e-5), key)

    def test_channel_layouts(self):
        cfg = M.scene_config("tiny")
        cfg.channels = ["rgb", "xyz", "normal"]
        cfg.num_points = 256
        model = M.SceneEncoder(cfg).eval()
        with torch.no_grad():
            out = model(torch.rand(1, 256, 9))
        self.assertEqual(tuple(out["object_boxes"].shape), (1, cfg.num_objects, 6))
        with self.assertRaises(ValueError):
            cfg.channels = ["rgb"]
            M.SceneEncoder(cfg)

    def test_paper_config_sizes(self):
        cfg = M.scene_config("paper")
        self.assertEqual((cfg.num_points, cfg.num_objects, cfg.feature_dim, cfg.embed_dim),
                         (40000, 256, 256, 512))
        with self.assertRaises(ValueError):
            M.scene_config("huge")


class QaModelTest(unittest.TestCase):
    def inputs(self, cfg, situation=True):
        g = torch.Generator().manual_seed(1)
        qt = torch.randint(2, cfg.vocab_size, (2, cfg.context_length), generator=g)
        qt[1, 4:] = 0
        st = torch.randint(2, cfg.vocab_size, (2, cfg.situation_length), generator=g)
        st[0, 6:] = 0
        if not situation:
            st.zero_()
        return tiny_points(), qt, qt != 0, st, st != 0

    def check(self, situated):
        torch.manual_seed(0)
        cfg = M.qa_config("tiny", situated=situated)
        model = M.QaModel(cfg).eval()
        args = self.inputs(cfg)
        with torch.no_grad():
            out = model(*args)
        k = cfg.scene.num_objects
        shapes = {"answer_logits": (2, cfg.num_answers), "object_scores": (2, k),
                  "object_boxes": (2, k, 6)}
        if situated:
            shapes.update({"position": (2, 3), "rotation": (2, 4)})
        self.assertEqual(set(out), set(shapes))
        for key, shape in shapes.items():
            self.assertEqual(tuple(out[key].shape), shape, key)
            self.assertTrue(torch.isfinite(out[key]).all(), key)
        scripted = script(model)
        with torch.no_grad():
            assert_same(self, out, scripted(*args))
        # all-padding situation (and question) inputs stay finite
        empty = torch.zeros_like(args[3])
        with torch.no_grad():
            out2 = scripted(args[0], torch.zeros_like(args[1]), args[2] & False, empty,
                            empty.bool())
        for v in out2.values():
            self.assertTrue(torch.isfinite(v).all())
        return model, out, args

    def test_qa_contract(self):
        model, out, args = self.check(False)
        # a non-situated model ignores the situation inputs
        pts, qt, qm, st, sm = args
        with torch.no_grad():
            other = model(pts, qt, qm, torch.zeros_like(st), torch.zeros_like(sm))
        assert_same(self, out, other, atol=0)
        # integer masks and int32 tokens are accepted too
        with torch.no_grad():
            cast = model(pts, qt.int(), qm.to(torch.uint8), st, sm.to(torch.uint8))
        assert_same(self, out, cast, atol=0)

    def test_sqa_contract(self):
        _, out, _ = self.check(True)
        norms = out["rotation"].norm(dim=-1)
        self.assertTrue(torch.allclose(norms, torch.ones_like(norms), atol=1e-5))

    def test_padding_is_ignored(self):
        torch.manual_seed(0)
        cfg = M.qa_config("tiny")
        model = M.QaModel(cfg).eval()
        pts, qt, qm, st, sm = self.inputs(cfg, situation=False)
        changed = qt.clone()
        changed[1, 4:] = 5          # different ids in padded positions
        with torch.no_grad():
            a = model(pts, qt, qm, st, sm)
            b = model(pts, changed, qm, st, sm)
        self.assertTrue(torch.allclose(a["answer_logits"], b["answer_logits"], atol=1e-5))


class ClipTest(unittest.TestCase):
    def check(self, tokenizer):
        torch.manual_seed(0)
        cfg = M.clip_config("tiny", tokenizer)
        model = M.ClipDualEncoder(cfg).eval()
        tokens = torch.zeros(2, 77, dtype=torch.long)
        if tokenizer == "clip-bpe":
            self.assertEqual(cfg.vocab_size, 49408)
            tokens[:, 0] = 49406
            tokens[0, 1:5] = torch.tensor([320, 1125, 539, 320])
            tokens[0, 5] = 49407
            tokens[1, 1:3] = torch.tensor([2368, 49407])
        else:
            tokens[0, :4] = torch.tensor([5, 6, 7, 8])
            tokens[1, :2] = torch.tensor([9, 10])
        images = torch.randn(2, 3, 224, 224)
        scripted = script(model)
        for name in ("forward", "encode_text", "encode_image"):
            self.assertTrue(hasattr(scripted, name), name)
        with torch.no_grad():
            t = model.encode_text(tokens)
            i = model.encode_image(images)
            self.assertEqual(tuple(t.shape), (2, cfg.embed_dim))
            self.assertEqual(tuple(i.shape), (2, cfg.embed_dim))
            self.assertTrue(torch.allclose(t.norm(dim=-1), torch.ones(2), atol=1e-5))
            self.assertTrue(torch.allclose(i.norm(dim=-1), torch.ones(2), atol=1e-5))
            self.assertTrue(torch.allclose(scripted.encode_text(tokens), t, atol=1e-5, rtol=0))
            self.assertTrue(torch.allclose(scripted.encode_image(images), i, atol=1e-5, rtol=0))
            self.assertTrue(torch.allclose(scripted(tokens), t, atol=1e-5, rtol=0))
            # an all-padding text is finite
            self.assertTrue(torch.isfinite(scripted.encode_text(torch.zeros_like(tokens))).all())
        self.assertTrue(model.logit_scale.requires_grad)

    def test_word(self):
        self.check("word")

    def test_clip_bpe(self):
        self.check("clip-bpe")

    def test_paper_sizes(self):
        self.assertEqual(M.clip_config("paper", "clip-bpe").embed_dim, 512)
        self.assertEqual(M.qa_config("paper", situated=True).scene.num_objects, 256)


if __name__ == "__main__":
    unittest.main()
