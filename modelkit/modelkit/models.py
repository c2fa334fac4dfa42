"""Reference Multi-CLIP architectures: 3D scene encoder, 3D question answering and a small CLIP-style
dual encoder. All modules are TorchScript-scriptable and follow the bundle contracts in
docs/model-bundles.md. Configurations are dataclasses; `tiny` is for tests, `paper` is the
paper-sized reference used for latency benchmarks; `demo` is the size of the bundles trained on
synthetic rooms (resources/models).
"""
import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .pointnet2 import FeaturePropagation, PointNet2Backbone, SharedMLP, ball_query, \
    farthest_point_sample, group_points, index_points

# The 18 ScanNet benchmark classes (VoteNet / ScanQA detection head order).
SCANNET18_CLASSES: List[str] = [
    "cabinet", "bed", "chair", "sofa", "table", "door", "window", "bookshelf", "picture",
    "counter", "desk", "curtain", "refrigerator", "shower curtain", "toilet", "sink", "bathtub",
    "otherfurniture",
]

# The object labels of the synthetic rooms (core/scene/synth/Recipes.cpp) without floor and wall:
# the detection classes of the demo bundles.
SYNTH_CLASSES: List[str] = [
    "door", "window", "curtain", "radiator", "picture", "bed", "headboard", "nightstand", "pillow",
    "lamp", "desk", "chair", "office chair", "armchair", "couch", "dresser", "cabinet", "tv",
    "bookshelf", "books", "box", "cup", "trash can", "plant", "counter", "kitchen cabinet", "sink",
    "microwave", "refrigerator", "table", "dining table", "coffee table", "end table", "ottoman",
    "monitor", "keyboard", "file cabinet", "toilet", "bathtub", "shower curtain",
    "bathroom vanity", "bathroom cabinet", "mirror",
]

# ScanQA's colour normalisation: rgb_in = (rgb255 - mean) / scale.
SCANQA_RGB_MEAN: List[float] = [109.8, 97.2, 83.8]
SCANQA_RGB_SCALE: float = 256.0

CHANNEL_WIDTHS: Dict[str, int] = {"xyz": 3, "rgb": 3, "normal": 3, "height": 1}

CLIP_BPE_VOCAB_SIZE = 49408
CLIP_CONTEXT_LENGTH = 77


# ----------------------------------------------------------------------------------- configs


@dataclass
class SceneEncoderConfig:
    num_points: int = 1024
    channels: List[str] = field(default_factory=lambda: ["xyz", "rgb", "height"])
    # Set-abstraction layers: (npoint, radius in metres, nsample, MLP widths).
    sa_layers: List[Tuple[int, float, int, List[int]]] = field(default_factory=lambda: [
        (256, 0.3, 16, [32, 32, 64]),
        (64, 0.6, 16, [64, 64, 64]),
    ])
    num_objects: int = 16                  # K object tokens
    # VoteNet-style seeds: backbone features are propagated back to every input point, a seed
    # head scores each point as on an object or not and a vote head moves it to its object's
    # centre. The seeds are a farthest point sampling of the votes in which distances count in
    # proportion to the score's probability, so every object, small ones beside large ones
    # included, tends to get a seed of its own, and each proposal starts at its seed's vote.
    # False: FPS over the backbone points.
    vote_seeds: bool = False
    seed_mlp: List[int] = field(default_factory=lambda: [64, 64])
    proposal_radius: float = 0.8
    proposal_nsample: int = 16
    proposal_mlp: List[int] = field(default_factory=lambda: [64, 64])
    # > 0: each object token also gets the mean input features (colour, height) of the points
    # within this radius of its seed, so small objects keep their colour (demo config).
    colour_radius: float = 0.0
    colour_nsample: int = 16
    feature_dim: int = 64                  # F
    transformer_layers: int = 1
    transformer_heads: int = 4
    transformer_ff: int = 128
    dropout: float = 0.0
    embed_dim: int = 32                    # E (CLIP space)
    embedding_space: str = "tiny-test"
    classes: List[str] = field(default_factory=lambda: list(SCANNET18_CLASSES))
    rgb_mean: List[float] = field(default_factory=lambda: list(SCANQA_RGB_MEAN))
    rgb_scale: float = SCANQA_RGB_SCALE

    @property
    def in_channels(self) -> int:
        return sum(CHANNEL_WIDTHS[c] for c in self.channels)


@dataclass
class QaConfig:
    scene: SceneEncoderConfig = field(default_factory=SceneEncoderConfig)
    tokenizer: str = "word"                # "word" | "clip-bpe"
    vocab_size: int = 64
    context_length: int = 16               # max question length L
    situation_length: int = 16             # max situation length S
    situated: bool = False
    d_model: int = 64
    heads: int = 4
    text_layers: int = 1
    fusion_layers: int = 1
    ff: int = 128
    dropout: float = 0.0
    num_answers: int = 32


@dataclass
class ClipConfig:
    tokenizer: str = "word"                # "word" | "clip-bpe"
    vocab_size: int = 64
    context_length: int = CLIP_CONTEXT_LENGTH
    text_pool: str = "last"                # "eot" (argmax id, CLIP) | "last" (last non-zero token)
    width: int = 32
    heads: int = 4
    layers: int = 1
    ff: int = 64
    image_widths: List[int] = field(default_factory=lambda: [8, 16, 32])
    image_size: int = 224
    embed_dim: int = 32
    embedding_space: str = "tiny-test"


def scene_config(name: str) -> SceneEncoderConfig:
    if name == "tiny":
        return SceneEncoderConfig()
    if name == "paper":
        return SceneEncoderConfig(
            num_points=40000,
            sa_layers=[
                (2048, 0.2, 64, [64, 64, 128]),
                (1024, 0.4, 32, [128, 128, 256]),
                (512, 0.8, 16, [128, 128, 256]),
                (256, 1.2, 16, [128, 128, 256]),
            ],
            num_objects=256, proposal_radius=0.3, proposal_nsample=16,
            proposal_mlp=[256, 256], feature_dim=256,
            transformer_layers=4, transformer_heads=8, transformer_ff=512, dropout=0.1,
            embed_dim=512, embedding_space="clip-vit-b32")
    if name == "demo":
        return SceneEncoderConfig(
            num_points=1024,
            sa_layers=[(256, 0.25, 16, [32, 32, 64]), (128, 0.5, 16, [64, 64, 128])],
            num_objects=48, vote_seeds=True, proposal_radius=0.3, proposal_nsample=16,
            proposal_mlp=[128, 128], colour_radius=0.1,
            feature_dim=128, transformer_layers=2, transformer_heads=4, transformer_ff=256,
            embed_dim=64, embedding_space="demo-clip", classes=list(SYNTH_CLASSES))
    raise ValueError(f"unknown config '{name}' (expected tiny, demo or paper)")


def qa_config(name: str, situated: bool = False, vocab_size: Optional[int] = None,
              num_answers: Optional[int] = None) -> QaConfig:
    if name == "tiny":
        cfg = QaConfig(scene=scene_config("tiny"), situated=situated)
    elif name == "paper":
        cfg = QaConfig(scene=scene_config("paper"), vocab_size=4000, context_length=40,
                       situation_length=40, situated=situated, d_model=256, heads=8,
                       text_layers=2, fusion_layers=4, ff=512, dropout=0.1, num_answers=8000)
    elif name == "demo":
        cfg = QaConfig(scene=scene_config("demo"), context_length=24, situation_length=24,
                       situated=situated, d_model=128, heads=4, text_layers=1, fusion_layers=2,
                       ff=256)
    else:
        raise ValueError(f"unknown config '{name}' (expected tiny, demo or paper)")
    if vocab_size is not None:
        cfg.vocab_size = vocab_size
    if num_answers is not None:
        cfg.num_answers = num_answers
    return cfg


def clip_config(name: str, tokenizer: str = "word", vocab_size: Optional[int] = None) -> ClipConfig:
    if name == "tiny":
        cfg = ClipConfig()
    elif name == "paper":
        cfg = ClipConfig(width=512, heads=8, layers=12, ff=2048, image_widths=[64, 128, 256, 512],
                         embed_dim=512, embedding_space="clip-vit-b32")
    elif name == "demo":
        cfg = ClipConfig(width=64, heads=4, layers=2, ff=128, image_widths=[8, 16, 32, 64],
                         embed_dim=64, embedding_space="demo-clip")
    else:
        raise ValueError(f"unknown config '{name}' (expected tiny, demo or paper)")
    cfg.tokenizer = tokenizer
    if tokenizer == "clip-bpe":
        cfg.vocab_size = CLIP_BPE_VOCAB_SIZE
        cfg.text_pool = "eot"
    elif tokenizer == "word":
        cfg.text_pool = "last"
    else:
        raise ValueError(f"unknown tokenizer '{tokenizer}' (expected word or clip-bpe)")
    if vocab_size is not None:
        cfg.vocab_size = vocab_size
    return cfg


# ----------------------------------------------------------------------------------- helpers


def _transformer(d_model: int, heads: int, ff: int, layers: int, dropout: float) -> nn.Module:
    layer = nn.TransformerEncoderLayer(d_model, heads, ff, dropout=dropout, activation="gelu",
                                       batch_first=True, norm_first=True)
    return nn.TransformerEncoder(layer, layers, norm=nn.LayerNorm(d_model),
                                 enable_nested_tensor=False)


def _channel_layout(channels: List[str]) -> Tuple[int, List[int]]:
    """Column of x in the points tensor and the list of non-xyz feature columns."""
    if "xyz" not in channels:
        raise ValueError("channels must contain 'xyz'")
    col = 0
    xyz_col = -1
    feature_cols: List[int] = []
    for c in channels:
        if c not in CHANNEL_WIDTHS:
            raise ValueError(f"unknown channel '{c}' (expected one of {list(CHANNEL_WIDTHS)})")
        w = CHANNEL_WIDTHS[c]
        if c == "xyz":
            xyz_col = col
        else:
            feature_cols.extend(range(col, col + w))
        col += w
    return xyz_col, feature_cols


def normalise_points(xyz: "torch.Tensor", rgb255: Optional["torch.Tensor"], channels: List[str],
                     rgb_mean: List[float], rgb_scale: float,
                     normals: Optional["torch.Tensor"] = None) -> "torch.Tensor":
    """Builds a model input [N, C] from raw arrays the way the C++ runtime does: rgb_in = (rgb255 -
    mean) / scale, height = z - 1st percentile of z (floor estimate, as VoteNet)."""
    cols: List[Tensor] = []
    for c in channels:
        if c == "xyz":
            cols.append(xyz)
        elif c == "rgb":
            assert rgb255 is not None
            cols.append((rgb255 - torch.tensor(rgb_mean)) / rgb_scale)
        elif c == "normal":
            assert normals is not None
            cols.append(normals)
        elif c == "height":
            floor = torch.quantile(xyz[:, 2], 0.01)
            cols.append((xyz[:, 2] - floor).unsqueeze(-1))
    return torch.cat(cols, dim=-1)


# ----------------------------------------------------------------------------- scene encoder


class SceneEncoder(nn.Module):
    """points [B,N,C] -> object tokens, boxes, objectness, class logits and CLIP-space embeddings.

    backbone (PointNet++ set abstraction) -> K proposals (FPS seeds over the backbone points, or
    with vote_seeds seed points chosen by FPS over the votes weighted by the seed probability,
    each proposal at its seed's vote; grouped features -> MLP -> max pool) -> box/objectness/
    class heads -> transformer over the K object tokens plus a CLS token -> projection heads
    (L2-normalised) into the CLIP space.
    """

    def __init__(self, cfg: SceneEncoderConfig):
        super().__init__()
        xyz_col, feature_cols = _channel_layout(cfg.channels)
        self.xyz_col = xyz_col
        self.register_buffer("feature_cols", torch.tensor(feature_cols, dtype=torch.long),
                             persistent=False)
        self.num_objects = cfg.num_objects
        self.proposal_radius = cfg.proposal_radius
        self.proposal_nsample = cfg.proposal_nsample
        self.backbone = PointNet2Backbone(len(feature_cols), cfg.sa_layers)
        fdim = cfg.feature_dim
        seed_width = cfg.seed_mlp[-1]
        self.seed_propagation = FeaturePropagation(
            len(feature_cols) + self.backbone.out_channels, list(cfg.seed_mlp)) \
            if cfg.vote_seeds else None
        self.seed_head = nn.Linear(seed_width, 1) if cfg.vote_seeds else None
        self.vote_head = nn.Linear(seed_width, 3) if cfg.vote_seeds else None
        self.seed_in = nn.Linear(seed_width, fdim) if cfg.vote_seeds else None
        if self.vote_head is not None:
            nn.init.zeros_(self.vote_head.weight)
            nn.init.zeros_(self.vote_head.bias)
        self.proposal_mlp = SharedMLP([self.backbone.out_channels + 3] + cfg.proposal_mlp + [fdim])
        self.centre_head = nn.Linear(fdim, 3)
        self.size_head = nn.Linear(fdim, 3)
        self.box_pos = nn.Sequential(nn.Linear(6, fdim), nn.GELU(), nn.Linear(fdim, fdim))
        self.colour_radius = cfg.colour_radius
        self.colour_nsample = cfg.colour_nsample
        self.colour_in = nn.Linear(len(feature_cols), fdim) if cfg.colour_radius > 0 else None
        self.cls_token = nn.Parameter(torch.zeros(1, 1, fdim))
        self.transformer = _transformer(fdim, cfg.transformer_heads, cfg.transformer_ff,
                                        cfg.transformer_layers, cfg.dropout)
        self.objectness_head = nn.Linear(fdim, 1)
        self.class_head = nn.Linear(fdim, len(cfg.classes))
        self.object_proj = nn.Linear(fdim, cfg.embed_dim)
        self.scene_proj = nn.Linear(fdim, cfg.embed_dim)
        nn.init.normal_(self.cls_token, std=0.02)
        nn.init.zeros_(self.centre_head.bias)
        nn.init.constant_(self.size_head.bias, math.log(0.5))

    def forward(self, points: Tensor) -> Dict[str, Tensor]:
        return self.forward_with_seeds(points)[0]

    @torch.jit.export
    def forward_with_seeds(self, points: Tensor
                           ) -> Tuple[Dict[str, Tensor], Tensor, Dict[str, Tensor]]:
        """forward's outputs, the proposals' seed points [B,K,3] (input points, so training can
        assign each proposal the object its seed lies on) and, with a seed head, per input point
        its "on an object" logit ("seed_logits" [B,N]) and vote ("votes" [B,N,3])."""
        xyz = points[:, :, self.xyz_col:self.xyz_col + 3].contiguous()
        features = points.index_select(2, self.feature_cols)
        bxyz, bfeat = self.backbone(xyz, features)
        per_point: Dict[str, Tensor] = {}
        seed_features: Optional[Tensor] = None
        if self.seed_propagation is not None and self.seed_head is not None \
                and self.vote_head is not None:
            point_features = self.seed_propagation(xyz, bxyz, features, bfeat)      # [B,N,S]
            seed_logits = self.seed_head(point_features).squeeze(-1)
            votes = xyz + self.vote_head(point_features)
            per_point = {"seed_logits": seed_logits, "votes": votes}
            # The votes and scores only place the proposals; their own losses train them.
            seed_idx = farthest_point_sample(votes.detach(), self.num_objects,
                                             torch.sigmoid(seed_logits.detach()))
            seeds = index_points(xyz, seed_idx)
            centres = index_points(votes.detach(), seed_idx)
            seed_features = index_points(point_features, seed_idx)
        else:
            seeds = index_points(bxyz, farthest_point_sample(bxyz, self.num_objects))
            centres = seeds
        idx = ball_query(self.proposal_radius, self.proposal_nsample, bxyz, centres)
        grouped = group_points(bxyz, bfeat, centres, idx, self.proposal_radius)
        proposals = self.proposal_mlp(grouped).max(dim=2)[0]                   # [B,K,F]
        if self.seed_in is not None and seed_features is not None:
            proposals = proposals + self.seed_in(seed_features)
        centre = centres + self.centre_head(proposals)
        size = torch.exp(self.size_head(proposals).clamp(-6.0, 4.0))
        boxes = torch.cat([centre, size], dim=-1)                             # [B,K,6]
        tokens = proposals + self.box_pos(boxes)
        if self.colour_in is not None:
            near = ball_query(self.colour_radius, self.colour_nsample, xyz, seeds)
            tokens = tokens + self.colour_in(index_points(features, near).mean(dim=2))
        cls = self.cls_token.expand(tokens.shape[0], 1, tokens.shape[2])
        x = self.transformer(torch.cat([cls, tokens], dim=1))
        objects = x[:, 1:]
        out: Dict[str, Tensor] = {
            "object_features": objects,
            "object_boxes": boxes,
            "objectness": self.objectness_head(objects).squeeze(-1),
            "object_class_logits": self.class_head(objects),
            "object_embeddings": F.normalize(self.object_proj(objects), dim=-1),
            "scene_embedding": F.normalize(self.scene_proj(x[:, 0]), dim=-1),
        }
        return out, seeds, per_point


# ------------------------------------------------------------------------------------- QA


class TextEncoder(nn.Module):
    """Token embedding + learned positions + transformer; prepends a CLS token that is never
    masked, so an all-padding input is well defined. -> ([B,1+L,D], valid mask [B,1+L])."""

    def __init__(self, vocab_size: int, context_length: int, d_model: int, heads: int, ff: int,
                 layers: int, dropout: float):
        super().__init__()
        self.context_length = context_length
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.zeros(1, context_length + 1, d_model))
        self.cls = nn.Parameter(torch.zeros(1, 1, d_model))
        self.transformer = _transformer(d_model, heads, ff, layers, dropout)
        nn.init.normal_(self.embed.weight, std=0.02)
        nn.init.normal_(self.pos, std=0.01)
        nn.init.normal_(self.cls, std=0.02)

    def forward(self, tokens: Tensor, mask: Tensor) -> Tuple[Tensor, Tensor]:
        tokens = tokens[:, :self.context_length].to(torch.long)
        mask = mask[:, :self.context_length].to(torch.bool)
        b, length = tokens.shape[0], tokens.shape[1]
        x = self.embed(tokens.clamp(0, self.embed.num_embeddings - 1))
        x = torch.cat([self.cls.expand(b, 1, x.shape[2]), x], dim=1) + self.pos[:, :length + 1]
        valid = torch.cat([torch.ones(b, 1, dtype=torch.bool, device=mask.device), mask], dim=1)
        return self.transformer(x, src_key_padding_mask=~valid), valid


class QaModel(nn.Module):
    """3D question answering over a SceneEncoder's object tokens.

    Question (and, when situated, situation) tokens are encoded by a shared text encoder; a fusion
    transformer runs over [question tokens; object tokens; situation tokens] so the question
    attends over the objects. Heads: per-object localisation scores, answer logits from the
    question CLS together with the object tokens weighted by the softmax of those scores, and
    when situated the agent position and rotation (unit quaternion w,x,y,z) from the situation
    CLS.
    """

    def __init__(self, cfg: QaConfig):
        super().__init__()
        d = cfg.d_model
        self.situated = cfg.situated
        self.scene = SceneEncoder(cfg.scene)
        self.text = TextEncoder(cfg.vocab_size, max(cfg.context_length, cfg.situation_length), d,
                                cfg.heads, cfg.ff, cfg.text_layers, cfg.dropout)
        self.object_in = nn.Linear(cfg.scene.feature_dim, d)
        self.object_pos = nn.Linear(6, d)
        self.segment = nn.Parameter(torch.zeros(3, d))     # question / object / situation
        self.fusion = _transformer(d, cfg.heads, cfg.ff, cfg.fusion_layers, cfg.dropout)
        self.answer_head = nn.Sequential(nn.Linear(2 * d, d), nn.GELU(),
                                         nn.Linear(d, cfg.num_answers))
        self.score_head = nn.Linear(d, 1)
        self.position_head = None
        self.rotation_head = None
        if cfg.situated:
            self.position_head = nn.Sequential(nn.Linear(2 * d, d), nn.GELU(), nn.Linear(d, 3))
            rot = nn.Sequential(nn.Linear(2 * d, d), nn.GELU(), nn.Linear(d, 4))
            with torch.no_grad():
                rot[2].bias.copy_(torch.tensor([1.0, 0.0, 0.0, 0.0]))
            self.rotation_head = rot
        nn.init.normal_(self.segment, std=0.02)

    def forward(self, points: Tensor, question_tokens: Tensor, question_mask: Tensor,
                situation_tokens: Tensor, situation_mask: Tensor) -> Dict[str, Tensor]:
        return self.answer(self.scene(points), question_tokens, question_mask, situation_tokens,
                           situation_mask)

    @torch.jit.export
    def answer(self, enc: Dict[str, Tensor], question_tokens: Tensor, question_mask: Tensor,
               situation_tokens: Tensor, situation_mask: Tensor) -> Dict[str, Tensor]:
        """The heads on already encoded scenes (one row per question; training encodes each scene
        once for all its questions)."""
        boxes = enc["object_boxes"]
        objects = self.object_in(enc["object_features"]) + self.object_pos(boxes) + self.segment[1]
        q, q_valid = self.text(question_tokens, question_mask)
        q = q + self.segment[0]
        k = objects.shape[1]
        obj_valid = torch.ones(objects.shape[0], k, dtype=torch.bool, device=objects.device)
        parts = [q, objects]
        valid = [q_valid, obj_valid]
        if self.position_head is not None:
            s, s_valid = self.text(situation_tokens, situation_mask)
            parts.append(s + self.segment[2])
            valid.append(s_valid)
        x = self.fusion(torch.cat(parts, dim=1), src_key_padding_mask=~torch.cat(valid, dim=1))
        lq = q.shape[1]
        q_cls = x[:, 0]
        fused_objects = x[:, lq:lq + k]
        scores = self.score_head(fused_objects).squeeze(-1)
        # The answer reads the question and the objects weighted by where the question points:
        # "what colour is the cup" needs the cup's token itself, not only what reached the CLS.
        referred = (torch.softmax(scores, dim=1).unsqueeze(-1) * fused_objects).sum(1)
        out: Dict[str, Tensor] = {
            "answer_logits": self.answer_head(torch.cat([q_cls, referred], dim=-1)),
            "object_scores": scores,
            "object_boxes": boxes,
        }
        if self.position_head is not None and self.rotation_head is not None:
            sq = torch.cat([x[:, lq + k], q_cls], dim=-1)
            out["position"] = self.position_head(sq)
            out["rotation"] = F.normalize(self.rotation_head(sq), dim=-1)
        return out


# ------------------------------------------------------------------------------------ CLIP


class ConvImageEncoder(nn.Module):
    """Small conv net for [B,3,224,224] images: stride-4 stem, stride-2 stages, global average."""

    def __init__(self, widths: List[int], out_dim: int):
        super().__init__()
        layers: List[nn.Module] = [nn.Conv2d(3, widths[0], 7, stride=4, padding=3),
                                   nn.BatchNorm2d(widths[0]), nn.ReLU()]
        for i in range(1, len(widths)):
            layers += [nn.Conv2d(widths[i - 1], widths[i], 3, stride=2, padding=1),
                       nn.BatchNorm2d(widths[i]), nn.ReLU()]
        self.net = nn.Sequential(*layers)
        self.proj = nn.Linear(widths[-1], out_dim)

    def forward(self, images: Tensor) -> Tensor:
        return self.proj(self.net(images).mean(dim=(2, 3)))


class ClipDualEncoder(nn.Module):
    """CLIP-interface dual encoder: encode_text(tokens[B,77] int64) and encode_image(images
    [B,3,224,224]) -> L2-normalised [B,E]; forward = encode_text. Token 0 is padding."""

    def __init__(self, cfg: ClipConfig):
        super().__init__()
        if cfg.text_pool not in ("eot", "last"):
            raise ValueError(f"unknown text_pool '{cfg.text_pool}'")
        self.context_length = cfg.context_length
        self.pool_eot = cfg.text_pool == "eot"
        self.token_embedding = nn.Embedding(cfg.vocab_size, cfg.width)
        self.positional_embedding = nn.Parameter(torch.zeros(cfg.context_length, cfg.width))
        self.transformer = _transformer(cfg.width, cfg.heads, cfg.ff, cfg.layers, 0.0)
        self.text_projection = nn.Linear(cfg.width, cfg.embed_dim, bias=False)
        self.visual = ConvImageEncoder(cfg.image_widths, cfg.embed_dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1.0 / 0.07)))
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        nn.init.normal_(self.positional_embedding, std=0.01)

    @torch.jit.export
    def encode_text(self, tokens: Tensor) -> Tensor:
        tokens = tokens[:, :self.context_length].to(torch.long)
        b, length = tokens.shape[0], tokens.shape[1]
        x = self.token_embedding(tokens.clamp(0, self.token_embedding.num_embeddings - 1))
        x = x + self.positional_embedding[:length]
        pad = tokens == 0
        pad[:, 0] = False                       # never mask every key
        x = self.transformer(x, src_key_padding_mask=pad)
        if self.pool_eot:
            pos = tokens.argmax(dim=-1)
        else:
            pos = ((tokens != 0).sum(dim=-1) - 1).clamp(min=0)
        feat = x[torch.arange(b, device=tokens.device), pos]
        return F.normalize(self.text_projection(feat), dim=-1)

    @torch.jit.export
    def encode_image(self, images: Tensor) -> Tensor:
        return F.normalize(self.visual(images), dim=-1)

    def forward(self, tokens: Tensor) -> Tensor:
        return self.encode_text(tokens)


def parameter_count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
