#include "SyntheticRoom.h"

#include "../LabelTable.h"
#include "MeshBuilder.h"
#include "NamedColors.h"
#include "Random.h"
#include "RoomLayout.h"
#include "RoomPlans.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace scenelens::synth {

namespace {

/// Vertices per room, about those of a ScanNet vh_clean_2 mesh of a small room.
constexpr float kTargetVertices = 50000.f;
constexpr float kPatch = 0.5f;       ///< Segment size (metres), near ScanNet's on flat surfaces.
constexpr int kColorJitter = 6;      ///< Per-vertex colour variation, far below the names' spacing.
constexpr int kFirstFurnitureId = 5; ///< After the floor (0) and the four walls.

/// Independent random streams, so that e.g. the noise level does not move the furniture.
enum Stream : std::uint64_t { kLayout = 1, kColors, kNoise, kPose };

std::string sceneIdFor(int index) {
    std::string number = std::to_string(index);
    if (number.size() < 2)
        number.insert(0, "0");
    return "sceneSYN" + number + "_00";
}

RoomType roomTypeFor(const RoomOptions& options) {
    // Consecutive indices cycle through the types, so any five rooms hold one of each.
    const std::uint64_t offset = mixSeed(options.seed, 0) % 5;
    return RoomType((std::uint64_t(options.index) + offset) % 5);
}

Eigen::Vector3f sampleRoomSize(RoomType type, Random& random) {
    const RoomPlan& plan = roomPlan(type);
    return {random.uniform(plan.width.min, plan.width.max),
            random.uniform(plan.depth.min, plan.depth.max), random.uniform(2.4f, 2.8f)};
}

const Rgb8& rgbOf(const std::string& name) {
    const auto& colors = namedColors();
    return std::find_if(colors.begin(), colors.end(),
                        [&](const NamedColor& c) { return c.name == name; })
        ->rgb;
}

/// A colour of the recipe but none of `avoid` (so that an object stands out from what it stands
/// on, hangs against or stands beside), unless the recipe has no other.
std::string pickColor(Kind kind, const std::vector<std::string>& avoid, Random& random) {
    std::vector<const char*> options;
    for (const char* name : recipe(kind).colors)
        if (std::find(avoid.begin(), avoid.end(), name) == avoid.end())
            options.push_back(name);
    return random.pick(options.empty() ? recipe(kind).colors : options);
}

int nyu40IdOf(const std::string& rawLabel) {
    for (const Recipe& r : recipes())
        if (rawLabel == r.rawLabel)
            return r.nyu40Id;
    return 0;
}

SynthObject describe(int id, Kind kind, std::string colorName, int supportId) {
    SynthObject o;
    o.objectId = id;
    o.rawLabel = recipe(kind).rawLabel;
    o.className = std::string(nyu40ClassName(recipe(kind).nyu40Id));
    o.colorName = std::move(colorName);
    o.supportId = supportId;
    o.structural = kind == Kind::Floor || kind == Kind::Wall;
    return o;
}

/// Floor, walls, then the furniture in layout order; ids are positions in the list.
std::vector<SynthObject> describeObjects(const RoomLayout& layout, Random& random) {
    const std::string wallColor = pickColor(Kind::Wall, {}, random);
    const std::string floorColor = pickColor(Kind::Floor, {wallColor}, random);
    std::vector<SynthObject> objects{describe(0, Kind::Floor, floorColor, -1)};
    for (int wall = 0; wall < 4; ++wall)
        objects.push_back(describe(1 + wall, Kind::Wall, wallColor, -1));
    for (const PlacedObject& placed : layout.objects) {
        std::vector<std::string> avoid;
        int supportId = -1;
        if (placed.support >= 0) {
            supportId = kFirstFurnitureId + placed.support;
            avoid.push_back(objects[std::size_t(supportId)].colorName);
        } else {
            const bool onFloor = placed.box.min.z() <= kFloorLevel;
            if (placed.wall >= 0 || !onFloor)
                avoid.push_back(wallColor);
            if (onFloor)
                avoid.push_back(floorColor);
        }
        const Kind kind = placed.blueprint.kind;
        const std::string color = pickColor(kind, avoid, random);
        objects.push_back(describe(int(objects.size()), kind, color, supportId));
    }
    return objects;
}

float surfaceArea(const RoomLayout& layout) {
    const Eigen::Vector3f& s = layout.size;
    float area = s.x() * s.y() + 2.f * (s.x() + s.y()) * s.z();
    for (const PlacedObject& o : layout.objects)
        for (const Part& part : o.blueprint.parts) {
            const Eigen::Vector3f p = part.box.size();
            area += part.shape == Part::Shape::Box
                        ? MeshBuilder::boxArea(part.box)
                        : MeshBuilder::cylinderArea(0.5f * std::min(p.x(), p.y()), p.z());
        }
    return area;
}

/// A wall facing into the room, with the door's opening left out.
void addWall(MeshBuilder& builder, const RoomLayout& layout, int wall) {
    const Pose frame = wallFrame(wall, layout.size);
    const float length = wallLength(wall, layout.size), height = layout.size.z();
    auto piece = [&](float begin, float end, float bottom) {
        const Eigen::Vector3f origin = frame.apply(Eigen::Vector3f(begin, 0.f, bottom));
        const Eigen::Vector3f along = frame.apply(Eigen::Vector3f(end, 0.f, bottom)) - origin;
        // up x along points into the room.
        builder.addQuad(origin, Eigen::Vector3f(0.f, 0.f, height - bottom), along);
    };
    const DoorOpening& door = layout.door;
    if (door.wall != wall || door.end <= door.begin) {
        piece(0.f, length, 0.f);
        return;
    }
    piece(0.f, door.begin, 0.f);
    piece(door.end, length, 0.f);
    piece(door.begin, door.end, door.height);
}

void addObject(MeshBuilder& builder, const PlacedObject& object) {
    for (const Part& part : object.blueprint.parts) {
        const Box3 box = object.pose.apply(part.box);
        if (part.shape == Part::Shape::Box) {
            builder.addBox(box);
        } else {
            const Eigen::Vector3f size = box.size();
            builder.addCylinder(box.center().head<2>(), 0.5f * std::min(size.x(), size.y()),
                                box.min.z(), box.max.z());
        }
    }
}

MeshBuilder buildMesh(const RoomLayout& layout) {
    const float edge = std::clamp(std::sqrt(surfaceArea(layout) / kTargetVertices), 0.02f, 0.08f);
    MeshBuilder builder(edge, kPatch);
    builder.setInstance(1);
    builder.addQuad(Eigen::Vector3f::Zero(), Eigen::Vector3f(layout.size.x(), 0.f, 0.f),
                    Eigen::Vector3f(0.f, layout.size.y(), 0.f));
    for (int wall = 0; wall < 4; ++wall) {
        builder.setInstance(2 + wall);
        addWall(builder, layout, wall);
    }
    for (std::size_t i = 0; i < layout.objects.size(); ++i) {
        builder.setInstance(std::int32_t(kFirstFurnitureId + i + 1));
        addObject(builder, layout.objects[i]);
    }
    return builder;
}

/// Each vertex gets its object's named colour, varied by a few units per channel.
std::vector<Rgb8> paint(const std::vector<std::int32_t>& instanceIds,
                        const std::vector<SynthObject>& objects, Random& random) {
    std::vector<Rgb8> byInstance(objects.size() + 1);
    for (const SynthObject& o : objects)
        byInstance[std::size_t(o.objectId + 1)] = rgbOf(o.colorName);
    std::vector<Rgb8> colors(instanceIds.size());
    for (std::size_t v = 0; v < instanceIds.size(); ++v) {
        const Rgb8& base = byInstance[std::size_t(instanceIds[v])];
        for (int c = 0; c < 3; ++c)
            colors[v][c] = std::uint8_t(
                std::clamp(base[c] + random.uniformInt(-kColorJitter, kColorJitter), 0, 255));
    }
    return colors;
}

void addNoise(std::vector<Eigen::Vector3f>& positions, float sigma, Random& random) {
    if (sigma <= 0.f)
        return;
    for (Eigen::Vector3f& p : positions)
        for (int c = 0; c < 3; ++c)
            p[c] += sigma * random.normal();
}

/// Raw -> aligned frame: a turn about z kept clear of quarter turns (so the written mesh visibly
/// needs its alignment) and a shift of a few metres, like ScanNet's axisAlignment.
Eigen::Matrix4f randomAlignment(Random& random) {
    const double angle = 1.5707963267948966 * random.uniformInt(0, 3) + random.uniform(0.1f, 1.47f);
    Eigen::Matrix4f m = Eigen::Matrix4f::Identity();
    m(0, 0) = m(1, 1) = float(std::cos(angle));
    m(1, 0) = float(std::sin(angle));
    m(0, 1) = -m(1, 0);
    m(0, 3) = random.uniform(-4.f, 4.f);
    m(1, 3) = random.uniform(-4.f, 4.f);
    m(2, 3) = random.uniform(-0.3f, 0.3f);
    return m;
}

/// Fills room.scene from the mesh and the objects, then the objects' boxes from room.scene.
void fillScene(SyntheticRoom& room, MeshBuilder&& mesh, std::vector<Rgb8>&& colors) {
    Scene& scene = room.scene;
    scene.id = room.sceneId;
    scene.positions = std::move(mesh.positions);
    scene.faces = std::move(mesh.faces);
    scene.colors = std::move(colors);
    scene.normals = computeVertexNormals(scene.positions, scene.faces);
    scene.instanceIds = std::move(mesh.instanceIds);
    for (const SynthObject& o : room.objects) {
        SceneObject object;
        object.id = o.objectId;
        object.rawLabel = o.rawLabel;
        object.nyu40Id = nyu40IdOf(o.rawLabel);
        object.nyu40Class = o.className;
        scene.objects.push_back(std::move(object));
    }
    scene.nyu40Ids.resize(scene.instanceIds.size());
    for (std::size_t v = 0; v < scene.instanceIds.size(); ++v)
        scene.nyu40Ids[v] =
            std::uint16_t(scene.objects[std::size_t(scene.instanceIds[v] - 1)].nyu40Id);
    rebuildObjectGeometry(scene);
    for (SynthObject& o : room.objects)
        o.box = scene.objects[std::size_t(o.objectId)].box;
    scene.axisAlignment = room.alignment;
    scene.metadata["sceneType"] = roomTypeName(room.type);
}

} // namespace

std::string roomTypeName(RoomType type) {
    static const char* const names[] = {"bedroom", "kitchen", "office", "bathroom", "living room"};
    return names[int(type)];
}

SyntheticRoom generateRoom(const RoomOptions& options) {
    const std::uint64_t seed = mixSeed(options.seed, std::uint64_t(options.index));
    Random layoutRandom(mixSeed(seed, kLayout)), colorRandom(mixSeed(seed, kColors));
    Random noiseRandom(mixSeed(seed, kNoise)), poseRandom(mixSeed(seed, kPose));

    SyntheticRoom room;
    room.sceneId = sceneIdFor(options.index);
    room.type = roomTypeFor(options);
    room.size = sampleRoomSize(room.type, layoutRandom);
    const RoomLayout layout = layoutRoom(room.type, room.size, layoutRandom);
    room.objects = describeObjects(layout, colorRandom);

    MeshBuilder mesh = buildMesh(layout);
    std::vector<Rgb8> colors = paint(mesh.instanceIds, room.objects, colorRandom);
    addNoise(mesh.positions, options.noise, noiseRandom);
    room.alignment = randomAlignment(poseRandom);
    room.segmentOfVertex = std::move(mesh.segmentIds);
    fillScene(room, std::move(mesh), std::move(colors));
    return room;
}

std::vector<std::string> syntheticRawLabels() {
    std::set<std::string> labels;
    for (const Recipe& r : recipes())
        labels.insert(r.rawLabel);
    return {labels.begin(), labels.end()};
}

} // namespace scenelens::synth
