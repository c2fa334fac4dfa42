#include "Palettes.h"

namespace scenelens {

namespace {
// ScanNet's create_color_palette(), index = NYU40 id (entry 0 is unused here).
constexpr Rgb8 kNyu40Palette[41] = {
    {0, 0, 0},       {174, 199, 232}, {152, 223, 138}, {31, 119, 180},  {255, 187, 120},
    {188, 189, 34},  {140, 86, 75},   {255, 152, 150}, {214, 39, 40},   {197, 176, 213},
    {148, 103, 189}, {196, 156, 148}, {23, 190, 207},  {178, 76, 76},   {247, 182, 210},
    {66, 188, 102},  {219, 219, 141}, {140, 57, 197},  {202, 185, 52},  {51, 176, 203},
    {200, 54, 131},  {92, 193, 61},   {78, 71, 183},   {172, 114, 82},  {255, 127, 14},
    {91, 163, 138},  {153, 98, 156},  {140, 153, 101}, {158, 218, 229}, {100, 125, 154},
    {178, 127, 135}, {120, 185, 128}, {146, 111, 194}, {44, 160, 44},   {112, 128, 144},
    {96, 207, 209},  {227, 119, 194}, {213, 92, 176},  {94, 106, 211},  {82, 84, 163},
    {100, 85, 144}};

// Tableau 20: ten hues, each dark then light, so neighbouring ids differ strongly.
constexpr Rgb8 kTableau20[20] = {
    {31, 119, 180},  {174, 199, 232}, {255, 127, 14},  {255, 187, 120}, {44, 160, 44},
    {152, 223, 138}, {214, 39, 40},   {255, 152, 150}, {148, 103, 189}, {197, 176, 213},
    {140, 86, 75},   {196, 156, 148}, {227, 119, 194}, {247, 182, 210}, {127, 127, 127},
    {199, 199, 199}, {188, 189, 34},  {219, 219, 141}, {23, 190, 207},  {158, 218, 229}};
} // namespace

Rgb8 nyu40Color(int nyu40Id) {
    if (nyu40Id <= 0 || nyu40Id > 40)
        return kUnannotatedColor;
    return kNyu40Palette[nyu40Id];
}

Rgb8 instanceColor(int instanceId) {
    if (instanceId <= 0)
        return kUnannotatedColor;
    // Step by 3 (coprime with 20) so consecutive ids are not light/dark twins of one hue.
    return kTableau20[(instanceId * 3) % 20];
}

} // namespace scenelens
