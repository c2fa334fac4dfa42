#pragma once
// Where the tests find the shared real data (../shared/data) and scratch space.

#include <QString>

namespace scenelens::test {

/// Absolute path of ../shared/data, or an empty string when it is absent.
QString sharedDataDir();
/// The real ScanNet scene folder scene0000_00, or empty when absent.
QString realSceneDir();
/// scannetv2-labels.combined.tsv, or empty when absent.
QString labelTablePath();

} // namespace scenelens::test

/// Skips the current test when the shared real scene is not available.
#define SCENELENS_REQUIRE_REAL_SCENE()                                                             \
    do {                                                                                           \
        if (scenelens::test::realSceneDir().isEmpty())                                             \
            QSKIP("../shared/data/scannet/scans/scene0000_00 is absent");                          \
    } while (false)
