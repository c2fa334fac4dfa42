"""Reads the synthetic datasets that `scenelens synth` writes (ScanNet scene folders, ScanQA and
SQA3D question files, multi-view renders) into numpy arrays, the way the C++ app reads them:
core/scene/ScanNetSceneReader.cpp (vertices in the axis-aligned frame, per-vertex instance ids,
object boxes from their vertices) and core/qa/QuestionSets.cpp.
"""
import json
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np

# Objects that are room structure, not furniture: background for detection and retrieval.
STRUCTURAL_LABELS = ("floor", "wall")
# The generator's named colours (core/scene/synth/NamedColors.cpp): every vertex of an object has
# its object's colour within a few units, and the ScanQA colour answers are these names.
NAMED_COLOURS: List[Tuple[str, Tuple[int, int, int]]] = [
    ("red", (200, 35, 35)), ("brown", (100, 60, 30)), ("white", (235, 235, 230)),
    ("black", (30, 30, 30)), ("blue", (40, 75, 185)), ("green", (45, 145, 60)),
    ("gray", (128, 128, 128)), ("wooden", (185, 120, 60)), ("yellow", (230, 200, 40)),
    ("beige", (215, 195, 150))]
SPLITS = ("train", "val", "test")

_PLY_TYPES = {"float": "<f4", "float32": "<f4", "double": "<f8", "uchar": "u1", "uint8": "u1",
              "char": "i1", "int": "<i4", "int32": "<i4", "uint": "<u4", "short": "<i2",
              "ushort": "<u2"}


@dataclass
class SceneObject:
    object_id: int
    label: str                     # raw label of the aggregation ("office chair")
    box_min: np.ndarray            # [3] aligned frame, from the object's vertices
    box_max: np.ndarray
    colour: Optional[str] = None   # from the ScanQA "What color is the X?" answer when asked

    @property
    def structural(self) -> bool:
        return self.label in STRUCTURAL_LABELS

    @property
    def centre_size(self) -> np.ndarray:
        return np.concatenate([(self.box_min + self.box_max) / 2, self.box_max - self.box_min])


@dataclass
class View:
    image_path: str
    pose: np.ndarray               # camera-to-world 4x4 in the written (unaligned) mesh frame
    intrinsic: np.ndarray          # 4x4


@dataclass
class SynthScene:
    dataset: str
    scene_id: str
    split: str
    scene_type: str
    xyz: np.ndarray                # [V,3] float32, aligned frame
    raw_xyz: np.ndarray            # [V,3] float32, as written (the renders' frame)
    rgb: np.ndarray                # [V,3] uint8
    instance: np.ndarray           # [V] int32 object id, -1 for unannotated vertices
    objects: List[SceneObject]
    views: List[View] = field(default_factory=list)

    @property
    def key(self) -> Tuple[str, str]:
        return (self.dataset, self.scene_id)

    def furniture(self) -> List[SceneObject]:
        return [o for o in self.objects if not o.structural]

    def object_by_id(self, object_id: int) -> Optional[SceneObject]:
        return next((o for o in self.objects if o.object_id == object_id), None)

    def colour_index(self, object_id: int) -> int:
        """The index in NAMED_COLOURS nearest the mean colour of the object's vertices."""
        mean = self.rgb[self.instance == object_id].astype(np.float64).mean(0)
        palette = np.array([rgb for _, rgb in NAMED_COLOURS], np.float64)
        return int(((palette - mean) ** 2).sum(1).argmin())


@dataclass
class Question:
    scene_key: Tuple[str, str]
    question: str
    answers: List[str]
    object_ids: List[int]
    kind: str                      # question type ("what color", "left-right", ...)
    situation: str = ""
    position: Optional[np.ndarray] = None   # SQA3D: [3] aligned frame
    rotation: Optional[np.ndarray] = None   # SQA3D: [4] unit quaternion w, x, y, z


def read_ply_vertices(path: str) -> Tuple[np.ndarray, np.ndarray]:
    """xyz [V,3] float32 and rgb [V,3] uint8 of a binary little-endian PLY's vertex element."""
    with open(path, "rb") as f:
        header = []
        while True:
            line = f.readline().decode("ascii").strip()
            header.append(line)
            if line == "end_header":
                break
        if "format binary_little_endian 1.0" not in header:
            raise ValueError(f"{path}: expected a binary little-endian PLY")
        count, props, in_vertex = 0, [], False
        for line in header:
            parts = line.split()
            if parts[:1] == ["element"]:
                in_vertex = parts[1] == "vertex"
                if in_vertex:
                    count = int(parts[2])
            elif parts[:1] == ["property"] and in_vertex:
                props.append((parts[2], _PLY_TYPES[parts[1]]))
        data = np.frombuffer(f.read(count * np.dtype(props).itemsize), dtype=props, count=count)
    xyz = np.stack([data["x"], data["y"], data["z"]], axis=1).astype(np.float32)
    if "red" in data.dtype.names:
        rgb = np.stack([data["red"], data["green"], data["blue"]], axis=1).astype(np.uint8)
    else:
        rgb = np.full((count, 3), 128, np.uint8)
    return xyz, rgb


def read_scene_info(path: str) -> Tuple[np.ndarray, Dict[str, str]]:
    """The axisAlignment matrix (identity when absent) and the other key = value lines."""
    info: Dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "=" in line:
                key, value = line.split("=", 1)
                info[key.strip()] = value.strip()
    align = np.eye(4)
    if "axisAlignment" in info:
        align = np.array([float(v) for v in info["axisAlignment"].split()]).reshape(4, 4)
    return align, info


def read_matrix(path: str) -> np.ndarray:
    return np.loadtxt(path, dtype=np.float64).reshape(4, 4)


def _instances(folder: str, scene_id: str, vertex_count: int) -> Tuple[np.ndarray, List[Tuple]]:
    with open(os.path.join(folder, f"{scene_id}_vh_clean_2.0.010000.segs.json")) as f:
        seg = np.asarray(json.load(f)["segIndices"], dtype=np.int64)
    if len(seg) != vertex_count:
        raise ValueError(f"{folder}: {len(seg)} segment indices for {vertex_count} vertices")
    with open(os.path.join(folder, f"{scene_id}.aggregation.json")) as f:
        groups = json.load(f)["segGroups"]
    instance_of_segment = np.full(seg.max() + 1, -1, np.int32)
    for g in groups:
        instance_of_segment[np.asarray(g["segments"], dtype=np.int64)] = g["objectId"]
    return instance_of_segment[seg], [(g["objectId"], g["label"]) for g in groups]


def _views(folder: str) -> List[View]:
    colour_dir = os.path.join(folder, "color")
    if not os.path.isdir(colour_dir):
        return []
    intrinsic = read_matrix(os.path.join(folder, "intrinsic", "intrinsic_color.txt"))
    frames = sorted(int(n[:-4]) for n in os.listdir(colour_dir) if n.endswith(".png"))
    return [View(os.path.join(colour_dir, f"{i}.png"),
                 read_matrix(os.path.join(folder, "pose", f"{i}.txt")), intrinsic)
            for i in frames]


def read_scene(root: str, dataset: str, scene_id: str, split: str) -> SynthScene:
    folder = os.path.join(root, "scans", scene_id)
    raw_xyz, rgb = read_ply_vertices(os.path.join(folder, f"{scene_id}_vh_clean_2.ply"))
    align, info = read_scene_info(os.path.join(folder, f"{scene_id}.txt"))
    homogeneous = np.concatenate([raw_xyz.astype(np.float64), np.ones((len(raw_xyz), 1))], 1)
    xyz = (homogeneous @ align.T)[:, :3].astype(np.float32)
    instance, groups = _instances(folder, scene_id, len(xyz))
    objects = []
    for object_id, label in groups:
        members = xyz[instance == object_id]
        if len(members):
            objects.append(SceneObject(object_id, label, members.min(0), members.max(0)))
    return SynthScene(dataset, scene_id, split, info.get("sceneType", "room"), xyz, raw_xyz, rgb,
                      instance, objects, _views(folder))


def split_scene_ids(root: str, split: str) -> List[str]:
    with open(os.path.join(root, "meta", f"scannetv2_{split}.txt")) as f:
        return [line.strip() for line in f if line.strip()]


# ------------------------------------------------------------------------------ questions


def scanqa_kind(question: str) -> str:
    """The template of a synthetic ScanQA question (core/scene/synth/QuestionGenerator.cpp)."""
    q = question.lower()
    for prefix, kind in (("what color", "what color"), ("how many", "how many"),
                         ("what is on", "what is on"), ("what is under", "what is under"),
                         ("what is next to", "what is next to"), ("where is", "where is"),
                         ("what kind", "what kind")):
        if q.startswith(prefix):
            return kind
    if q.startswith("what is the") and q.rstrip("?").endswith("placed on"):
        return "placed on"
    return "other"


def read_scanqa(root: str, dataset: str, split: str) -> List[Question]:
    with open(os.path.join(root, "questions", f"ScanQA_v1.0_{split}.json"), encoding="utf-8") as f:
        entries = json.load(f)
    return [Question((dataset, e["scene_id"]), e["question"], list(e["answers"]),
                     list(e.get("object_ids", [])), scanqa_kind(e["question"])) for e in entries]


def read_sqa3d(root: str, dataset: str, split: str) -> List[Question]:
    qdir = os.path.join(root, "questions")
    with open(os.path.join(qdir, f"v1_balanced_questions_{split}_scannetv2.json"), encoding="utf-8") as f:
        questions = {q["question_id"]: q for q in json.load(f)["questions"]}
    with open(os.path.join(qdir, f"v1_balanced_sqa_annotations_{split}_scannetv2.json"),
              encoding="utf-8") as f:
        annotations = json.load(f)["annotations"]
    out = []
    for a in annotations:
        q = questions[a["question_id"]]
        p, r = a["position"], a["rotation"]
        out.append(Question((dataset, a["scene_id"]), q["question"],
                            [x["answer"] for x in a["answers"]], [], a["question_type"],
                            q["situation"], np.array([p["x"], p["y"], p["z"]], np.float32),
                            np.array([r["_w"], r["_x"], r["_y"], r["_z"]], np.float32)))
    return out


def attach_colours(scenes: Dict[Tuple[str, str], SynthScene], questions: List[Question]) -> None:
    """Object colours from the answers of "What color is the X?" questions."""
    for q in questions:
        if q.kind == "what color" and len(q.object_ids) == 1 and q.scene_key in scenes:
            obj = scenes[q.scene_key].object_by_id(q.object_ids[0])
            if obj is not None:
                obj.colour = q.answers[0]


@dataclass
class SynthDataset:
    """All scenes and questions of one or more synth folders, scenes keyed by (dataset, id)."""
    scenes: Dict[Tuple[str, str], SynthScene]
    scanqa: Dict[str, List[Question]]
    sqa: Dict[str, List[Question]]

    def split_scenes(self, split: str) -> List[SynthScene]:
        return [s for s in self.scenes.values() if s.split == split]


def dataset_name(root: str) -> str:
    return os.path.basename(os.path.normpath(root))


def load_datasets(roots: List[str], splits=SPLITS, progress=None) -> SynthDataset:
    scenes: Dict[Tuple[str, str], SynthScene] = {}
    scanqa: Dict[str, List[Question]] = {s: [] for s in splits}
    sqa: Dict[str, List[Question]] = {s: [] for s in splits}
    todo = [(root, split, sid) for root in roots for split in splits
            for sid in split_scene_ids(root, split)]
    for i, (root, split, sid) in enumerate(todo):
        scene = read_scene(root, dataset_name(root), sid, split)
        scenes[scene.key] = scene
        if progress:
            progress(i + 1, len(todo))
    for root in roots:
        for split in splits:
            scanqa[split] += read_scanqa(root, dataset_name(root), split)
            sqa[split] += read_sqa3d(root, dataset_name(root), split)
    for split in splits:
        attach_colours(scenes, scanqa[split])
    return SynthDataset(scenes, scanqa, sqa)

