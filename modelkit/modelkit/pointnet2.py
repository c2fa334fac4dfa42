"""PointNet++-style backbone in plain torch ops (no CUDA extensions), TorchScript-scriptable.

Conventions: xyz is float [B, N, 3] in metres, features are channel-last [B, N, C], index tensors
are int64. Everything here is deterministic: farthest point sampling starts at index 0 and ball
query takes neighbours in index order, like the original PointNet++ CUDA kernels.
"""
from typing import List, Optional, Tuple

import torch
from torch import Tensor, nn


def square_distance(src: Tensor, dst: Tensor) -> Tensor:
    """Squared Euclidean distances [B, S, N] between src [B, S, 3] and dst [B, N, 3]."""
    d = torch.zeros(src.shape[0], src.shape[1], dst.shape[1], dtype=src.dtype, device=src.device)
    for k in range(src.shape[2]):
        diff = src[:, :, k].unsqueeze(2) - dst[:, :, k].unsqueeze(1)
        d = d + diff * diff
    return d


def index_points(points: Tensor, idx: Tensor) -> Tensor:
    """Gathers points [B, N, C] by idx [B, ...] (int64) -> [B, ..., C]."""
    b = points.shape[0]
    c = points.shape[2]
    flat = idx.reshape(b, -1)
    gathered = torch.gather(points, 1, flat.unsqueeze(-1).expand(b, flat.shape[1], c))
    out_shape: List[int] = list(idx.shape)
    out_shape.append(c)
    return gathered.reshape(out_shape)


def farthest_point_sample(xyz: Tensor, npoint: int, weights: Optional[Tensor] = None) -> Tensor:
    """Farthest point sampling: [B, N, 3] -> indices [B, npoint] int64, starting at index 0.

    With weights [B, N] (in [0, 1]), a point's squared distance to the chosen ones counts in
    proportion to its weight and the sampling starts at the heaviest point, so that likely
    points are chosen first and spread over, and unlikely ones only where nothing likely is
    near. When npoint > N the sequence repeats already chosen points (distances become 0), which
    keeps the output shape fixed for any input size.
    """
    b, n, _ = xyz.shape
    idx = torch.zeros(b, npoint, dtype=torch.long, device=xyz.device)
    min_dist = torch.full((b, n), 1e10, dtype=xyz.dtype, device=xyz.device)
    farthest = torch.zeros(b, dtype=torch.long, device=xyz.device)
    if weights is not None:
        farthest = torch.argmax(weights, dim=-1)
    batch = torch.arange(b, device=xyz.device)
    for i in range(npoint):
        idx[:, i] = farthest
        centroid = xyz[batch, farthest].unsqueeze(1)
        d = ((xyz - centroid) ** 2).sum(-1)
        min_dist = torch.minimum(min_dist, d)
        if weights is None:
            farthest = torch.argmax(min_dist, dim=-1)
        else:
            farthest = torch.argmax(min_dist * weights, dim=-1)
    return idx


def ball_query(radius: float, nsample: int, xyz: Tensor, new_xyz: Tensor,
               chunk_elems: int = 1 << 22) -> Tensor:
    """Ball query: for each centre in new_xyz [B, S, 3] the first nsample indices (in index order)
    of xyz [B, N, 3] with squared distance < radius^2 -> [B, S, nsample] int64.

    Slots beyond the number found repeat the first found index (PointNet++); a centre with no
    neighbour at all gets index 0 everywhere (the CUDA kernel's zero initialisation). Centres are
    processed in chunks of about chunk_elems distances to bound memory for large N.
    """
    b, s, _ = new_xyz.shape
    n = xyz.shape[1]
    r2 = radius * radius
    step = max(1, chunk_elems // max(1, b * n))
    arange_n = torch.arange(n, dtype=torch.long, device=xyz.device)
    slots = torch.arange(nsample, dtype=torch.long, device=xyz.device)
    parts: List[Tensor] = []
    for start in range(0, s, step):
        centres = new_xyz[:, start:start + step]
        c = centres.shape[1]
        inside = square_distance(centres, xyz) < r2                       # [B, c, N]
        rank = torch.cumsum(inside.to(torch.long), dim=-1) - 1            # order among neighbours
        keep = inside & (rank < nsample)
        target = torch.where(keep, rank, torch.full_like(rank, nsample))  # slot nsample = discard
        out = torch.zeros(b, c, nsample + 1, dtype=torch.long, device=xyz.device)
        out.scatter_(2, target, arange_n.view(1, 1, n).expand(b, c, n))
        out = out[:, :, :nsample]
        count = inside.sum(-1, keepdim=True).clamp(max=nsample)          # [B, c, 1]
        first = out[:, :, :1].expand(b, c, nsample)
        out = torch.where(slots.view(1, 1, nsample) < count, out, first)
        parts.append(out)
    return torch.cat(parts, dim=1)


def group_points(xyz: Tensor, features: Optional[Tensor], new_xyz: Tensor, idx: Tensor,
                 radius: float) -> Tensor:
    """Grouped local inputs [B, S, nsample, 3 + C]: neighbour offsets from the centre divided by the
    radius, followed by the neighbours' features (when given)."""
    grouped_xyz = (index_points(xyz, idx) - new_xyz.unsqueeze(2)) / radius
    if features is None:
        return grouped_xyz
    return torch.cat([grouped_xyz, index_points(features, idx)], dim=-1)


class SharedMLP(nn.Module):
    """Per-point MLP on the last dimension: (Linear -> LayerNorm -> ReLU) per layer."""

    def __init__(self, widths: List[int]):
        super().__init__()
        layers: List[nn.Module] = []
        for i in range(len(widths) - 1):
            layers.append(nn.Linear(widths[i], widths[i + 1]))
            layers.append(nn.LayerNorm(widths[i + 1]))
            layers.append(nn.ReLU())
        self.net = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)


class SetAbstraction(nn.Module):
    """PointNet++ set abstraction: FPS centres -> ball query -> shared MLP -> max pool.

    forward(xyz [B,N,3], features [B,N,C] or None) -> (new_xyz [B,S,3], new_features [B,S,mlp[-1]],
    centre indices [B,S] into xyz).
    """

    def __init__(self, npoint: int, radius: float, nsample: int, in_channels: int,
                 mlp: List[int]):
        super().__init__()
        self.npoint = npoint
        self.radius = radius
        self.nsample = nsample
        self.out_channels = mlp[-1]
        self.mlp = SharedMLP([in_channels + 3] + mlp)

    def forward(self, xyz: Tensor, features: Optional[Tensor]) -> Tuple[Tensor, Tensor, Tensor]:
        centre_idx = farthest_point_sample(xyz, self.npoint)
        new_xyz = index_points(xyz, centre_idx)
        idx = ball_query(self.radius, self.nsample, xyz, new_xyz)
        grouped = group_points(xyz, features, new_xyz, idx, self.radius)
        new_features = self.mlp(grouped).max(dim=2)[0]
        return new_xyz, new_features, centre_idx


class FeaturePropagation(nn.Module):
    """PointNet++ feature propagation: inverse-distance interpolation from the 3 nearest coarse
    points, concatenated with the skip features, then a shared MLP. Optional in our models."""

    def __init__(self, in_channels: int, mlp: List[int]):
        super().__init__()
        self.mlp = SharedMLP([in_channels] + mlp)

    def forward(self, xyz: Tensor, coarse_xyz: Tensor, skip: Optional[Tensor],
                coarse_features: Tensor) -> Tensor:
        d = square_distance(xyz, coarse_xyz)
        k = min(3, coarse_xyz.shape[1])
        dist, idx = torch.topk(d, k, dim=-1, largest=False)
        weight = 1.0 / (dist + 1e-8)
        weight = weight / weight.sum(-1, keepdim=True)
        interpolated = (index_points(coarse_features, idx) * weight.unsqueeze(-1)).sum(2)
        if skip is not None:
            interpolated = torch.cat([skip, interpolated], dim=-1)
        return self.mlp(interpolated)


class PointNet2Backbone(nn.Module):
    """A stack of set-abstraction layers.

    layers: list of (npoint, radius, nsample, mlp widths). forward(xyz [B,N,3], features [B,N,C]
    or None) -> (xyz [B,S,3], features [B,S,F]) of the last layer.
    """

    def __init__(self, in_channels: int, layers: List[Tuple[int, float, int, List[int]]]):
        super().__init__()
        sa: List[nn.Module] = []
        channels = in_channels
        for npoint, radius, nsample, mlp in layers:
            sa.append(SetAbstraction(npoint, radius, nsample, channels, list(mlp)))
            channels = mlp[-1]
        self.sa = nn.ModuleList(sa)
        self.out_channels = channels

    def forward(self, xyz: Tensor, features: Optional[Tensor]) -> Tuple[Tensor, Tensor]:
        feats = features
        for layer in self.sa:
            xyz, f, _ = layer(xyz, feats)
            feats = f
        assert feats is not None
        return xyz, feats
