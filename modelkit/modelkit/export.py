"""TorchScript bundle export (format "scenelens-bundle/1", see docs/model-bundles.md).

A bundle folder holds bundle.json, model.pt and the vocabulary / answer files it names, plus an
optional reference/ folder with a fixed seeded input and the scripted module's outputs as .npy
files so the C++ runtime can check that it reproduces them (within 1e-5).
"""
import json
import os
import re
import shutil
import warnings
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
from torch import Tensor, nn

from . import models as M

FORMAT = "scenelens-bundle/1"
CLIP_SOT = 49406
CLIP_EOT = 49407
CLIP_IMAGE_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_IMAGE_STD = [0.26862954, 0.26130258, 0.27577711]
TOLERANCE = 1e-5

# Words of the built-in word vocabulary (after "<pad>", "<unk>"): enough for simple ScanQA-style
# questions about the ScanNet-18 classes in tests and random-weight bundles.
_BASE_WORDS = (
    "what is the of a an in on at to from by with near next behind front left right above below "
    "under color colour shape how many where which who there are this that it its my me i am "
    "facing sitting standing can see room wall floor object kind type size big small large "
    "? , . ' - / white black brown gray grey red blue green yellow orange purple pink beige "
    "wooden round square rectangular 0 1 2 3 4 5 yes no").split()
_ANSWER_WORDS = [
    "yes", "no", "white", "black", "brown", "gray", "red", "blue", "green", "yellow", "wooden",
    "round", "square", "rectangular", "left", "right", "0", "1", "2", "3", "4", "5",
]


def word_tokens(text: str) -> List[str]:
    """The shared word tokenizer spec: maximal runs of Unicode letters/digits, or single
    non-space non-alphanumeric characters, of the lower-cased text."""
    return re.findall(r"[^\W_]+|[^\s]", text.lower())


def default_word_vocab(classes: List[str]) -> List[str]:
    vocab = ["<pad>", "<unk>"]
    for w in _BASE_WORDS + [t for c in classes for t in word_tokens(c)]:
        if w not in vocab:
            vocab.append(w)
    return vocab


def default_answers(classes: List[str], count: Optional[int] = None) -> List[str]:
    answers: List[str] = []
    for a in list(classes) + _ANSWER_WORDS:
        if a not in answers:
            answers.append(a)
    if count is not None:
        answers = answers[:count] + [f"answer_{i}" for i in range(len(answers), count)]
    return answers


# ------------------------------------------------------------------------------- reference inputs


def reference_points(cfg: M.SceneEncoderConfig, batch: int, seed: int) -> Tensor:
    """A seeded synthetic room (5 x 4 x 2.5 m) normalised as the runtime does -> [B, N, C]."""
    g = torch.Generator().manual_seed(seed)
    out = []
    n = cfg.num_points
    for _ in range(batch):
        xyz = torch.rand(n, 3, generator=g) * torch.tensor([5.0, 4.0, 2.5])
        rgb = torch.randint(0, 256, (n, 3), generator=g).float()
        normals = torch.nn.functional.normalize(torch.randn(n, 3, generator=g), dim=-1)
        out.append(M.normalise_points(xyz, rgb, cfg.channels, cfg.rgb_mean, cfg.rgb_scale, normals))
    return torch.stack(out).contiguous()


def reference_word_tokens(batch: int, length: int, vocab_size: int, lengths: List[int],
                          g: torch.Generator) -> Tuple[Tensor, Tensor]:
    tokens = torch.zeros(batch, length, dtype=torch.long)
    for b in range(batch):
        k = min(lengths[b % len(lengths)], length)
        tokens[b, :k] = torch.randint(2, vocab_size, (k,), generator=g)
    return tokens, tokens != 0


def reference_bpe_tokens(batch: int, lengths: List[int], g: torch.Generator) -> Tensor:
    tokens = torch.zeros(batch, M.CLIP_CONTEXT_LENGTH, dtype=torch.long)
    for b in range(batch):
        k = lengths[b % len(lengths)]
        tokens[b, 0] = CLIP_SOT
        tokens[b, 1:k + 1] = torch.randint(256, CLIP_SOT, (k,), generator=g)
        tokens[b, k + 1] = CLIP_EOT
    return tokens


# ------------------------------------------------------------------------------- bundle writing


def script(module: nn.Module) -> torch.jit.ScriptModule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return torch.jit.script(module.eval())


def _max_diff(a: Dict[str, Tensor], b: Dict[str, Tensor]) -> float:
    if set(a) != set(b):
        raise RuntimeError(f"scripted output keys {sorted(b)} differ from eager {sorted(a)}")
    return max(float((a[k].double() - b[k].double()).abs().max()) for k in a)


def run_module(module, kind: str, inputs: Dict[str, Tensor]) -> Dict[str, Tensor]:
    """Runs a bundle module on named inputs and returns named outputs (clip: both methods)."""
    with torch.no_grad():
        if kind == "scene-encoder":
            return dict(module(inputs["points"]))
        if kind == "qa":
            return dict(module(inputs["points"], inputs["question_tokens"], inputs["question_mask"],
                               inputs["situation_tokens"], inputs["situation_mask"]))
        if kind == "clip":
            return {"encode_text": module.encode_text(inputs["tokens"]),
                    "encode_image": module.encode_image(inputs["images"])}
    raise ValueError(f"unknown kind '{kind}'")


def save_module(module: nn.Module, path: str) -> torch.jit.ScriptModule:
    scripted = script(module)
    torch.jit.save(scripted, path)
    return scripted


def write_bundle(out_dir: str, manifest: Dict, module: nn.Module,
                 inputs: Optional[Dict[str, Tensor]] = None,
                 files: Optional[Dict[str, object]] = None) -> float:
    """Writes bundle.json, model.pt and the JSON files in `files` into out_dir. With inputs, checks
    that the reloaded scripted module reproduces the eager one and writes reference/*.npy.
    Returns the largest |scripted - eager| difference (0 when no inputs)."""
    os.makedirs(out_dir, exist_ok=True)
    module.eval()
    model_path = os.path.join(out_dir, manifest["module"])
    save_module(module, model_path)
    for name, content in (files or {}).items():
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            json.dump(content, f, ensure_ascii=False, indent=0)
            f.write("\n")
    with open(os.path.join(out_dir, "bundle.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    if inputs is None:
        return 0.0
    loaded = torch.jit.load(model_path, map_location="cpu")
    eager = run_module(module, manifest["kind"], inputs)
    scripted = run_module(loaded, manifest["kind"], inputs)
    diff = _max_diff(eager, scripted)
    if not diff <= TOLERANCE:
        raise RuntimeError(f"{out_dir}: scripted module differs from eager by {diff}")
    ref = os.path.join(out_dir, "reference")
    os.makedirs(ref, exist_ok=True)
    for name, t in inputs.items():
        np.save(os.path.join(ref, name + ".npy"), t.numpy())
    for name, t in scripted.items():
        np.save(os.path.join(ref, "out_" + name + ".npy"), t.numpy())
    return diff


def _base_manifest(kind: str, name: str, space: str, dim: int) -> Dict:
    return {"format": FORMAT, "kind": kind, "name": name, "module": "model.pt", "device": "auto",
            "embedding_space": space, "embedding_dim": dim}


def _input_manifest(cfg: M.SceneEncoderConfig) -> Dict:
    return {"num_points": cfg.num_points, "channels": list(cfg.channels),
            "rgb_normalization": {"mean": list(cfg.rgb_mean), "scale": cfg.rgb_scale}}


def _tokenizer_manifest(kind: str, vocab: str, context_length: int) -> Dict:
    return {"type": kind, "vocab": vocab, "context_length": context_length}


def _info(config: str, seed: int, module: nn.Module) -> Dict:
    return {"config": config, "seed": seed, "parameters": M.parameter_count(module),
            "torch": torch.__version__}


def _load_checkpoint(module: nn.Module, checkpoint: Optional[str]) -> None:
    if checkpoint:
        state = torch.load(checkpoint, map_location="cpu")
        if isinstance(state, dict) and "model" in state:
            state = state["model"]
        module.load_state_dict(state)


# -------------------------------------------------------------------------------- exporters


def export_scene_encoder(out_dir: str, config: str = "tiny", seed: int = 0, name: str = "",
                         checkpoint: Optional[str] = None, reference_batch: int = 2,
                         reference: bool = True) -> Dict:
    cfg = M.scene_config(config)
    torch.manual_seed(seed)
    model = M.SceneEncoder(cfg)
    _load_checkpoint(model, checkpoint)
    manifest = _base_manifest("scene-encoder", name or f"{config}-scene-encoder",
                              cfg.embedding_space, cfg.embed_dim)
    manifest["input"] = _input_manifest(cfg)
    manifest["classes"] = list(cfg.classes)
    manifest["num_objects"] = cfg.num_objects
    manifest["feature_dim"] = cfg.feature_dim
    manifest["modelkit"] = _info(config, seed, model)
    inputs = {"points": reference_points(cfg, reference_batch, seed + 1000)} if reference else None
    write_bundle(out_dir, manifest, model, inputs)
    return manifest


def export_qa(out_dir: str, config: str = "tiny", seed: int = 0, situated: bool = False,
              name: str = "", tokenizer: str = "word", vocab: Optional[List[str]] = None,
              clip_vocab: Optional[str] = None, copy_vocab: bool = False,
              answers: Optional[List[str]] = None, checkpoint: Optional[str] = None,
              reference_batch: int = 2, reference: bool = True) -> Dict:
    scene = M.scene_config(config)
    files: Dict[str, object] = {}
    if tokenizer == "word":
        vocab = vocab or default_word_vocab(scene.classes)
        vocab_size = len(vocab)
        files["vocab.json"] = vocab
        vocab_ref = "vocab.json"
    elif tokenizer == "clip-bpe":
        if not clip_vocab:
            raise ValueError("a clip-bpe tokenizer needs --clip-vocab PATH")
        vocab_size = M.CLIP_BPE_VOCAB_SIZE
        vocab_ref = _clip_vocab_ref(out_dir, clip_vocab, copy_vocab)
    else:
        raise ValueError(f"unknown tokenizer '{tokenizer}'")
    answers = answers or default_answers(scene.classes, M.qa_config(config).num_answers)
    cfg = M.qa_config(config, situated=situated, vocab_size=vocab_size, num_answers=len(answers))
    if tokenizer == "clip-bpe":
        cfg.context_length = cfg.situation_length = M.CLIP_CONTEXT_LENGTH
    cfg.tokenizer = tokenizer
    files["answer_vocab.json"] = answers
    torch.manual_seed(seed)
    model = M.QaModel(cfg)
    _load_checkpoint(model, checkpoint)
    kind_name = "sqa" if situated else "qa"
    manifest = _base_manifest("qa", name or f"{config}-{kind_name}", scene.embedding_space,
                              scene.embed_dim)
    manifest["input"] = _input_manifest(scene)
    manifest["tokenizer"] = _tokenizer_manifest(tokenizer, vocab_ref, cfg.context_length)
    manifest["situation_length"] = cfg.situation_length
    manifest["answers"] = "answer_vocab.json"
    manifest["situated"] = situated
    manifest["classes"] = list(scene.classes)
    manifest["num_objects"] = scene.num_objects
    manifest["modelkit"] = _info(config, seed, model)
    inputs = None
    if reference:
        g = torch.Generator().manual_seed(seed + 2000)
        b = reference_batch
        if tokenizer == "word":
            qt, qm = reference_word_tokens(b, cfg.context_length, vocab_size, [7, 4], g)
        else:
            qt = reference_bpe_tokens(b, [7, 4], g)
            qm = qt != 0
        if situated:
            if tokenizer == "word":
                st, sm = reference_word_tokens(b, cfg.situation_length, vocab_size, [9, 5], g)
            else:
                st = reference_bpe_tokens(b, [9, 5], g)
                sm = st != 0
        else:
            st = torch.zeros(b, cfg.situation_length, dtype=torch.long)
            sm = torch.zeros(b, cfg.situation_length, dtype=torch.bool)
        inputs = {"points": reference_points(scene, b, seed + 1000), "question_tokens": qt,
                  "question_mask": qm, "situation_tokens": st, "situation_mask": sm}
    write_bundle(out_dir, manifest, model, inputs, files)
    return manifest


def _clip_vocab_ref(out_dir: str, clip_vocab: str, copy_vocab: bool) -> str:
    if not os.path.isfile(clip_vocab):
        raise FileNotFoundError(f"CLIP BPE vocabulary not found: {clip_vocab}")
    if copy_vocab:
        os.makedirs(out_dir, exist_ok=True)
        base = os.path.basename(clip_vocab)
        shutil.copyfile(clip_vocab, os.path.join(out_dir, base))
        return base
    return os.path.abspath(clip_vocab)


def export_clip(out_dir: str, config: str = "tiny", seed: int = 0, name: str = "",
                tokenizer: str = "word", vocab: Optional[List[str]] = None,
                clip_vocab: Optional[str] = None, copy_vocab: bool = False,
                checkpoint: Optional[str] = None, reference_batch: int = 2,
                reference: bool = True) -> Dict:
    files: Dict[str, object] = {}
    if tokenizer == "word":
        vocab = vocab or default_word_vocab(M.SCANNET18_CLASSES)
        files["vocab.json"] = vocab
        cfg = M.clip_config(config, "word", vocab_size=len(vocab))
        vocab_ref = "vocab.json"
    elif tokenizer == "clip-bpe":
        if not clip_vocab:
            raise ValueError("a clip-bpe tokenizer needs --clip-vocab PATH")
        cfg = M.clip_config(config, "clip-bpe")
        vocab_ref = _clip_vocab_ref(out_dir, clip_vocab, copy_vocab)
    else:
        raise ValueError(f"unknown tokenizer '{tokenizer}'")
    torch.manual_seed(seed)
    model = M.ClipDualEncoder(cfg)
    _load_checkpoint(model, checkpoint)
    manifest = _base_manifest("clip", name or f"{config}-clip-{tokenizer}", cfg.embedding_space,
                              cfg.embed_dim)
    manifest["tokenizer"] = _tokenizer_manifest(tokenizer, vocab_ref, cfg.context_length)
    manifest["image"] = {"size": cfg.image_size, "mean": CLIP_IMAGE_MEAN, "std": CLIP_IMAGE_STD}
    manifest["modelkit"] = _info(config, seed, model)
    inputs = None
    if reference:
        g = torch.Generator().manual_seed(seed + 3000)
        b = reference_batch
        if tokenizer == "word":
            tokens, _ = reference_word_tokens(b, cfg.context_length, cfg.vocab_size, [6, 3], g)
        else:
            tokens = reference_bpe_tokens(b, [6, 3], g)
        images = torch.randn(b, 3, cfg.image_size, cfg.image_size, generator=g)
        inputs = {"tokens": tokens, "images": images}
    write_bundle(out_dir, manifest, model, inputs, files)
    return manifest


# ---------------------------------------------------------------------------- broken bundles


class BoxCornersSceneEncoder(nn.Module):
    """A scene encoder whose object_boxes are corners [B,K,8,3] instead of [B,K,6] (broken)."""

    def __init__(self, inner: M.SceneEncoder):
        super().__init__()
        self.inner = inner
        signs = torch.tensor([[x, y, z] for x in (-0.5, 0.5) for y in (-0.5, 0.5)
                              for z in (-0.5, 0.5)])
        self.register_buffer("signs", signs, persistent=False)

    def forward(self, points: Tensor) -> Dict[str, Tensor]:
        out = self.inner(points)
        boxes = out["object_boxes"]
        centre = boxes[:, :, None, :3]
        size = boxes[:, :, None, 3:]
        out["object_boxes"] = centre + size * self.signs
        return out


class TextOnlyClip(nn.Module):
    """A 'clip' module with encode_text but without encode_image (broken)."""

    def __init__(self, inner: M.ClipDualEncoder):
        super().__init__()
        self.inner = inner

    @torch.jit.export
    def encode_text(self, tokens: Tensor) -> Tensor:
        return self.inner.encode_text(tokens)

    def forward(self, tokens: Tensor) -> Tensor:
        return self.encode_text(tokens)


def export_broken(out_dir: str, seed: int, scene_model_pt: str, scene_manifest: Dict) -> None:
    """Bundles the C++ error tests must reject, each with a precise message."""
    cfg = M.scene_config("tiny")
    torch.manual_seed(seed)
    d = os.path.join(out_dir, "wrong-shape")
    os.makedirs(d, exist_ok=True)
    manifest = dict(scene_manifest, name="broken-wrong-shape")
    write_bundle(d, manifest, BoxCornersSceneEncoder(M.SceneEncoder(cfg)))

    d = os.path.join(out_dir, "missing-method")
    os.makedirs(d, exist_ok=True)
    vocab = default_word_vocab(M.SCANNET18_CLASSES)
    clip = M.ClipDualEncoder(M.clip_config("tiny", "word", vocab_size=len(vocab)))
    manifest = _base_manifest("clip", "broken-missing-method", "tiny-test", clip.text_projection
                              .out_features)
    manifest["tokenizer"] = _tokenizer_manifest("word", "vocab.json", M.CLIP_CONTEXT_LENGTH)
    write_bundle(d, manifest, TextOnlyClip(clip), files={"vocab.json": vocab})

    text = json.dumps(dict(scene_manifest, name="broken-bad-json"), indent=2)
    d = os.path.join(out_dir, "bad-json")
    os.makedirs(d, exist_ok=True)
    shutil.copyfile(scene_model_pt, os.path.join(d, "model.pt"))
    with open(os.path.join(d, "bundle.json"), "w") as f:
        f.write(text[:len(text) // 2])

    d = os.path.join(out_dir, "missing-module")
    os.makedirs(d, exist_ok=True)
    if os.path.exists(os.path.join(d, "model.pt")):
        os.remove(os.path.join(d, "model.pt"))
    with open(os.path.join(d, "bundle.json"), "w") as f:
        json.dump(dict(scene_manifest, name="broken-missing-module"), f, indent=2)

    d = os.path.join(out_dir, "missing-key")
    os.makedirs(d, exist_ok=True)
    shutil.copyfile(scene_model_pt, os.path.join(d, "model.pt"))
    manifest = dict(scene_manifest, name="broken-missing-key")
    del manifest["kind"]
    with open(os.path.join(d, "bundle.json"), "w") as f:
        json.dump(manifest, f, indent=2)


def export_tiny(out_dir: str, seed: int = 0, clip_vocab: Optional[str] = None) -> Dict[str, Dict]:
    """All tiny random-weight test bundles (+ reference outputs) and the broken bundles."""
    out: Dict[str, Dict] = {}
    d = os.path.join(out_dir, "scene-encoder")
    out["scene-encoder"] = export_scene_encoder(d, "tiny", seed, "tiny-scene-encoder")
    out["qa"] = export_qa(os.path.join(out_dir, "qa"), "tiny", seed + 1, False, "tiny-qa")
    out["sqa"] = export_qa(os.path.join(out_dir, "sqa"), "tiny", seed + 2, True, "tiny-sqa")
    out["clip"] = export_clip(os.path.join(out_dir, "clip"), "tiny", seed + 3, "tiny-clip")
    if clip_vocab:
        out["clip-bpe"] = export_clip(os.path.join(out_dir, "clip-bpe"), "tiny", seed + 4,
                                      "tiny-clip-bpe", tokenizer="clip-bpe", clip_vocab=clip_vocab)
    export_broken(os.path.join(out_dir, "broken"), seed + 5, os.path.join(d, "model.pt"),
                  out["scene-encoder"])
    return out


def bundle_info(bundle_dir: str) -> str:
    """Manifest, methods and parameter count of a bundle, as text."""
    with open(os.path.join(bundle_dir, "bundle.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    lines = [json.dumps(manifest, indent=2)]
    module_path = manifest.get("module", "model.pt")
    if not os.path.isabs(module_path):
        module_path = os.path.join(bundle_dir, module_path)
    module = torch.jit.load(module_path, map_location="cpu")
    methods = [m for m in ("forward", "encode_text", "encode_image") if hasattr(module, m)]
    count = sum(p.numel() for p in module.parameters())
    lines.append(f"module: {module_path}")
    lines.append(f"methods: {', '.join(methods)}")
    lines.append(f"parameters: {count}")
    return "\n".join(lines)
