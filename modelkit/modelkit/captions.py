"""Text for the demo models: which objects each synthetic render sees (projected vertices with a
coarse depth test), render captions ("a red chair and a wooden table in a bedroom"), object crops
and their captions, and the scene / object descriptions the scene encoder is aligned to.

Camera conventions as core/scene/ExportedFrames.cpp: pose = camera-to-world in the written mesh
frame, camera x right, y down, z forward; pixel = K * camera / z.
"""
from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np

from .synthdata import SceneObject, SynthScene, View

DEPTH_CELL = 4          # pixels per z-buffer cell
DEPTH_SLACK = 0.15      # metres behind the nearest surface still counted as visible
MIN_VISIBLE_VERTICES = 15
MIN_CROP_SIDE = 24      # pixels


@dataclass
class SeenObject:
    obj: SceneObject
    vertices: int                          # visible vertices
    crop: Tuple[int, int, int, int]        # left, top, right, bottom in pixels


def object_phrase(obj: SceneObject, with_colour: bool = True) -> str:
    if with_colour and obj.colour:
        return f"a {obj.colour} {obj.label}"
    return f"a {obj.label}"


def object_captions(obj: SceneObject) -> List[str]:
    """The captions an object crop is paired with: its description and the retrieval prompt."""
    captions = [f"a {obj.label} in a scene", f"a {obj.label}"]
    if obj.colour:
        captions.append(object_phrase(obj))
    return captions


def retrieval_prompt(label: str) -> str:
    return f"a {label} in a scene"


def scene_caption(scene: SynthScene, limit: int = 3) -> str:
    """The room type and its largest pieces of furniture: "a bedroom with a bed, a red chair and
    a lamp"."""
    furniture = sorted(scene.furniture(), key=lambda o: -float(np.prod(o.box_max - o.box_min)))
    phrases = []
    for o in furniture:
        phrase = object_phrase(o)
        if phrase not in phrases:
            phrases.append(phrase)
        if len(phrases) == limit:
            break
    if not phrases:
        return f"a {scene.scene_type}"
    listed = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
    return f"a {scene.scene_type} with {listed}"


def render_caption(scene: SynthScene, seen: List[SeenObject]) -> str:
    phrases = []
    for s in seen:
        phrase = object_phrase(s.obj)
        if phrase not in phrases:
            phrases.append(phrase)
        if len(phrases) == 2:
            break
    if not phrases:
        return f"a {scene.scene_type}"
    return " and ".join(phrases) + f" in a {scene.scene_type}"


def _project(view: View, xyz: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    r, t = view.pose[:3, :3], view.pose[:3, 3]
    camera = (xyz.astype(np.float64) - t) @ r
    z = camera[:, 2]
    safe = np.where(z > 1e-6, z, 1.0)
    u = view.intrinsic[0, 0] * camera[:, 0] / safe + view.intrinsic[0, 2]
    v = view.intrinsic[1, 1] * camera[:, 1] / safe + view.intrinsic[1, 2]
    return u, v, z


def seen_objects(scene: SynthScene, view: View, size: Tuple[int, int]) -> List[SeenObject]:
    """Furniture visible in a view, most visible vertices first."""
    width, height = size
    u, v, z = _project(view, scene.raw_xyz)
    inside = (z > 0.05) & (u >= 0) & (u < width) & (v >= 0) & (v < height)
    cols, rows = width // DEPTH_CELL + 1, height // DEPTH_CELL + 1
    cell = np.where(inside, (v // DEPTH_CELL).astype(np.int64) * cols
                    + (u // DEPTH_CELL).astype(np.int64), 0)
    nearest = np.full(cols * rows, np.inf)
    np.minimum.at(nearest, cell[inside], z[inside])
    visible = inside & (z <= nearest[cell] + DEPTH_SLACK)
    seen = []
    for obj in scene.furniture():
        mask = visible & (scene.instance == obj.object_id)
        count = int(mask.sum())
        if count < MIN_VISIBLE_VERTICES:
            continue
        left, right = np.percentile(u[mask], [2, 98])
        top, bottom = np.percentile(v[mask], [2, 98])
        if right - left < MIN_CROP_SIDE or bottom - top < MIN_CROP_SIDE:
            continue
        margin_x, margin_y = 0.1 * (right - left), 0.1 * (bottom - top)
        crop = (int(max(0, left - margin_x)), int(max(0, top - margin_y)),
                int(min(width, right + margin_x)), int(min(height, bottom + margin_y)))
        seen.append(SeenObject(obj, count, crop))
    seen.sort(key=lambda s: -s.vertices)
    return seen


def description_of(scene: SynthScene, object_id: int) -> Optional[str]:
    obj = scene.object_by_id(object_id)
    return None if obj is None or obj.structural else object_phrase(obj)
