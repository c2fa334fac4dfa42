#include "RoomPlans.h"

namespace scenelens::synth {

namespace {

using K = Kind;
using R = Rule;

// Every plan starts with the door (step 0) and the windows (step 1). Columns: rule, kinds,
// anchor step, count range, probability, gap to the anchor, each anchor, match width.

RoomPlan bedroom() {
    return {{3.4f, 5.5f},
            {3.2f, 5.f},
            {
                {R::Door, {K::Door}},
                {R::Window, {K::Window}, -1, 1, 2},
                {R::WindowSide, {K::Curtain}, 1, 2, 2, 0.8f},
                {R::Wall, {K::Headboard}}, // 3
                {R::InFront, {K::Bed}, 3, 1, 1, 1.f, {0.03f, 0.035f}, true, true},
                {R::Beside, {K::Nightstand}, 3, 1, 2}, // 5
                {R::On, {K::Lamp}, 5, 1, 1, 0.8f},
                {R::On, {K::Pillow}, 4, 1, 2},
                {R::Wall, {K::Desk}, -1, 1, 1, 0.6f}, // 8
                {R::Facing, {K::Chair, K::OfficeChair}, 8, 1, 1, 1.f, {0.05f, 0.2f}},
                {R::On, {K::Lamp, K::BookStack, K::Cup}, 8, 1, 2},
                {R::Wall, {K::Dresser, K::Cabinet}, -1, 1, 1, 0.6f}, // 11
                {R::On, {K::Box, K::BookStack, K::Lamp}, 11, 1, 1, 0.5f},
                {R::Wall, {K::Picture}, -1, 1, 2},
                {R::Corner, {K::TrashCan}, -1, 1, 1, 0.4f},
                {R::Wall, {K::Bookshelf}, -1, 1, 1, 0.3f}, // 15
                {R::On, {K::BookStack, K::Box}, 15, 1, 1, 0.7f},
                {R::Wall, {K::Box}, -1, 1, 1, 0.3f},
                {R::UnderWindow, {K::Radiator}, 1, 1, 1, 0.3f, {}, false},
            }};
}

RoomPlan kitchen() {
    return {{3.4f, 6.f},
            {3.f, 5.f},
            {
                {R::Door, {K::Door}},
                {R::Window, {K::Window}, -1, 1, 2},
                {R::WindowSide, {K::Curtain}, 1, 2, 2, 0.3f},
                {R::Corner, {K::Counter}, -1, 1, 2}, // 3
                {R::On, {K::Sink}, 3, 1, 1, 1.f, {}, false},
                {R::On, {K::Microwave, K::Cup, K::Box}, 3, 1, 2},
                {R::Above, {K::KitchenCabinet}, 3, 1, 2},
                {R::Wall, {K::Refrigerator}},
                {R::Center, {K::DiningTable, K::Table}, -1, 1, 1, 0.9f}, // 8
                {R::Around, {K::Chair}, 8, 2, 4, 1.f, {0.05f, 0.15f}},
                {R::On, {K::Cup, K::BookStack}, 8, 1, 2, 0.5f},
                {R::Corner, {K::TrashCan}, -1, 1, 1, 0.7f},
                {R::Wall, {K::Picture}, -1, 1, 1, 0.4f},
                {R::UnderWindow, {K::Radiator}, 1, 1, 1, 0.3f, {}, false},
            }};
}

RoomPlan office() {
    return {{3.8f, 7.f},
            {3.5f, 6.f},
            {
                {R::Door, {K::Door}},
                {R::Window, {K::Window}, -1, 1, 2},
                {R::UnderWindow, {K::Radiator}, 1, 1, 1, 0.5f, {}, false},
                {R::Wall, {K::Desk}, -1, 1, 3}, // 3
                {R::Facing, {K::OfficeChair}, 3, 1, 1, 1.f, {0.1f, 0.25f}},
                {R::On, {K::Monitor}, 3, 1, 1, 0.9f},
                {R::On, {K::Keyboard}, 3, 1, 1, 0.7f},
                {R::On, {K::Lamp, K::Cup, K::BookStack}, 3, 1, 2, 0.7f},
                {R::Wall, {K::Bookshelf}, -1, 1, 2}, // 8
                {R::On, {K::BookStack, K::Box}, 8, 1, 1, 0.7f},
                {R::Wall, {K::FileCabinet}, -1, 1, 1, 0.8f},
                {R::Corner, {K::TrashCan}},
                {R::Wall, {K::Picture}, -1, 1, 2, 0.7f},
                {R::Corner, {K::Plant}, -1, 1, 1, 0.5f},
                {R::Center, {K::Table}, -1, 1, 1, 0.35f}, // 14
                {R::Around, {K::Chair}, 14, 2, 4, 1.f, {0.05f, 0.15f}},
            }};
}

RoomPlan bathroom() {
    return {{2.8f, 3.8f},
            {2.6f, 3.4f},
            {
                {R::Door, {K::Door}},
                {R::Window, {K::Window}},
                {R::Corner, {K::Bathtub}}, // 2
                {R::InFront, {K::ShowerCurtain}, 2, 1, 1, 1.f, {0.03f, 0.04f}, true, true},
                {R::Wall, {K::Toilet}}, // 4
                {R::Above, {K::BathroomCabinet}, 4, 1, 1, 0.4f},
                {R::Wall, {K::BathroomVanity}}, // 6
                {R::On, {K::Sink}, 6},
                {R::Above, {K::Mirror}, 6, 1, 1, 0.9f},
                {R::Wall, {K::TrashCan}, -1, 1, 1, 0.5f},
                {R::UnderWindow, {K::Radiator}, 1, 1, 1, 0.3f, {}, false},
            }};
}

RoomPlan livingRoom() {
    return {{4.5f, 7.f},
            {4.f, 6.f},
            {
                {R::Door, {K::Door}},
                {R::Window, {K::Window}, -1, 1, 2},
                {R::WindowSide, {K::Curtain}, 1, 2, 2, 0.85f},
                {R::Wall, {K::Couch}},                                      // 3
                {R::Facing, {K::CoffeeTable}, 3, 1, 1, 1.f, {0.35f, 0.5f}}, // 4
                {R::Around, {K::Armchair}, 4, 1, 2, 1.f, {0.3f, 0.5f}},
                {R::On, {K::Cup, K::BookStack}, 4, 1, 2, 0.8f},
                {R::Beside, {K::EndTable}, 3, 1, 1, 0.6f}, // 7
                {R::On, {K::Lamp}, 7},
                {R::Wall, {K::TvStand}}, // 9
                {R::On, {K::Tv}, 9},
                {R::Wall, {K::Bookshelf}, -1, 1, 1, 0.6f}, // 11
                {R::On, {K::BookStack, K::Box}, 11, 1, 1, 0.6f},
                {R::Wall, {K::Picture}, -1, 1, 2},
                {R::Corner, {K::Plant}, -1, 1, 1, 0.5f},
                {R::Corner, {K::FloorLamp}, -1, 1, 1, 0.4f},
                {R::Wall, {K::Ottoman}, -1, 1, 1, 0.3f},
                {R::UnderWindow, {K::Radiator}, 1, 1, 1, 0.3f, {}, false},
            }};
}

} // namespace

const RoomPlan& roomPlan(RoomType type) {
    static const RoomPlan plans[] = {bedroom(), kitchen(), office(), bathroom(), livingRoom()};
    return plans[int(type)];
}

} // namespace scenelens::synth
