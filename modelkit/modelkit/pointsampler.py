"""A faithful port of core/ml/PointSampler.cpp: SplitMix64-seeded vertex sampling and the model
input channels, so Python evaluates on exactly the points the C++ runtime feeds its models."""
from typing import List

import numpy as np

_MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed: int):
        self.state = seed & _MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """Uniform in [0, n) without modulo bias (the C++ rejection rule)."""
        limit = _MASK - (_MASK % n)
        r = self.next()
        while r >= limit:
            r = self.next()
        return r % n


def sample_vertices(vertex_count: int, num_points: int, seed: int) -> np.ndarray:
    """Vertex indices [num_points] int64: a partial Fisher-Yates shuffle without replacement, then
    uniform draws with replacement when the scene has fewer vertices than num_points."""
    if vertex_count == 0:
        raise ValueError("a scene without vertices cannot be sampled")
    random = SplitMix64(seed)
    order = list(range(vertex_count))
    distinct = min(num_points, vertex_count)
    for i in range(distinct):
        j = i + random.below(vertex_count - i)
        order[i], order[j] = order[j], order[i]
    out = order[:distinct]
    while len(out) < num_points:
        out.append(random.below(vertex_count))
    return np.asarray(out, dtype=np.int64)


def floor_height(z: np.ndarray) -> np.float32:
    """numpy's linear-interpolation 1st percentile in double, rounded to float (as C++)."""
    return np.float32(np.percentile(z.astype(np.float64), 1.0))


def point_channels(xyz: np.ndarray, rgb: np.ndarray, channels: List[str], rgb_mean: List[float],
                   rgb_scale: float) -> np.ndarray:
    """[N, C] float32 model input from sampled xyz [N,3] float32 and rgb [N,3] uint8."""
    cols = []
    for channel in channels:
        if channel == "xyz":
            cols.append(xyz.astype(np.float32))
        elif channel == "rgb":
            cols.append((rgb.astype(np.float32) - np.asarray(rgb_mean, np.float32))
                        / np.float32(rgb_scale))
        elif channel == "height":
            cols.append((xyz[:, 2] - floor_height(xyz[:, 2]))[:, None].astype(np.float32))
        else:
            raise ValueError(f"channel '{channel}' is not available for synthetic scenes")
    return np.concatenate(cols, axis=1).astype(np.float32)
