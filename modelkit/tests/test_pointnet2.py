"""PointNet++ primitives against naive reference implementations."""
import unittest

import torch

from modelkit import pointnet2 as P

torch.set_num_threads(1)


def naive_fps(xyz, npoint):
    out = []
    for b in range(xyz.shape[0]):
        pts = xyz[b].tolist()
        chosen = [0]
        dist = [float("inf")] * len(pts)
        for _ in range(npoint - 1):
            last = pts[chosen[-1]]
            for i, p in enumerate(pts):
                d = sum((p[k] - last[k]) ** 2 for k in range(3))
                dist[i] = min(dist[i], d)
            chosen.append(max(range(len(pts)), key=lambda i: (dist[i], -i)))
        out.append(chosen)
    return torch.tensor(out, dtype=torch.long)


def naive_ball_query(radius, nsample, xyz, new_xyz):
    out = []
    for b in range(xyz.shape[0]):
        rows = []
        for c in new_xyz[b]:
            found = []
            for i, p in enumerate(xyz[b]):
                if float(((p - c) ** 2).sum()) < radius * radius:
                    found.append(i)
                    if len(found) == nsample:
                        break
            if not found:
                found = [0]
            rows.append(found + [found[0]] * (nsample - len(found)))
        out.append(rows)
    return torch.tensor(out, dtype=torch.long)


class PointNet2Test(unittest.TestCase):
    def setUp(self):
        g = torch.Generator().manual_seed(0)
        self.xyz = torch.rand(2, 200, 3, generator=g)
        self.feats = torch.rand(2, 200, 4, generator=g)

    def test_fps_matches_naive(self):
        idx = P.farthest_point_sample(self.xyz, 24)
        self.assertEqual(idx.dtype, torch.long)
        self.assertTrue(torch.equal(idx, naive_fps(self.xyz, 24)))
        self.assertTrue((idx[:, 0] == 0).all())
        for b in range(2):
            self.assertEqual(len(set(idx[b].tolist())), 24)

    def test_fps_scripted_and_oversampling(self):
        fps = torch.jit.script(P.farthest_point_sample)
        self.assertTrue(torch.equal(fps(self.xyz, 10), P.farthest_point_sample(self.xyz, 10)))
        small = self.xyz[:, :5]
        idx = P.farthest_point_sample(small, 8)
        self.assertEqual(tuple(idx.shape), (2, 8))
        self.assertEqual(set(idx[0].tolist()), set(range(5)))

    def test_weighted_fps_prefers_likely_points(self):
        # Three likely points a metre apart and an unlikely one 17 m away: plain FPS takes the far
        # one second, weighted FPS only once the likely ones are taken.
        xyz = torch.tensor([[[0.0, 0, 0], [1, 0, 0], [10, 10, 10], [0, 1, 0]]])
        weights = torch.tensor([[0.9, 1.0, 0.001, 0.8]])
        self.assertEqual(P.farthest_point_sample(xyz, 4)[0].tolist(), [0, 2, 1, 3])
        self.assertEqual(P.farthest_point_sample(xyz, 4, weights)[0].tolist(), [1, 3, 0, 2])
        fps = torch.jit.script(P.farthest_point_sample)
        self.assertTrue(torch.equal(fps(xyz, 4, weights), P.farthest_point_sample(xyz, 4, weights)))

    def test_ball_query_matches_naive(self):
        centres = P.index_points(self.xyz, P.farthest_point_sample(self.xyz, 16))
        for radius, nsample in ((0.1, 8), (0.3, 16), (2.0, 5)):
            idx = P.ball_query(radius, nsample, self.xyz, centres)
            ref = naive_ball_query(radius, nsample, self.xyz, centres)
            self.assertTrue(torch.equal(idx, ref), f"radius {radius}")
            # chunked evaluation gives the same answer
            chunked = P.ball_query(radius, nsample, self.xyz, centres, chunk_elems=500)
            self.assertTrue(torch.equal(chunked, ref))

    def test_ball_query_empty_ball_gives_zero(self):
        far = torch.full((2, 1, 3), 100.0)
        idx = P.ball_query(0.1, 4, self.xyz, far)
        self.assertTrue(torch.equal(idx, torch.zeros(2, 1, 4, dtype=torch.long)))

    def test_index_and_group(self):
        idx = torch.tensor([[[0, 3], [5, 5]], [[1, 2], [199, 0]]])
        got = P.index_points(self.feats, idx)
        self.assertEqual(tuple(got.shape), (2, 2, 2, 4))
        self.assertTrue(torch.equal(got[1, 1, 0], self.feats[1, 199]))
        centres = self.xyz[:, :2]
        grouped = P.group_points(self.xyz, self.feats, centres, idx, 0.5)
        self.assertEqual(tuple(grouped.shape), (2, 2, 2, 7))
        expect = (self.xyz[0, 3] - self.xyz[0, 0]) / 0.5
        self.assertTrue(torch.allclose(grouped[0, 0, 1, :3], expect))

    def test_set_abstraction_and_backbone(self):
        sa = P.SetAbstraction(32, 0.3, 8, 4, [16, 32])
        new_xyz, new_f, centre_idx = sa(self.xyz, self.feats)
        self.assertEqual(tuple(new_xyz.shape), (2, 32, 3))
        self.assertEqual(tuple(new_f.shape), (2, 32, 32))
        self.assertTrue(torch.equal(new_xyz, P.index_points(self.xyz, centre_idx)))
        # the pooled feature is the max over the grouped neighbourhood
        idx = P.ball_query(0.3, 8, self.xyz, new_xyz)
        grouped = P.group_points(self.xyz, self.feats, new_xyz, idx, 0.3)
        self.assertTrue(torch.allclose(new_f, sa.mlp(grouped).max(dim=2)[0]))
        bb = P.PointNet2Backbone(4, [(64, 0.3, 8, [16, 32]), (16, 0.6, 8, [32, 48])]).eval()
        scripted = torch.jit.script(bb)
        xyz, f = bb(self.xyz, self.feats)
        xyz2, f2 = scripted(self.xyz, self.feats)
        self.assertEqual(tuple(f.shape), (2, 16, 48))
        self.assertTrue(torch.equal(xyz, xyz2))
        self.assertTrue(torch.allclose(f, f2, atol=1e-6))

    def test_feature_propagation(self):
        fp = P.FeaturePropagation(4 + 8, [16])
        coarse = self.xyz[:, :10]
        out = fp(self.xyz, coarse, self.feats, torch.rand(2, 10, 8))
        self.assertEqual(tuple(out.shape), (2, 200, 16))
        torch.jit.script(fp)


if __name__ == "__main__":
    unittest.main()
