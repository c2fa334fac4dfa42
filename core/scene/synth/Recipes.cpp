#include "Recipes.h"

#include "Random.h"

#include <algorithm>
#include <cmath>

namespace scenelens::synth {

namespace {

void addBox(Blueprint& b, float x0, float y0, float z0, float x1, float y1, float z1) {
    Part part;
    part.box.min = Eigen::Vector3f(x0, y0, z0);
    part.box.max = Eigen::Vector3f(x1, y1, z1);
    b.parts.push_back(part);
}

void addCylinder(Blueprint& b, float cx, float cy, float radius, float z0, float z1) {
    Part part;
    part.shape = Part::Shape::Cylinder;
    part.box.min = Eigen::Vector3f(cx - radius, cy - radius, z0);
    part.box.max = Eigen::Vector3f(cx + radius, cy + radius, z1);
    b.parts.push_back(part);
}

/// Lets objects stand on the top, `inset` in from the edges of the w x d footprint.
void addTop(Blueprint& b, float w, float d, float inset) {
    b.top.min = Eigen::Vector3f(inset, inset, 0.f);
    b.top.max = Eigen::Vector3f(w - inset, d - inset, 0.f);
}

// --- builders: s = (width, depth, height); the back is at y = 0 -----------------------------

void buildSlab(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    addBox(b, 0, 0, 0, s.x(), s.y(), s.z());
}

void buildDoor(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), h = s.z();
    addBox(b, 0, 0, 0, w, 0.045f, h);
    addBox(b, w - 0.16f, 0.045f, 0.97f, w - 0.05f, s.y(), 1.01f);
}

void buildWindow(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), h = s.z(), bar = 0.06f, depth = 0.05f;
    addBox(b, 0, 0, 0, w, s.y(), bar);         // sill
    addBox(b, 0, 0, h - bar, w, depth, h);     // head
    addBox(b, 0, 0, bar, bar, depth, h - bar); // jambs
    addBox(b, w - bar, 0, bar, w, depth, h - bar);
    addBox(b, w / 2 - 0.025f, 0, bar, w / 2 + 0.025f, depth, h - bar); // mullion
    addBox(b, bar, 0.01f, bar, w - bar, 0.02f, h - bar);               // pane
}

/// Curtains: vertical pleats alternating between the back and the front of the depth.
void buildPleats(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), t = 0.015f;
    const int n = std::max(2, int(std::lround(w / 0.1f)));
    for (int i = 0; i < n; ++i) {
        const float y0 = i % 2 ? d - t : 0.f;
        addBox(b, w * float(i) / float(n), y0, 0, w * float(i + 1) / float(n), y0 + t, s.z());
    }
}

void buildRadiator(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), fin = 0.03f;
    const int n = std::max(3, int(w / 0.06f));
    for (int i = 0; i < n; ++i) {
        const float x = (w - fin) * float(i) / float(n - 1);
        addBox(b, x, 0.015f, fin, x + fin, d - 0.015f, h - fin);
    }
    addBox(b, 0, 0.03f, 0, w, d - 0.03f, fin);
    addBox(b, 0, 0.03f, h - fin, w, d - 0.03f, h);
}

/// The head end is at y = 0, against the headboard; pillows go there.
void buildBed(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), leg = 0.06f, legHeight = 0.1f;
    for (float x : {0.f, w - leg})
        for (float y : {0.f, d - leg})
            addBox(b, x, y, 0, x + leg, y + leg, legHeight);
    addBox(b, 0, 0, legHeight, w, d, h - 0.2f);                 // frame
    addBox(b, 0.02f, 0.02f, h - 0.2f, w - 0.02f, d - 0.02f, h); // mattress
    b.top.min = Eigen::Vector3f(0.05f, 0.05f, 0.f);
    b.top.max = Eigen::Vector3f(w - 0.05f, std::min(0.7f, d - 0.05f), 0.f);
}

void buildHeadboard(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), post = 0.06f;
    addBox(b, 0, 0, 0, post, d, h);
    addBox(b, w - post, 0, 0, w, d, h);
    addBox(b, post, 0.01f, 0.15f, w - post, d - 0.01f, h - 0.04f);
}

/// A chest of drawers: nightstand, dresser, file cabinet.
void buildDrawers(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), front = 0.02f;
    addBox(b, 0, 0, 0, w, d - front, h);
    const int n = std::max(2, int(h / 0.22f));
    const float pitch = (h - 0.07f) / float(n);
    for (int k = 0; k < n; ++k) {
        const float z0 = 0.04f + pitch * float(k) + 0.01f, z1 = z0 + pitch - 0.02f;
        const float zc = 0.5f * (z0 + z1);
        addBox(b, 0.03f, d - front, z0, w - 0.03f, d - 0.005f, z1);
        addBox(b, w / 2 - 0.05f, d - 0.005f, zc - 0.01f, w / 2 + 0.05f, d, zc + 0.01f);
    }
    addTop(b, w, d, 0.03f);
}

/// A cupboard with one or two doors; floor-standing or wall-mounted.
void buildCabinet(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), front = 0.02f;
    addBox(b, 0, 0, 0, w, d - front, h);
    const int doors = w > 0.7f ? 2 : 1;
    const float doorWidth = (w - 0.04f) / float(doors);
    for (int i = 0; i < doors; ++i) {
        const float x0 = 0.02f + doorWidth * float(i) + 0.005f, x1 = x0 + doorWidth - 0.01f;
        addBox(b, x0, d - front, 0.04f, x1, d - 0.005f, h - 0.03f);
        const float handle = i % 2 ? x0 + 0.04f : x1 - 0.04f;
        addBox(b, handle - 0.01f, d - 0.005f, h / 2 - 0.06f, handle + 0.01f, d, h / 2 + 0.06f);
    }
    addTop(b, w, d, 0.03f);
}

void buildChair(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), leg = 0.035f, seat = 0.46f;
    addBox(b, 0, 0, 0, leg, leg, h); // back legs carry the backrest
    addBox(b, w - leg, 0, 0, w, leg, h);
    addBox(b, 0, d - leg, 0, leg, d, seat - 0.04f);
    addBox(b, w - leg, d - leg, 0, w, d, seat - 0.04f);
    addBox(b, 0, 0, seat - 0.04f, w, d, seat);
    addBox(b, leg, 0.005f, seat + 0.12f, w - leg, 0.03f, h - 0.02f);
}

void buildOfficeChair(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), seat = 0.5f;
    addCylinder(b, w / 2, d / 2, std::min(w, d) / 2, 0, 0.05f); // star base, as a disc
    addCylinder(b, w / 2, d / 2, 0.03f, 0.05f, seat - 0.07f);
    addBox(b, 0.03f, 0.06f, seat - 0.07f, w - 0.03f, d - 0.02f, seat);
    addBox(b, w / 2 - 0.03f, 0.02f, seat - 0.07f, w / 2 + 0.03f, 0.06f, seat + 0.12f);
    addBox(b, 0.06f, 0, seat + 0.1f, w - 0.06f, 0.06f, h);
}

/// Couch and armchair: seat, backrest and two arms on short legs.
void buildSofa(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), leg = 0.06f, seat = 0.44f, back = 0.2f;
    const float arm = std::min(0.16f, 0.15f * w);
    for (float x : {0.f, w - 0.05f})
        for (float y : {0.f, d - 0.05f})
            addBox(b, x, y, 0, x + 0.05f, y + 0.05f, leg);
    addBox(b, 0, 0, leg, w, d, seat - 0.1f);               // frame
    addBox(b, arm, back, seat - 0.1f, w - arm, d, seat);   // cushion
    addBox(b, 0, 0, seat - 0.1f, w, back, h);              // backrest
    addBox(b, 0, back, seat - 0.1f, arm, d, seat + 0.18f); // arms
    addBox(b, w - arm, back, seat - 0.1f, w, d, seat + 0.18f);
}

void buildTable(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), top = 0.035f, leg = 0.05f, inset = 0.03f;
    addBox(b, 0, 0, h - top, w, d, h);
    for (float x : {inset, w - inset - leg})
        for (float y : {inset, d - inset - leg})
            addBox(b, x, y, 0, x + leg, y + leg, h - top);
    addTop(b, w, d, 0.03f);
}

void buildDesk(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), top = 0.03f, pedestal = 0.42f;
    const float under = h - top;
    addBox(b, 0, 0, under, w, d, h);
    addBox(b, 0.02f, 0.02f, 0, 0.05f, d - 0.02f, under);                    // side panel
    addBox(b, w - pedestal - 0.02f, 0.02f, 0, w - 0.02f, d - 0.04f, under); // drawer pedestal
    for (int k = 0; k < 3; ++k) {
        const float z0 = 0.05f + (under - 0.07f) * float(k) / 3.f;
        addBox(b, w - pedestal - 0.01f, d - 0.04f, z0, w - 0.03f, d - 0.02f,
               z0 + (under - 0.07f) / 3.f - 0.02f);
    }
    addBox(b, 0.05f, 0.03f, 0.3f, w - pedestal - 0.02f, 0.05f, under); // modesty panel
    addTop(b, w, d, 0.03f);
}

void buildBookshelf(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), board = 0.02f, base = 0.06f;
    addBox(b, 0, 0, 0, board, d, h);
    addBox(b, w - board, 0, 0, w, d, h);
    addBox(b, board, 0, 0, w - board, 0.015f, h);         // back
    addBox(b, board, 0.015f, 0, w - board, d, base);      // plinth
    addBox(b, board, 0.015f, h - board, w - board, d, h); // top
    const int shelves = std::max(2, int((h - 0.1f) / 0.34f));
    for (int k = 1; k < shelves; ++k) {
        const float z = base + (h - base - board) * float(k) / float(shelves);
        addBox(b, board, 0.015f, z - board, w - board, d, z);
    }
    addTop(b, w, d, 0.02f);
}

/// A few books lying on each other, slightly offset.
void buildBookStack(Blueprint& b, const Eigen::Vector3f& s, Random& random) {
    const int books = random.uniformInt(2, 4);
    float z = 0.f;
    for (int i = 0; i < books; ++i) {
        const float bw = s.x() * random.uniform(0.8f, 1.f), bd = s.y() * random.uniform(0.8f, 1.f);
        const float x = random.uniform(0.f, s.x() - bw), y = random.uniform(0.f, s.y() - bd);
        const float thickness = random.uniform(0.025f, 0.05f);
        addBox(b, x, y, z, x + bw, y + bd, z + thickness);
        z += thickness;
    }
}

void buildCup(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float r = std::min(s.x(), s.y()) / 2, h = s.z();
    addCylinder(b, r, r, r, 0, h);
    addBox(b, 2 * r - 0.005f, r - 0.006f, 0.3f * h, 2 * r + 0.02f, r + 0.006f, 0.75f * h);
}

void buildCylinder(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float r = std::min(s.x(), s.y()) / 2;
    addCylinder(b, r, r, r, 0, s.z());
}

void buildPlant(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float r = std::min(s.x(), s.y()) / 2, h = s.z();
    addCylinder(b, r, r, 0.55f * r, 0, 0.3f * h); // pot
    addCylinder(b, r, r, 0.02f, 0.3f * h, 0.45f * h);
    addCylinder(b, r, r, r, 0.45f * h, 0.75f * h); // foliage, tapering
    addCylinder(b, r, r, 0.75f * r, 0.75f * h, 0.92f * h);
    addCylinder(b, r, r, 0.45f * r, 0.92f * h, h);
}

void buildLamp(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float r = std::min(s.x(), s.y()) / 2, h = s.z(), shade = std::min(0.3f, 0.4f * h);
    addCylinder(b, r, r, 0.5f * r, 0, 0.03f);
    addCylinder(b, r, r, 0.012f, 0.03f, h - shade);
    addCylinder(b, r, r, r, h - shade, h);
}

void buildPillow(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z();
    addBox(b, 0, 0, 0, w, d, 0.6f * h);
    addBox(b, 0.06f * w, 0.1f * d, 0.6f * h, 0.94f * w, 0.9f * d, h);
}

/// Monitor and tv: a panel on a neck and a foot.
void buildScreen(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), foot = 0.4f * w;
    addBox(b, (w - foot) / 2, 0, 0, (w + foot) / 2, d, 0.02f);
    addBox(b, w / 2 - 0.025f, d / 2 - 0.015f, 0.02f, w / 2 + 0.025f, d / 2 + 0.015f, 0.12f);
    addBox(b, 0, d / 2 + 0.015f, 0.1f, w, d / 2 + 0.045f, h);
}

void buildKeyboard(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    addBox(b, 0, 0, 0, s.x(), s.y(), 0.02f);
    addBox(b, 0.01f, 0.01f, 0.02f, s.x() - 0.01f, s.y() - 0.01f, s.z());
}

void buildMicrowave(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z();
    addBox(b, 0, 0, 0, w, d - 0.02f, h);
    addBox(b, 0.02f, d - 0.02f, 0.02f, w - 0.14f, d - 0.005f, h - 0.02f);    // door
    addBox(b, w - 0.12f, d - 0.02f, 0.02f, w - 0.02f, d - 0.01f, h - 0.02f); // controls
    addBox(b, w - 0.165f, d - 0.005f, 0.05f, w - 0.15f, d, h - 0.05f);       // handle
}

void buildRefrigerator(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), split = 0.6f * h;
    addBox(b, 0, 0, 0, w, d - 0.05f, h);
    addBox(b, 0.01f, d - 0.05f, 0.02f, w - 0.01f, d - 0.02f, split);
    addBox(b, 0.01f, d - 0.05f, split + 0.01f, w - 0.01f, d - 0.02f, h - 0.01f);
    addBox(b, w - 0.08f, d - 0.02f, split - 0.35f, w - 0.05f, d, split - 0.05f);
    addBox(b, w - 0.08f, d - 0.02f, split + 0.05f, w - 0.05f, d, split + 0.3f);
}

void buildCounter(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), worktop = 0.04f, kick = 0.1f;
    addBox(b, 0, 0, 0, w, d - 0.1f, kick);
    addBox(b, 0, 0, kick, w, d - 0.045f, h - worktop);
    const int doors = std::max(1, int(std::lround(w / 0.5f)));
    for (int i = 0; i < doors; ++i) {
        const float x0 = w * float(i) / float(doors) + 0.005f;
        addBox(b, x0, d - 0.045f, kick + 0.02f, x0 + w / float(doors) - 0.01f, d - 0.03f,
               h - worktop - 0.03f);
    }
    addBox(b, 0, 0, h - worktop, w, d, h);
    addTop(b, w, d, 0.03f);
}

/// An open basin with a deck for the faucet at the back.
void buildSink(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), wall = 0.03f, deck = 0.08f;
    addBox(b, 0, 0, 0, w, d, wall);
    addBox(b, 0, 0, wall, w, deck, h);
    addBox(b, 0, d - wall, wall, w, d, h);
    addBox(b, 0, deck, wall, wall, d - wall, h);
    addBox(b, w - wall, deck, wall, w, d - wall, h);
    addCylinder(b, w / 2, deck / 2, 0.018f, h, h + 0.14f);
    addBox(b, w / 2 - 0.015f, deck / 2, h + 0.11f, w / 2 + 0.015f, deck + 0.08f, h + 0.14f);
}

void buildToilet(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), h = s.z(), tank = 0.2f, seat = 0.4f;
    const float r = std::min(w / 2, (s.y() - tank) / 2), cx = w / 2, cy = tank + r;
    addBox(b, 0, 0, seat - 0.02f, w, tank, h);                     // cistern
    addBox(b, cx - 0.1f, 0.05f, 0, cx + 0.1f, tank, seat - 0.02f); // its column
    addCylinder(b, cx, cy, 0.6f * r, 0, 0.25f);                    // pedestal
    addCylinder(b, cx, cy, r, 0.25f, seat - 0.03f);                // bowl
    addCylinder(b, cx, cy, r, seat - 0.03f, seat);                 // seat
}

void buildBathtub(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), wall = 0.07f, bottom = 0.06f;
    addBox(b, 0, 0, 0, w, d, bottom);
    addBox(b, 0, 0, bottom, w, wall, h);
    addBox(b, 0, d - wall, bottom, w, d, h);
    addBox(b, 0, wall, bottom, wall, d - wall, h);
    addBox(b, w - wall, wall, bottom, w, d - wall, h);
}

void buildOttoman(Blueprint& b, const Eigen::Vector3f& s, Random&) {
    const float w = s.x(), d = s.y(), h = s.z(), foot = 0.05f;
    for (float x : {0.f, w - foot})
        for (float y : {0.f, d - foot})
            addBox(b, x, y, 0, x + foot, y + foot, foot);
    addBox(b, 0, 0, foot, w, d, h - 0.06f);
    addBox(b, 0.01f, 0.01f, h - 0.06f, w - 0.01f, d - 0.01f, h);
    addTop(b, w, d, 0.03f);
}

using Colors = std::vector<const char*>;
const Colors kWood{"wooden", "brown", "white", "black"};
const Colors kFabric{"gray", "blue", "red", "beige", "brown", "green", "black"};
const Colors kBright{"red", "blue", "green", "yellow", "black", "brown", "white"};
const Colors kTables{"wooden", "white", "black", "brown", "gray"};

/// Sizes in metres. Raw labels and NYU40 ids are those of scannetv2-labels.combined.tsv.
std::vector<Recipe> makeRecipes() {
    // A row per kind (kind, raw label, nyu40 id, width, depth, height, elevation, colours,
    // builder) reads as a table.
    // clang-format off
    return {
        {Kind::Floor, "floor", 2, {}, {}, {}, {}, {"wooden", "gray", "brown", "beige"}, nullptr},
        {Kind::Wall, "wall", 1, {}, {}, {}, {}, {"white", "beige", "gray"}, nullptr},
        {Kind::Door, "door", 8, {0.8f, 0.9f}, {0.09f, 0.09f}, {2.f, 2.1f}, {},
         {"wooden", "brown", "white"}, buildDoor},
        {Kind::Window, "window", 9, {0.8f, 1.5f}, {0.08f, 0.08f}, {1.f, 1.4f}, {0.8f, 1.f},
         {"white", "gray", "black", "brown"}, buildWindow},
        {Kind::Curtain, "curtain", 16, {0.3f, 0.45f}, {0.05f, 0.06f}, {2.f, 2.f}, {},
         {"red", "blue", "green", "yellow", "beige", "white", "gray", "brown"}, buildPleats},
        {Kind::Radiator, "radiator", 39, {0.6f, 1.2f}, {0.08f, 0.1f}, {0.4f, 0.6f}, {0.12f, 0.12f},
         {"white", "gray"}, buildRadiator},
        {Kind::Picture, "picture", 11, {0.35f, 1.f}, {0.02f, 0.03f}, {0.3f, 0.8f}, {1.25f, 1.5f},
         {"red", "blue", "green", "yellow", "black", "brown", "wooden"}, buildSlab},
        {Kind::Bed, "bed", 4, {0.95f, 1.8f}, {1.95f, 2.1f}, {0.48f, 0.56f}, {},
         {"white", "gray", "blue", "beige", "green", "red"}, buildBed},
        {Kind::Headboard, "headboard", 39, {0.95f, 1.8f}, {0.05f, 0.08f}, {0.9f, 1.2f}, {},
         {"wooden", "brown", "white", "black", "gray"}, buildHeadboard},
        {Kind::Nightstand, "nightstand", 32, {0.4f, 0.55f}, {0.35f, 0.45f}, {0.5f, 0.62f}, {},
         kWood, buildDrawers},
        {Kind::Pillow, "pillow", 18, {0.45f, 0.6f}, {0.3f, 0.4f}, {0.1f, 0.15f}, {},
         {"white", "red", "blue", "yellow", "green", "beige", "gray"}, buildPillow},
        {Kind::Lamp, "lamp", 35, {0.22f, 0.32f}, {0.22f, 0.32f}, {0.38f, 0.55f}, {},
         {"white", "yellow", "black", "beige", "red"}, buildLamp},
        {Kind::FloorLamp, "lamp", 35, {0.35f, 0.45f}, {0.35f, 0.45f}, {1.5f, 1.75f}, {},
         {"white", "yellow", "black", "beige", "red"}, buildLamp},
        {Kind::Desk, "desk", 14, {1.1f, 1.6f}, {0.6f, 0.75f}, {0.72f, 0.76f}, {},
         kTables, buildDesk},
        {Kind::Chair, "chair", 5, {0.42f, 0.5f}, {0.44f, 0.52f}, {0.8f, 0.95f}, {},
         {"black", "red", "blue", "wooden", "gray", "green", "brown", "white"}, buildChair},
        {Kind::OfficeChair, "office chair", 5, {0.55f, 0.65f}, {0.55f, 0.65f}, {0.9f, 1.1f}, {},
         {"black", "gray", "blue", "red"}, buildOfficeChair},
        {Kind::Armchair, "armchair", 5, {0.75f, 0.95f}, {0.75f, 0.9f}, {0.8f, 0.95f}, {},
         kFabric, buildSofa},
        {Kind::Couch, "couch", 6, {1.6f, 2.3f}, {0.85f, 0.95f}, {0.8f, 0.9f}, {},
         kFabric, buildSofa},
        {Kind::Dresser, "dresser", 17, {0.9f, 1.4f}, {0.45f, 0.55f}, {0.8f, 1.f}, {},
         kWood, buildDrawers},
        {Kind::Cabinet, "cabinet", 3, {0.6f, 1.2f}, {0.4f, 0.6f}, {0.8f, 1.2f}, {},
         kTables, buildCabinet},
        {Kind::TvStand, "cabinet", 3, {1.2f, 1.8f}, {0.4f, 0.5f}, {0.45f, 0.6f}, {},
         kTables, buildCabinet},
        {Kind::Tv, "tv", 25, {0.9f, 1.3f}, {0.22f, 0.25f}, {0.6f, 0.85f}, {},
         {"black", "gray"}, buildScreen},
        {Kind::Bookshelf, "bookshelf", 10, {0.7f, 1.2f}, {0.28f, 0.36f}, {1.1f, 2.f}, {},
         kWood, buildBookshelf},
        {Kind::BookStack, "books", 23, {0.15f, 0.25f}, {0.2f, 0.3f}, {}, {},
         kBright, buildBookStack},
        {Kind::Box, "box", 29, {0.2f, 0.45f}, {0.2f, 0.4f}, {0.15f, 0.35f}, {},
         {"brown", "beige", "white", "wooden"}, buildSlab},
        {Kind::Cup, "cup", 40, {0.07f, 0.09f}, {0.07f, 0.09f}, {0.09f, 0.11f}, {},
         {"white", "red", "blue", "yellow", "black", "green"}, buildCup},
        {Kind::TrashCan, "trash can", 39, {0.26f, 0.36f}, {0.26f, 0.36f}, {0.3f, 0.45f}, {},
         {"gray", "black", "blue", "white", "green"}, buildCylinder},
        {Kind::Plant, "plant", 40, {0.35f, 0.5f}, {0.35f, 0.5f}, {0.6f, 1.2f}, {},
         {"green"}, buildPlant},
        {Kind::Counter, "counter", 12, {1.2f, 2.4f}, {0.6f, 0.65f}, {0.88f, 0.92f}, {},
         {"white", "gray", "black", "wooden", "beige"}, buildCounter},
        {Kind::KitchenCabinet, "kitchen cabinet", 3, {0.6f, 1.2f}, {0.32f, 0.38f}, {0.6f, 0.75f},
         {1.45f, 1.55f}, {"white", "wooden", "gray", "brown", "blue"}, buildCabinet},
        {Kind::Sink, "sink", 34, {0.45f, 0.6f}, {0.38f, 0.45f}, {0.14f, 0.18f}, {},
         {"white", "gray"}, buildSink},
        {Kind::Microwave, "microwave", 40, {0.45f, 0.55f}, {0.35f, 0.4f}, {0.28f, 0.32f}, {},
         {"white", "black", "gray"}, buildMicrowave},
        {Kind::Refrigerator, "refrigerator", 24, {0.6f, 0.9f}, {0.65f, 0.75f}, {1.7f, 1.95f}, {},
         {"white", "gray", "black"}, buildRefrigerator},
        {Kind::Table, "table", 7, {1.f, 1.6f}, {0.7f, 0.9f}, {0.72f, 0.76f}, {},
         kTables, buildTable},
        {Kind::DiningTable, "dining table", 7, {1.2f, 1.8f}, {0.8f, 1.f}, {0.74f, 0.77f}, {},
         kTables, buildTable},
        {Kind::CoffeeTable, "coffee table", 7, {0.9f, 1.2f}, {0.5f, 0.65f}, {0.4f, 0.48f}, {},
         kTables, buildTable},
        {Kind::EndTable, "end table", 7, {0.45f, 0.55f}, {0.45f, 0.55f}, {0.5f, 0.6f}, {},
         kTables, buildTable},
        {Kind::Ottoman, "ottoman", 39, {0.5f, 0.7f}, {0.5f, 0.7f}, {0.4f, 0.45f}, {},
         kFabric, buildOttoman},
        {Kind::Monitor, "monitor", 40, {0.45f, 0.65f}, {0.18f, 0.2f}, {0.4f, 0.5f}, {},
         {"black", "gray"}, buildScreen},
        {Kind::Keyboard, "keyboard", 40, {0.4f, 0.45f}, {0.13f, 0.15f}, {0.03f, 0.03f}, {},
         {"black", "white", "gray"}, buildKeyboard},
        {Kind::FileCabinet, "file cabinet", 3, {0.4f, 0.5f}, {0.5f, 0.6f}, {0.7f, 1.3f}, {},
         {"gray", "black", "white"}, buildDrawers},
        {Kind::Toilet, "toilet", 33, {0.36f, 0.42f}, {0.62f, 0.7f}, {0.72f, 0.8f}, {},
         {"white", "beige"}, buildToilet},
        {Kind::Bathtub, "bathtub", 36, {1.5f, 1.75f}, {0.7f, 0.8f}, {0.5f, 0.6f}, {},
         {"white", "beige"}, buildBathtub},
        {Kind::ShowerCurtain, "shower curtain", 28, {1.5f, 1.75f}, {0.04f, 0.05f}, {1.6f, 1.8f},
         {0.25f, 0.3f}, {"white", "blue", "green", "yellow", "beige"}, buildPleats},
        {Kind::BathroomVanity, "bathroom vanity", 3, {0.6f, 1.f}, {0.45f, 0.55f}, {0.8f, 0.85f}, {},
         {"white", "wooden", "gray", "brown"}, buildCabinet},
        {Kind::BathroomCabinet, "bathroom cabinet", 3, {0.4f, 0.6f}, {0.15f, 0.2f}, {0.5f, 0.7f},
         {1.35f, 1.45f}, {"white", "wooden", "gray"}, buildCabinet},
        {Kind::Mirror, "mirror", 19, {0.5f, 0.8f}, {0.02f, 0.03f}, {0.6f, 0.8f}, {1.3f, 1.4f},
         {"gray", "white"}, buildSlab},
    };
    // clang-format on
}

} // namespace

const std::vector<Recipe>& recipes() {
    static const std::vector<Recipe> table = makeRecipes();
    return table;
}

const Recipe& recipe(Kind kind) {
    // The table lists the kinds in declaration order.
    return recipes()[std::size_t(kind)];
}

Eigen::Vector3f sampleSize(Kind kind, Random& random) {
    const Recipe& r = recipe(kind);
    const float w = random.uniform(r.width.min, r.width.max);
    const float d = random.uniform(r.depth.min, r.depth.max);
    return {w, d, random.uniform(r.height.min, r.height.max)};
}

Blueprint buildBlueprint(Kind kind, const Eigen::Vector3f& size, Random& random) {
    Blueprint b;
    b.kind = kind;
    recipe(kind).build(b, size, random);
    for (const Part& part : b.parts)
        b.size = b.size.cwiseMax(part.box.max);
    if (!b.top.isEmpty())
        b.top.min.z() = b.top.max.z() = b.size.z();
    return b;
}

} // namespace scenelens::synth
