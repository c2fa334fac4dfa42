"""train-demo: trains the demo bundles (demo-clip, scene-encoder, qa, sqa) on synthetic datasets,
trains the ablation (scene encoder without the CLIP alignment, then qa / sqa from it), evaluates
both on the held-out test scenes, exports the bundles and, given the demo slice, writes the
metrics the C++ runtime test re-computes (slice-metrics.json).
"""
import json
import multiprocessing
import os
import tempfile
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
from PIL import Image

from . import evaluate as V
from . import export as X
from . import models as M
from . import train as T
from .captions import object_captions, render_caption, retrieval_prompt, scene_caption, \
    seen_objects
from .synthdata import SynthDataset, SynthScene, load_datasets
from .tokenizers import WordTokenizer

CONFIG = "demo"
IMAGE_SIZE = 224
CROPS_PER_VIEW = 3
SAMPLES_PER_SCENE = 6
# Questions per scene and step (a seeded subset): the fusion transformer's cost grows with them.
QUESTIONS_PER_SCENE = {"qa": 12, "sqa": 8}


@dataclass
class Schedule:
    """Epochs per stage: the whole run (ablation included) fits 30 minutes on 2 CPU cores."""
    clip: int = 3
    encoder: int = 30
    qa: int = 15
    sqa: int = 6


@dataclass
class Trained:
    clip: M.ClipDualEncoder
    encoder: M.SceneEncoder
    qa: M.QaModel
    sqa: M.QaModel


# ------------------------------------------------------------------------------- vocabularies


def build_vocab(dataset: SynthDataset, scenes: List[SynthScene]) -> List[str]:
    """Words of the training captions, questions and situations, plus every class's prompt."""
    texts = [scene_caption(s) for s in scenes]
    texts += [c for s in scenes for o in s.furniture() for c in object_captions(o)]
    texts += [f"a {o.colour} {o.label} and a {o.label} in a {s.scene_type}"
              for s in scenes for o in s.furniture() if o.colour]
    texts += [retrieval_prompt(c) for c in M.SYNTH_CLASSES]
    for split in ("train", "val"):
        texts += [q.question + " " + q.situation for q in dataset.scanqa[split] + dataset.sqa[split]]
    vocab = ["<pad>", "<unk>"]
    seen = set(vocab)
    for text in texts:
        for w in X.word_tokens(text):
            if w not in seen:
                seen.add(w)
                vocab.append(w)
    return vocab


def answer_vocab(questions) -> List[str]:
    counts: Dict[str, int] = {}
    for q in questions:
        counts[q.answers[0]] = counts.get(q.answers[0], 0) + 1
    return sorted(counts, key=lambda a: (-counts[a], a))


# -------------------------------------------------------------------------------- image data


def _resized(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB").resize((IMAGE_SIZE, IMAGE_SIZE), Image.BICUBIC)
                      ).transpose(2, 0, 1)


def image_caption_set(scenes: List[SynthScene]) -> T.ImageCaptionSet:
    """Each render with its caption, and up to CROPS_PER_VIEW crops of the objects it sees with
    theirs."""
    images, captions = [], []
    for scene in scenes:
        for view in scene.views:
            image = Image.open(view.image_path)
            seen = seen_objects(scene, view, image.size)
            images.append(_resized(image))
            captions.append([render_caption(scene, seen)])
            for s in seen[:CROPS_PER_VIEW]:
                images.append(_resized(image.crop(s.crop)))
                captions.append(object_captions(s.obj))
    return T.ImageCaptionSet(torch.from_numpy(np.stack(images)), captions)


@torch.no_grad()
def scene_image_targets(clip: M.ClipDualEncoder, scenes: List[SynthScene]
                        ) -> Dict[Tuple[str, str], torch.Tensor]:
    out = {}
    for scene in scenes:
        if scene.views:
            images = np.stack([_resized(Image.open(v.image_path)) for v in scene.views])
            emb = clip.encode_image(T.normalise_images(torch.from_numpy(images)))
            out[scene.key] = emb.mean(0)
    return out


# ---------------------------------------------------------------------------------- training


def _qa_model(encoder: M.SceneEncoder, vocab: List[str], answers: List[str], situated: bool
              ) -> Tuple[M.QaModel, M.QaConfig]:
    cfg = M.qa_config(CONFIG, situated=situated, vocab_size=len(vocab), num_answers=len(answers))
    model = M.QaModel(cfg)
    model.scene.load_state_dict(encoder.state_dict())
    return model, cfg


@dataclass
class BranchInputs:
    """What both branches (aligned, ablation) share; set before forking so nothing is pickled."""
    dataset: SynthDataset
    scenes: List[SynthScene]
    vocab: List[str]
    tokenizer: WordTokenizer
    answers: Dict[str, List[str]]
    schedule: Schedule
    clip: M.ClipDualEncoder
    align: T.AlignmentTargets
    cache: Dict
    log_path: str


_BRANCH: Optional[BranchInputs] = None


def train_branch(name: str, seed: int) -> Tuple[Dict, Dict]:
    """Scene encoder (aligned to the CLIP space, or detection only for the ablation), then qa and
    sqa fine-tuned from it, evaluated on the test split. -> (state dicts, metrics)."""
    torch.set_num_threads(1)
    b = _BRANCH
    log = T.Log(b.log_path, "a", bar=name == "aligned")
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    cfg = M.scene_config(CONFIG)
    keys = {s.key for s in b.scenes}
    questions = {kind: [q for q in qs["train"] + qs["val"] if q.scene_key in keys]
                 for kind, qs in (("qa", b.dataset.scanqa), ("sqa", b.dataset.sqa))}
    encoder = M.SceneEncoder(cfg)
    align = b.align if name == "aligned" else None
    T.timed(log, f"stage scene-encoder ({name})", lambda: T.train_scene_encoder(
        encoder, b.scenes, b.cache, cfg.classes, align, b.schedule.encoder, 8, 2e-3, g, log,
        f"scene-encoder {name}"))
    heads = {}
    for kind, epochs in (("qa", b.schedule.qa), ("sqa", b.schedule.sqa)):
        model, qcfg = _qa_model(encoder, b.vocab, b.answers[kind], kind == "sqa")
        T.timed(log, f"stage {kind} ({name})", lambda: T.train_qa(
            model, b.scenes, questions[kind], b.cache, cfg.classes, b.tokenizer, qcfg,
            b.answers[kind], epochs, 8, 1e-3, g, log, f"{kind} {name}",
            QUESTIONS_PER_SCENE[kind]))
        heads[kind] = model
    trained = Trained(b.clip, encoder, heads["qa"], heads["sqa"])
    metrics = T.timed(log, f"evaluate {name}", lambda: evaluate_models(
        trained, b.dataset, "test", b.tokenizer, b.answers))
    states = {"encoder": encoder.state_dict(), "qa": heads["qa"].state_dict(),
              "sqa": heads["sqa"].state_dict()}
    return states, metrics


def train_all(inputs: BranchInputs, seed: int) -> Dict[str, Tuple[Dict, Dict]]:
    """Runs the aligned and the ablation branch in two processes, one core each."""
    global _BRANCH
    _BRANCH = inputs
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.starmap(train_branch, [("aligned", seed + 1), ("ablation", seed + 2)])
    _BRANCH = None
    return {"aligned": results[0], "ablation": results[1]}


def train_clip_stage(scenes: List[SynthScene], vocab: List[str], tokenizer: WordTokenizer,
                     schedule: Schedule, seed: int, log: T.Log
                     ) -> Tuple[M.ClipDualEncoder, T.AlignmentTargets]:
    """demo-clip, then the frozen embeddings the scene encoder is aligned to."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    clip = M.ClipDualEncoder(M.clip_config(CONFIG, "word", vocab_size=len(vocab)))
    images = T.timed(log, "image/caption set", lambda: image_caption_set(scenes))
    log.line(f"demo-clip: {images.images.shape[0]} images (renders + object crops)")
    T.timed(log, "stage demo-clip", lambda: T.train_clip(clip, images, tokenizer, schedule.clip,
                                                         64, 2e-3, g, log))
    texts = [scene_caption(s) for s in scenes] + [retrieval_prompt(c) for c in M.SYNTH_CLASSES]
    texts += [c for s in scenes for c in T.scene_targets(s, M.SYNTH_CLASSES).descriptions.values()]
    align = T.AlignmentTargets(T.embed_texts(clip, tokenizer, texts),
                               scene_image_targets(clip, scenes))
    return clip, align


# -------------------------------------------------------------------------------- evaluation


def _restore(clip: M.ClipDualEncoder, vocab: List[str], answers: Dict[str, List[str]],
             states: Dict) -> Trained:
    encoder = M.SceneEncoder(M.scene_config(CONFIG))
    encoder.load_state_dict(states["encoder"])
    heads = {}
    for kind in ("qa", "sqa"):
        model, _ = _qa_model(encoder, vocab, answers[kind], kind == "sqa")
        model.load_state_dict(states[kind])
        heads[kind] = model.eval()
    return Trained(clip, encoder.eval(), heads["qa"], heads["sqa"])


def clip_prompt_embedding(clip, tokenizer: WordTokenizer):
    cache: Dict[str, torch.Tensor] = {}

    def embed(text: str) -> torch.Tensor:
        if text not in cache:
            with torch.no_grad():
                cache[text] = clip.encode_text(T.tokenize(tokenizer, [text]))[0]
        return cache[text]
    return embed


def evaluate_models(trained: Trained, dataset: SynthDataset, split: str,
                    tokenizer: WordTokenizer, answers: Dict[str, List[str]]) -> Dict:
    scenes = dataset.split_scenes(split)
    cfg = M.scene_config(CONFIG)
    qa_cfg = M.qa_config(CONFIG)
    return {
        "qa": V.evaluate_qa(trained.qa, qa_cfg, dataset.scenes, dataset.scanqa[split], tokenizer,
                            answers["qa"]),
        "sqa": V.evaluate_qa(trained.sqa, qa_cfg, dataset.scenes, dataset.sqa[split], tokenizer,
                             answers["sqa"]),
        "retrieval": V.evaluate_retrieval(trained.encoder, cfg, scenes,
                                          clip_prompt_embedding(trained.clip, tokenizer)),
    }


def metrics_lines(title: str, metrics: Dict) -> List[str]:
    lines = [title]
    qa = metrics["qa"]
    for kind in sorted(qa["em1"]):
        lines.append(f"  qa {kind:16s} EM@1 {qa['em1'][kind]['value']:.3f} "
                     f"EM@10 {qa['em10'][kind]['value']:.3f} (n={qa['em1'][kind]['count']})")
    sqa = metrics["sqa"]["em1"]
    for kind in sorted(sqa):
        lines.append(f"  sqa {kind:15s} acc {sqa[kind]['value']:.3f} (n={sqa[kind]['count']})")
    r = metrics["retrieval"]
    lines.append(f"  retrieval R@1 {r['r1']:.3f} R@5 {r['r5']:.3f} (queries={r['queries']})")
    return lines


# ---------------------------------------------------------------------------------- export


def export_bundles(trained: Trained, out: str, vocab: List[str], answers: Dict[str, List[str]],
                   seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        def saved(module, name):
            path = os.path.join(tmp, name + ".pt")
            torch.save(module.state_dict(), path)
            return path
        X.export_clip(os.path.join(out, "demo-clip"), CONFIG, seed, "demo-clip", vocab=vocab,
                      checkpoint=saved(trained.clip, "clip"), reference_batch=1)
        X.export_scene_encoder(os.path.join(out, "scene-encoder"), CONFIG, seed,
                               "demo-scene-encoder", checkpoint=saved(trained.encoder, "enc"),
                               reference_batch=1)
        for kind, model in (("qa", trained.qa), ("sqa", trained.sqa)):
            X.export_qa(os.path.join(out, kind), CONFIG, seed, kind == "sqa", f"demo-{kind}",
                        vocab=vocab, answers=answers[kind],
                        checkpoint=saved(model, kind), reference_batch=1)


def read_answers(bundle: str) -> List[str]:
    with open(os.path.join(bundle, "answer_vocab.json"), encoding="utf-8") as f:
        return json.load(f)


def evaluate_slice(bundles: str, data: str) -> Dict:
    """The slice metrics from the exported bundles' scripted modules, as the C++ test computes
    them."""
    dataset = load_datasets([data], splits=("test",))
    def load(name: str):
        return torch.jit.load(os.path.join(bundles, name, "model.pt"), map_location="cpu")
    clip, encoder, qa, sqa = (load(n) for n in ("demo-clip", "scene-encoder", "qa", "sqa"))
    tokenizer = WordTokenizer(os.path.join(bundles, "demo-clip", "vocab.json"),
                              M.CLIP_CONTEXT_LENGTH)
    qa_tokenizer = WordTokenizer(os.path.join(bundles, "qa", "vocab.json"),
                                 M.qa_config(CONFIG).context_length)
    qa_cfg = M.qa_config(CONFIG)
    qa_m = V.evaluate_qa(qa, qa_cfg, dataset.scenes, dataset.scanqa["test"], qa_tokenizer,
                         read_answers(os.path.join(bundles, "qa")))
    sqa_m = V.evaluate_qa(sqa, qa_cfg, dataset.scenes, dataset.sqa["test"], qa_tokenizer,
                          read_answers(os.path.join(bundles, "sqa")))
    ret = V.evaluate_retrieval(encoder, M.scene_config(CONFIG), dataset.split_scenes("test"),
                               clip_prompt_embedding(clip, tokenizer))
    return {
        "qa_em1": round(qa_m["em1"]["overall"]["value"], 6),
        "qa_em10": round(qa_m["em10"]["overall"]["value"], 6),
        "qa_questions": qa_m["em1"]["overall"]["count"],
        "sqa_acc": round(sqa_m["em1"]["overall"]["value"], 6),
        "sqa_questions": sqa_m["em1"]["overall"]["count"],
        "retrieval_r1": round(ret["r1"], 6),
        "retrieval_r5": round(ret["r5"], 6),
        "retrieval_queries": ret["queries"],
        "definition": {
            "data": "scenelens synth --scenes 24 --seed 1, test split (meta/scannetv2_test.txt)",
            "questions": "questions/ScanQA_v1.0_test.json and SQA3D test files of those scenes",
            "sample_seed": V.SAMPLE_SEED,
            "em": "top-k answers (softmax, ties to the lower index) contain a reference answer, "
                  "case-insensitive; qa_em10 uses k = 10",
            "sqa_situation": "the annotation's situation text",
            "retrieval_prompt": retrieval_prompt("{label}"),
            "retrieval_labels": "raw labels of the scene's objects except floor and wall",
            "objectness_threshold": V.OBJECTNESS_THRESHOLD,
            "iou_threshold": V.IOU_THRESHOLD,
            "retrieval_hit": "an object of the queried label among the top k candidates by "
                             "cosine; candidates = tokens with objectness > threshold matched "
                             "to an annotated object (any label) with IoU >= threshold",
        },
    }


# ------------------------------------------------------------------------------------ main


def train_demo(data: List[str], out: str, seed: int = 0, schedule: Optional[Schedule] = None,
               slice_data: Optional[str] = None) -> Dict:
    schedule = schedule or Schedule()
    # One intra-op thread per process: the two branches run in parallel on the 2 cores, and on a
    # busy machine two threads per process were several times slower than one.
    torch.set_num_threads(1)
    os.makedirs(out, exist_ok=True)
    log = T.Log(os.path.join(out, "train-log.txt"))
    start = time.time()
    log.line(f"train-demo: data {data}, seed {seed}, schedule {schedule}")
    dataset = T.timed(log, "reading data", lambda: load_datasets(
        data, progress=lambda i, n: log.progress("reading scenes", i, n, {})))
    scenes = dataset.split_scenes("train") + dataset.split_scenes("val")
    log.line(f"{len(scenes)} training scenes (train + val), "
             f"{len(dataset.split_scenes('test'))} test scenes")
    vocab = build_vocab(dataset, scenes)
    answers = {"qa": answer_vocab(dataset.scanqa["train"] + dataset.scanqa["val"]),
               "sqa": answer_vocab(dataset.sqa["train"] + dataset.sqa["val"])}
    log.line(f"vocabulary {len(vocab)} words, answers qa {len(answers['qa'])}, "
             f"sqa {len(answers['sqa'])}")
    with tempfile.TemporaryDirectory() as tmp:
        vocab_path = os.path.join(tmp, "vocab.json")
        with open(vocab_path, "w", encoding="utf-8") as f:
            json.dump(vocab, f)
        tokenizer = WordTokenizer(vocab_path, M.CLIP_CONTEXT_LENGTH)
    clip, align = train_clip_stage(scenes, vocab, tokenizer, schedule, seed, log)
    cfg = M.scene_config(CONFIG)
    cache = T.timed(log, "point samples", lambda: {
        s.key: T.sample_scene(s, cfg, range(1, SAMPLES_PER_SCENE + 1)) for s in scenes})
    branches = train_all(BranchInputs(dataset, scenes, vocab, tokenizer, answers, schedule, clip,
                                      align, cache, log.file.name), seed)
    log.resume()
    log.line(f"training and test evaluation time {time.time() - start:.0f} s")
    metrics = {"seconds_to_trained": round(time.time() - start)}
    for name, (_, branch_metrics) in branches.items():
        metrics[name] = branch_metrics
        for line in metrics_lines(f"test split, {name}:", branch_metrics):
            log.line(line)
    aligned = _restore(clip, vocab, answers, branches["aligned"][0])
    T.timed(log, "export", lambda: export_bundles(aligned, out, vocab, answers, seed))
    if slice_data:
        metrics["slice"] = T.timed(log, "evaluate slice", lambda: evaluate_slice(out, slice_data))
        with open(os.path.join(out, "slice-metrics.json"), "w", encoding="utf-8") as f:
            json.dump(metrics["slice"], f, indent=2)
            f.write("\n")
        log.line("slice: " + json.dumps({k: v for k, v in metrics["slice"].items()
                                         if k != "definition"}))
    with open(os.path.join(out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=1)
        f.write("\n")
    log.line(f"total time {time.time() - start:.0f} s")
    return metrics
