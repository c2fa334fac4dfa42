"""Training of the demo models on synthetic data: the CLIP-interface dual encoder (contrastive,
renders and object crops against captions), the scene encoder (detection + alignment to the
frozen CLIP space) and the QA heads. Deterministic for a seed: fixed data order from a seeded
generator and torch.manual_seed; CPU only.
"""
import math
import sys
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from . import models as M
from .captions import description_of, retrieval_prompt, scene_caption
from .pointsampler import point_channels, sample_vertices
from .synthdata import NAMED_COLOURS, Question, SynthScene
from .tokenizers import WordTokenizer

CLIP_MEAN = torch.tensor([0.48145466, 0.4578275, 0.40821073]).view(1, 3, 1, 1)
CLIP_STD = torch.tensor([0.26862954, 0.26130258, 0.27577711]).view(1, 3, 1, 1)
MAX_LOGIT_SCALE = math.log(100.0)
# Weights of the summed losses (others 1): boxes matter most for matching objects by IoU, and the
# alignment terms, larger in magnitude, must not drown the detection ones.
LOSS_WEIGHTS = {"box": 2.0, "align_object": 0.5, "align_scene_image": 0.5,
                "align_scene_text": 0.5}


def weighted_sum(losses: Dict[str, Tensor]) -> Tensor:
    return sum(LOSS_WEIGHTS.get(k, 1.0) * v for k, v in losses.items())


class Log:
    """A one-line progress bar per stage on stderr, and loss lines to stdout and a file."""

    def __init__(self, path: Optional[str] = None, mode: str = "w", bar: bool = True,
                 echo: bool = True):
        self.file = open(path, mode, encoding="utf-8") if path else None
        self.bar = bar
        self.echo = echo

    def line(self, text: str) -> None:
        if self.bar:
            sys.stderr.write("\r\033[K")
        if self.echo:
            print(text, flush=True)
        if self.file:
            self.file.write(text + "\n")
            self.file.flush()

    def resume(self) -> None:
        """Reopens the file for appending (after other processes appended to it)."""
        if self.file:
            path = self.file.name
            self.file.close()
            self.file = open(path, "a", encoding="utf-8")

    def progress(self, stage: str, done: int, total: int, losses: Dict[str, float]) -> None:
        if not self.bar:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        shown = " ".join(f"{k} {v:.3f}" for k, v in losses.items())
        sys.stderr.write(f"\r\033[K{stage} [{'#' * filled}{'.' * (width - filled)}] "
                         f"{done}/{total} {shown}")
        sys.stderr.flush()


class RunningMeans:
    def __init__(self):
        self.sums: Dict[str, float] = {}
        self.counts: Dict[str, int] = {}

    def add(self, losses: Dict[str, Tensor]) -> None:
        for k, v in losses.items():
            self.sums[k] = self.sums.get(k, 0.0) + float(v)
            self.counts[k] = self.counts.get(k, 0) + 1

    def means(self) -> Dict[str, float]:
        return {k: self.sums[k] / self.counts[k] for k in self.sums}


def info_nce(a: Tensor, b: Tensor, a_labels: Sequence, b_labels: Sequence, log_scale: Tensor
             ) -> Tensor:
    """Symmetric InfoNCE between rows of a [P,E] and b [Q,E] (L2-normalised); a_labels[i] ==
    b_labels[j] marks the positives (several per row allowed: soft targets)."""
    positive = torch.tensor([[x == y for y in b_labels] for x in a_labels], dtype=torch.float32)
    logits = log_scale.clamp(max=MAX_LOGIT_SCALE).exp() * a @ b.t()
    rows = positive.sum(1) > 0
    cols = positive.sum(0) > 0
    loss_a = -(F.log_softmax(logits[rows], 1) * (positive[rows] / positive[rows].sum(1, True))
               ).sum(1).mean()
    loss_b = -(F.log_softmax(logits[:, cols].t(), 1)
               * (positive[:, cols].t() / positive[:, cols].t().sum(1, True))).sum(1).mean()
    return (loss_a + loss_b) / 2


def make_optimizer(params, lr: float, steps: int):
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(
            1.0, s / max(1, steps)))))
    return optimizer, schedule


def step(optimizer, schedule, loss: Tensor, params) -> None:
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    optimizer.step()
    schedule.step()


# ------------------------------------------------------------------------------------- CLIP


@dataclass
class ImageCaptionSet:
    images: Tensor               # uint8 [M,3,224,224]
    captions: List[List[str]]    # the captions each image may be paired with


def normalise_images(images: Tensor) -> Tensor:
    return (images.float() / 255.0 - CLIP_MEAN) / CLIP_STD


def tokenize(tokenizer: WordTokenizer, texts: List[str], length: int = 0) -> Tensor:
    """Word ids cut or zero-padded to `length` (default: the tokenizer's context), as C++."""
    length = length or tokenizer.context_length
    return torch.tensor([(tokenizer.encode(t)[:length] + [0] * length)[:length] for t in texts],
                        dtype=torch.long)


def train_clip(model: M.ClipDualEncoder, data: ImageCaptionSet, tokenizer: WordTokenizer,
               epochs: int, batch: int, lr: float, generator: torch.Generator, log: Log
               ) -> List[Dict[str, float]]:
    """Contrastive training; each step pairs a batch of images with one of their captions.
    Returns the mean losses of every epoch."""
    model.train()
    params = list(model.parameters())
    m = data.images.shape[0]
    steps = epochs * (m // batch)
    optimizer, schedule = make_optimizer(params, lr, steps)
    done = 0
    history = []
    for epoch in range(epochs):
        order = torch.randperm(m, generator=generator)
        means = RunningMeans()
        for first in range(0, m - batch + 1, batch):
            idx = order[first:first + batch]
            images = normalise_images(data.images[idx])
            flip = torch.rand(batch, generator=generator) < 0.5
            images[flip] = images[flip].flip(-1)
            captions = [data.captions[i][int(torch.randint(len(data.captions[i]), (1,),
                                                           generator=generator))]
                        for i in idx.tolist()]
            img = model.encode_image(images)
            txt = model.encode_text(tokenize(tokenizer, captions))
            loss = info_nce(img, txt, captions, captions, model.logit_scale)
            step(optimizer, schedule, loss, params)
            means.add({"clip_infonce": loss.detach()})
            done += 1
            log.progress("demo-clip", done, steps, means.means())
        log.line(f"demo-clip epoch {epoch + 1}/{epochs}: " + _fmt(means.means()))
        history.append(means.means())
    model.eval()
    return history


def _fmt(values: Dict[str, float]) -> str:
    return " ".join(f"{k} {v:.4f}" for k, v in values.items())


@torch.no_grad()
def embed_texts(model: M.ClipDualEncoder, tokenizer: WordTokenizer, texts: List[str]
                ) -> Dict[str, Tensor]:
    unique = sorted(set(texts))
    out: Dict[str, Tensor] = {}
    for first in range(0, len(unique), 256):
        chunk = unique[first:first + 256]
        for text, e in zip(chunk, model.encode_text(tokenize(tokenizer, chunk))):
            out[text] = e
    return out


# ------------------------------------------------------------------------------ point cache


@dataclass
class SceneSamples:
    points: Tensor      # [S,N,C] model input, C++-identical sampling with seeds 0..S-1
    instance: Tensor    # [S,N] object id of each sampled vertex (-1: none)


def sample_scene(scene: SynthScene, cfg: M.SceneEncoderConfig, seeds: Sequence[int]
                 ) -> SceneSamples:
    points, instance = [], []
    for seed in seeds:
        idx = sample_vertices(len(scene.xyz), cfg.num_points, seed)
        points.append(point_channels(scene.xyz[idx], scene.rgb[idx], cfg.channels, cfg.rgb_mean,
                                     cfg.rgb_scale))
        instance.append(scene.instance[idx])
    return SceneSamples(torch.from_numpy(np.stack(points)), torch.from_numpy(np.stack(instance)))


# --------------------------------------------------------------------------- scene encoder


@dataclass
class SceneTargets:
    """Per-scene lookups from object id to detection / alignment targets."""
    boxes: Dict[int, Tensor]          # centre-size [6]
    classes: Dict[int, int]
    colours: Dict[int, int]           # index in synthdata.NAMED_COLOURS
    labels: Dict[int, str]
    descriptions: Dict[int, str]


def scene_targets(scene: SynthScene, classes: List[str]) -> SceneTargets:
    boxes, indices, colours, labels, descriptions = {}, {}, {}, {}, {}
    for o in scene.furniture():
        if o.label not in classes:
            continue
        boxes[o.object_id] = torch.from_numpy(o.centre_size.astype(np.float32))
        indices[o.object_id] = classes.index(o.label)
        colours[o.object_id] = scene.colour_index(o.object_id)
        labels[o.object_id] = o.label
        descriptions[o.object_id] = description_of(scene, o.object_id)
    return SceneTargets(boxes, indices, colours, labels, descriptions)


def seed_objects(points: Tensor, instance: Tensor, seeds: Tensor) -> Tensor:
    """The object id [B,K] of the input point each proposal seed is (seeds are input points)."""
    nearest = torch.cdist(seeds, points[:, :, :3]).argmin(-1)
    return torch.gather(instance, 1, nearest)


def detection_losses(out: Dict[str, Tensor], seed_ids: Tensor, targets: List[SceneTargets]
                     ) -> Tuple[Dict[str, Tensor], List[Tuple[int, int, int]]]:
    """Objectness (BCE), box (smooth L1 on centre and log size), class (CE) for proposals whose
    seed lies on a piece of furniture. Returns the losses and the positives (b, k, object id)."""
    positives = [(b, k, int(seed_ids[b, k])) for b in range(seed_ids.shape[0])
                 for k in range(seed_ids.shape[1]) if int(seed_ids[b, k]) in targets[b].boxes]
    objectness_target = torch.zeros_like(out["objectness"])
    for b, k, _ in positives:
        objectness_target[b, k] = 1.0
    losses = {"objectness": F.binary_cross_entropy_with_logits(out["objectness"],
                                                               objectness_target)}
    if positives:
        bi = torch.tensor([p[0] for p in positives])
        ki = torch.tensor([p[1] for p in positives])
        gt = torch.stack([targets[b].boxes[o] for b, _, o in positives])
        pred = out["object_boxes"][bi, ki]
        losses["box"] = (F.smooth_l1_loss(pred[:, :3], gt[:, :3], beta=0.1)
                         + F.smooth_l1_loss(pred[:, 3:].log(), gt[:, 3:].clamp(min=0.02).log(),
                                            beta=0.1))
        cls = torch.tensor([targets[b].classes[o] for b, _, o in positives])
        losses["class"] = F.cross_entropy(out["object_class_logits"][bi, ki], cls)
    return losses, positives


def point_targets(instance: Tensor, targets: List[SceneTargets]) -> Tuple[Tensor, Tensor]:
    """For every sampled point: 1.0 where it lies on a detection target (furniture), else 0.0
    [B,N], and that object's box centre [B,N,3] (zero elsewhere)."""
    on = torch.zeros(instance.shape, dtype=torch.float32)
    centres = torch.zeros(*instance.shape, 3)
    for b, t in enumerate(targets):
        for object_id, box in t.boxes.items():
            mask = instance[b] == object_id
            on[b, mask] = 1.0
            centres[b, mask] = box[:3]
    return on, centres


def encoder_losses(model: M.SceneEncoder, points: Tensor, instance: Tensor,
                   targets: List[SceneTargets], colour_head: Optional[nn.Module] = None
                   ) -> Tuple[Dict[str, Tensor], Dict[str, Tensor], Tensor,
                              List[Tuple[int, int, int]]]:
    """Runs the encoder on a batch -> (outputs, detection losses, the object id [B,K] under each
    seed, the positives). With a seed head, adds its BCE against "the point is on furniture" and
    the error of the votes of the points on furniture (smooth L1 to the object's centre);
    given a colour head (training only), the CE of the positives' named colours, so that object
    tokens carry their object's colour."""
    out, seeds, per_point = model.forward_with_seeds(points)
    seed_ids = seed_objects(points, instance, seeds)
    losses, positives = detection_losses(out, seed_ids, targets)
    if per_point:
        on, centres = point_targets(instance, targets)
        losses["seed"] = F.binary_cross_entropy_with_logits(per_point["seed_logits"], on)
        if bool(on.any()):
            mask = on > 0
            losses["vote"] = F.smooth_l1_loss(per_point["votes"][mask], centres[mask], beta=0.1)
    if colour_head is not None and positives:
        features = out["object_features"][torch.tensor([p[0] for p in positives]),
                                          torch.tensor([p[1] for p in positives])]
        colours = torch.tensor([targets[b].colours[o] for b, _, o in positives])
        losses["colour"] = F.cross_entropy(colour_head(features), colours)
    return out, losses, seed_ids, positives


@dataclass
class AlignmentTargets:
    """Frozen demo-clip embeddings the scene encoder is pulled toward."""
    texts: Dict[str, Tensor]          # object descriptions and scene captions
    scene_images: Dict[Tuple[str, str], Tensor]   # mean of a scene's render embeddings


def alignment_losses(out: Dict[str, Tensor], positives: List[Tuple[int, int, int]],
                     scenes: List[SynthScene], targets: List[SceneTargets],
                     align: AlignmentTargets, log_scale: Tensor) -> Dict[str, Tensor]:
    losses: Dict[str, Tensor] = {}
    if positives:
        emb = out["object_embeddings"][torch.tensor([p[0] for p in positives]),
                                       torch.tensor([p[1] for p in positives])]
        # Toward the object's description ("a red chair") and its class prompt ("a chair in a
        # scene"), the text that retrieval queries with.
        terms = []
        for texts in ([targets[b].descriptions[o] for b, _, o in positives],
                      [retrieval_prompt(targets[b].labels[o]) for b, _, o in positives]):
            unique = sorted(set(texts))
            terms.append(info_nce(emb, torch.stack([align.texts[t] for t in unique]), texts,
                                  unique, log_scale))
        losses["align_object"] = (terms[0] + terms[1]) / 2
    keys = [s.key for s in scenes]
    scene_emb = out["scene_embedding"]
    if all(k in align.scene_images for k in keys):
        images = F.normalize(torch.stack([align.scene_images[k] for k in keys]), dim=-1)
        losses["align_scene_image"] = info_nce(scene_emb, images, keys, keys, log_scale)
    captions = [scene_caption(s) for s in scenes]
    text = torch.stack([align.texts[c] for c in captions])
    losses["align_scene_text"] = info_nce(scene_emb, text, captions, captions, log_scale)
    return losses


def _batch_samples(scenes: List[SynthScene], cache: Dict, generator: torch.Generator
                   ) -> Tuple[Tensor, Tensor]:
    points, instance = [], []
    for s in scenes:
        samples: SceneSamples = cache[s.key]
        i = int(torch.randint(samples.points.shape[0], (1,), generator=generator))
        points.append(samples.points[i])
        instance.append(samples.instance[i])
    return torch.stack(points), torch.stack(instance)


def train_scene_encoder(model: M.SceneEncoder, scenes: List[SynthScene], cache: Dict,
                        classes: List[str], align: Optional[AlignmentTargets], epochs: int,
                        batch: int, lr: float, generator: torch.Generator, log: Log,
                        stage: str) -> List[Dict[str, float]]:
    """Detection losses and the named colour of the objects under the seeds (a head used in
    training only), plus the CLIP alignment losses when `align` is given. Returns the mean losses
    of every epoch."""
    model.train()
    log_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
    colour_head = nn.Linear(model.object_proj.in_features, len(NAMED_COLOURS))
    params = list(model.parameters()) + list(colour_head.parameters()) + [log_scale]
    targets = {s.key: scene_targets(s, classes) for s in scenes}
    steps = epochs * (len(scenes) // batch)
    optimizer, schedule = make_optimizer(params, lr, steps)
    done = 0
    history = []
    for epoch in range(epochs):
        order = torch.randperm(len(scenes), generator=generator).tolist()
        means = RunningMeans()
        for first in range(0, len(scenes) - batch + 1, batch):
            chosen = [scenes[i] for i in order[first:first + batch]]
            points, instance = _batch_samples(chosen, cache, generator)
            chosen_targets = [targets[s.key] for s in chosen]
            out, losses, _, positives = encoder_losses(model, points, instance, chosen_targets,
                                                       colour_head)
            if align is not None:
                losses.update(alignment_losses(out, positives, chosen, chosen_targets, align,
                                               log_scale))
            step(optimizer, schedule, weighted_sum(losses), params)
            means.add({k: v.detach() for k, v in losses.items()})
            done += 1
            log.progress(stage, done, steps, means.means())
        log.line(f"{stage} epoch {epoch + 1}/{epochs}: " + _fmt(means.means()))
        history.append(means.means())
    model.eval()
    return history


# -------------------------------------------------------------------------------------- QA


@dataclass
class QaTokens:
    question: Tensor
    question_mask: Tensor
    situation: Tensor
    situation_mask: Tensor


def _trimmed(tokens: Tensor) -> Tensor:
    """Drops the all-padding columns at the end (masked keys change no output; saves time)."""
    used = int((tokens != 0).any(0).nonzero().max()) + 1 if bool((tokens != 0).any()) else 1
    return tokens[:, :used]


def question_tokens(questions: List[Question], tokenizer: WordTokenizer, cfg: M.QaConfig
                    ) -> QaTokens:
    """Tokens as the C++ runtime builds them (questions cut to context_length, situations to
    situation_length), without trailing all-padding columns."""
    q = _trimmed(tokenize(tokenizer, [x.question for x in questions], cfg.context_length))
    s = _trimmed(tokenize(tokenizer, [x.situation for x in questions], cfg.situation_length))
    return QaTokens(q, q != 0, s, s != 0)


def qa_losses(out: Dict[str, Tensor], questions: List[Question], answers: Dict[str, int],
              seed_ids: Tensor, rows: Tensor) -> Dict[str, Tensor]:
    target = torch.tensor([answers.get(q.answers[0], -100) for q in questions])
    losses = {"answer": F.cross_entropy(out["answer_logits"], target, ignore_index=-100)}
    referred = torch.zeros_like(out["object_scores"])
    for i, q in enumerate(questions):
        for object_id in q.object_ids:
            referred[i] += (seed_ids[rows[i]] == object_id).float()
    has = referred.sum(1) > 0
    if bool(has.any()):
        soft = referred[has] / referred[has].sum(1, True)
        losses["localisation"] = -(F.log_softmax(out["object_scores"][has], 1) * soft).sum(1).mean()
    if "position" in out:
        position = torch.stack([torch.from_numpy(q.position) for q in questions])
        rotation = torch.stack([torch.from_numpy(q.rotation) for q in questions])
        losses["position"] = F.smooth_l1_loss(out["position"], position, beta=0.2)
        losses["rotation"] = (1 - (out["rotation"] * rotation).sum(-1).abs()).mean()
    return losses


def train_qa(model: M.QaModel, scenes: List[SynthScene], questions: List[Question], cache: Dict,
             classes: List[str], tokenizer: WordTokenizer, cfg: M.QaConfig, answers: List[str],
             epochs: int, batch: int, lr: float, generator: torch.Generator, log: Log,
             stage: str, per_scene: int = 16) -> List[Dict[str, float]]:
    """Answer CE + localisation (soft CE over the proposals on the referred objects) + pose
    (situated) + the encoder's detection losses; each scene is encoded once per step for up to
    `per_scene` of its questions (a seeded random subset). Returns the mean losses of every
    epoch."""
    model.train()
    answer_index = {a: i for i, a in enumerate(answers)}
    by_scene: Dict[Tuple[str, str], List[Question]] = {}
    for q in questions:
        by_scene.setdefault(q.scene_key, []).append(q)
    scenes = [s for s in scenes if s.key in by_scene]
    targets = {s.key: scene_targets(s, classes) for s in scenes}
    params = list(model.parameters())
    steps = epochs * (len(scenes) // batch)
    optimizer, schedule = make_optimizer(params, lr, steps)
    done = 0
    history = []
    for epoch in range(epochs):
        order = torch.randperm(len(scenes), generator=generator).tolist()
        means = RunningMeans()
        for first in range(0, len(scenes) - batch + 1, batch):
            chosen = [scenes[i] for i in order[first:first + batch]]
            points, instance = _batch_samples(chosen, cache, generator)
            enc, losses, seed_ids, _ = encoder_losses(model.scene, points, instance,
                                                      [targets[s.key] for s in chosen])
            asked = [(b, q) for b, s in enumerate(chosen)
                     for q in _subset(by_scene[s.key], per_scene, generator)]
            rows = torch.tensor([b for b, _ in asked])
            qs = [q for _, q in asked]
            tok = question_tokens(qs, tokenizer, cfg)
            out = model.answer({k: v[rows] for k, v in enc.items()}, tok.question,
                               tok.question_mask, tok.situation, tok.situation_mask)
            losses.update(qa_losses(out, qs, answer_index, seed_ids, rows))
            step(optimizer, schedule, weighted_sum(losses), params)
            means.add({k: v.detach() for k, v in losses.items()})
            done += 1
            log.progress(stage, done, steps, means.means())
        log.line(f"{stage} epoch {epoch + 1}/{epochs}: " + _fmt(means.means()))
        history.append(means.means())
    model.eval()
    return history


def _subset(items: List, count: int, generator: torch.Generator) -> List:
    if len(items) <= count:
        return items
    return [items[i] for i in torch.randperm(len(items), generator=generator)[:count].tolist()]


def timed(log: Log, name: str, fn: Callable):
    start = time.time()
    result = fn()
    log.line(f"{name}: {time.time() - start:.1f} s")
    return result
