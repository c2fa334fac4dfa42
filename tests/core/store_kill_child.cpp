// store_kill_child: saves a project whose vectors follow from a seed, so that test_project_store
// can kill it at any moment and check what the target file holds afterwards.
// Usage: store_kill_child FILE SEED ROWS DIMS
// The session holds {"seed": SEED, "checksum": "<vectorsChecksum>"}: a reader can tell which
// version it found and that its vectors are whole.

#include "StoreKillData.h"
#include "store/ProjectStore.h"

#include <cstdio>
#include <exception>
#include <string>

using namespace scenelens;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: store_kill_child FILE SEED ROWS DIMS\n");
        return 2;
    }
    try {
        const std::string path = argv[1];
        const unsigned long long seed = std::stoull(argv[2]);
        embed::EmbeddingSet set;
        set.name = "vectors";
        set.modality = "object3d";
        set.rows = std::stoi(argv[3]);
        set.dims = std::stoi(argv[4]);
        set.values = test::killTestVectors(seed, set.rows, set.dims);
        auto& rowNumbers = set.numberColumns["row"];
        for (int i = 0; i < set.rows; ++i)
            rowNumbers.push_back(i);

        store::ProjectWriter writer(path);
        writer.writeScene({"scene" + std::to_string(seed), "/scans/" + std::to_string(seed)});
        writer.writeSet(set);
        writer.writeSession("{\"seed\": " + std::to_string(seed) + ", \"checksum\": \"" +
                            std::to_string(test::vectorsChecksum(set.values)) + "\"}");
        writer.commit();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "store_kill_child: %s\n", e.what());
        return 1;
    }
    return 0;
}
