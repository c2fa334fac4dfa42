"""Metrics of the demo models, computed the way the C++ runtime computes them (core/ml): points
sampled by the PointSampler port (seed 0), word tokens cut / padded to the manifest's lengths,
answers ranked by softmax probability with ties to the lower index, objectness as a sigmoid,
predicted boxes matched to the annotated objects by axis-aligned IoU (matchGroundTruth).

- QA EM@k: the top-k answers contain one of the reference answers (case-insensitive).
- SQA accuracy: EM@1 of the situated model.
- Retrieval R@k: for every furniture label present in a scene, the query "a {label} in a scene"
  (demo-clip text embedding) ranks the scene's candidate objects by cosine similarity; a
  candidate is a predicted object token with objectness > 0.5 whose box matches an annotated
  object with IoU >= 0.25 (it takes that object's label). A hit@k is a candidate of the queried
  label among the top k; a label without any candidate of its own is a miss.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
from torch import Tensor

from . import models as M
from .captions import retrieval_prompt
from .pointsampler import point_channels, sample_vertices
from .synthdata import Question, SynthScene
from .tokenizers import WordTokenizer
from .train import tokenize

SAMPLE_SEED = 0
OBJECTNESS_THRESHOLD = 0.5
IOU_THRESHOLD = 0.25
TOP_K = 10


def scene_points(scene: SynthScene, cfg: M.SceneEncoderConfig, seed: int = SAMPLE_SEED) -> Tensor:
    idx = sample_vertices(len(scene.xyz), cfg.num_points, seed)
    return torch.from_numpy(point_channels(scene.xyz[idx], scene.rgb[idx], cfg.channels,
                                           cfg.rgb_mean, cfg.rgb_scale))[None]


def box_iou(box: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> float:
    """boxIou of core/ml/SceneEncoder.cpp in float32: centre-size box against a min/max box."""
    box = box.astype(np.float32)
    half = np.float32(0.5) * np.abs(box[3:])
    a_lo, a_hi = box[:3] - half, box[:3] + half
    overlap = np.maximum(np.float32(0), np.minimum(a_hi, hi) - np.maximum(a_lo, lo))
    inter = np.float32(np.prod(overlap, dtype=np.float32))
    union = np.float32(np.prod(a_hi - a_lo, dtype=np.float32)) \
        + np.float32(np.prod(hi - lo, dtype=np.float32)) - inter
    return float(inter / union) if union > 0 else 0.0


def match_ground_truth(box: np.ndarray, scene: SynthScene) -> Tuple[Optional[str], float]:
    """The label and IoU of the annotated object (structure included) overlapping most."""
    best_label, best_iou = None, 0.0
    for o in scene.objects:
        iou = box_iou(box, o.box_min, o.box_max)
        if iou > best_iou:
            best_label, best_iou = o.label, iou
    return best_label, best_iou


def ranked_answers(logits: Tensor, k: int) -> List[List[int]]:
    p = torch.softmax(logits.double(), dim=-1).numpy()
    return [list(np.argsort(-row, kind="stable")[:k]) for row in p]


@dataclass
class Tally:
    hits: Dict[str, List[float]]

    @staticmethod
    def new() -> "Tally":
        return Tally({})

    def add(self, kind: str, value: float) -> None:
        self.hits.setdefault(kind, []).append(value)
        self.hits.setdefault("overall", []).append(value)

    def table(self) -> Dict[str, Dict[str, float]]:
        return {k: {"value": float(np.mean(v)), "count": len(v)} for k, v in self.hits.items()}


def _by_scene(questions: List[Question]) -> Dict[Tuple[str, str], List[Question]]:
    out: Dict[Tuple[str, str], List[Question]] = {}
    for q in questions:
        out.setdefault(q.scene_key, []).append(q)
    return out


@torch.no_grad()
def evaluate_qa(model, cfg: M.QaConfig, scenes: Dict[Tuple[str, str], SynthScene],
                questions: List[Question], tokenizer: WordTokenizer, answers: List[str]
                ) -> Dict[str, Dict[str, Dict[str, float]]]:
    """EM@1 and EM@10 per question kind (model: eager QaModel or its scripted bundle module)."""
    em1, em10 = Tally.new(), Tally.new()
    for key, asked in sorted(_by_scene(questions).items()):
        points = scene_points(scenes[key], cfg.scene)
        enc = model.scene(points)
        q = tokenize(tokenizer, [x.question for x in asked], cfg.context_length)
        s = tokenize(tokenizer, [x.situation for x in asked], cfg.situation_length)
        rows = torch.zeros(len(asked), dtype=torch.long)
        out = model.answer({k: v[rows] for k, v in enc.items()}, q, q != 0, s, s != 0)
        for question, top in zip(asked, ranked_answers(out["answer_logits"], TOP_K)):
            reference = {a.lower() for a in question.answers}
            names = [answers[i].lower() for i in top]
            em1.add(question.kind, float(names[0] in reference))
            em10.add(question.kind, float(any(n in reference for n in names)))
    return {"em1": em1.table(), "em10": em10.table()}


@torch.no_grad()
def evaluate_retrieval(encoder, cfg: M.SceneEncoderConfig, scenes: List[SynthScene],
                       prompt_embedding) -> Dict[str, float]:
    """R@1 and R@5 as defined above; prompt_embedding(text) -> [E] tensor."""
    hits = {1: [], 5: []}
    for scene in scenes:
        out = encoder(scene_points(scene, cfg))
        probability = torch.sigmoid(out["objectness"][0])
        candidates = []
        for k in range(probability.shape[0]):
            if float(probability[k]) <= OBJECTNESS_THRESHOLD:
                continue
            label, iou = match_ground_truth(out["object_boxes"][0, k].numpy(), scene)
            if label is not None and iou >= IOU_THRESHOLD:
                candidates.append((k, label))
        embeddings = out["object_embeddings"][0]
        for label in sorted({o.label for o in scene.furniture()}):
            query = prompt_embedding(retrieval_prompt(label))
            scores = [float(embeddings[k] @ query) for k, _ in candidates]
            order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
            ranked = [candidates[i][1] for i in order]
            for k in hits:
                hits[k].append(float(label in ranked[:k]))
    return {"r1": float(np.mean(hits[1])) if hits[1] else 0.0,
            "r5": float(np.mean(hits[5])) if hits[5] else 0.0, "queries": len(hits[1])}
