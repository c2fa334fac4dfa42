#pragma once
// What each kind of synthetic object is: its ScanNet raw label, realistic sizes and colours, and
// how it is built from boxes and cylinders.

#include "../Scene.h"

#include <string>
#include <vector>

namespace scenelens::synth {

class Random;

// Grouped by the rooms the kinds are found in.
// clang-format off
enum class Kind {
    Floor, Wall, Door, Window, Curtain, Radiator, Picture,
    Bed, Headboard, Nightstand, Pillow, Lamp, FloorLamp, Desk, Chair, OfficeChair,
    Armchair, Couch, Dresser, Cabinet, TvStand, Tv, Bookshelf, BookStack, Box, Cup, TrashCan, Plant,
    Counter, KitchenCabinet, Sink, Microwave, Refrigerator, Table, DiningTable, CoffeeTable,
    EndTable, Ottoman, Monitor, Keyboard, FileCabinet,
    Toilet, Bathtub, ShowerCurtain, BathroomVanity, BathroomCabinet, Mirror,
};
// clang-format on

struct Range {
    float min = 0.f, max = 0.f;
};

/// A solid in the object's frame: x across its width, y from its back (0) to its front, z up
/// from its bottom. A cylinder stands upright in its box's footprint.
struct Part {
    enum class Shape { Box, Cylinder };
    Shape shape = Shape::Box;
    Box3 box;
};

/// One object before it is placed.
struct Blueprint {
    Kind kind = Kind::Box;
    std::vector<Part> parts;
    Eigen::Vector3f size = Eigen::Vector3f::Zero(); ///< Extent of the parts from the origin.
    /// Where other objects may stand, on the top (z = size.z); empty when nothing may.
    Box3 top;
};

struct Recipe {
    Kind kind;
    const char* rawLabel; ///< A raw_category of scannetv2-labels.combined.tsv.
    int nyu40Id;          ///< Its nyu40id there.
    Range width, depth, height;
    Range elevation;                 ///< Height of its bottom above the floor.
    std::vector<const char*> colors; ///< Names from namedColors().
    /// Adds the parts for `size`; nullptr for the floor and walls, which the room builds.
    void (*build)(Blueprint& blueprint, const Eigen::Vector3f& size, Random& random);
};

const Recipe& recipe(Kind kind);
const std::vector<Recipe>& recipes();

/// A size drawn from the recipe's ranges (width, depth, height).
Eigen::Vector3f sampleSize(Kind kind, Random& random);

/// The parts of a `kind` of about `size`; the blueprint's size is what the parts span.
Blueprint buildBlueprint(Kind kind, const Eigen::Vector3f& size, Random& random);

} // namespace scenelens::synth
