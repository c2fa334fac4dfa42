#pragma once
// Headless subcommands of the scenelens executable. Each returns the process exit code and prints
// errors to stderr as "scenelens <command>: <message>".

namespace scenelens::cli {

/// `scenelens info --scene DIR [--labels TSV] [--json]`: counts and the object list.
int runInfo(int argc, char** argv);

/// `scenelens render --scene DIR --out FILE.png [--size WxH] [--color-by rgb|instance|class]
/// [--boxes] [--labels TSV]`: renders the scene off-screen (needs an X display, e.g. xvfb-run).
int runRender(int argc, char** argv);

/// `scenelens render-views --scene DIR --out DIR [--views N] [--size S|WxH] [--color-by MODE]
/// [--labels TSV]`: renders views from cameras inside the room into ScanNet's exported-frames
/// layout (color/, pose/, intrinsic/); needs an X display like render.
int runRenderViews(int argc, char** argv);

/// `scenelens synth --out DIR [--scenes N] [--seed S] [--renders V] [--size S] [--noise-mm M]`:
/// writes the synthetic dataset (scans/, questions/, meta/), with V rendered views per scene.
int runSynth(int argc, char** argv);

/// `scenelens project --in X.npy --method pca|tsne|umap --out Y.npy [--dims 2|3] [--perplexity P]
/// [--neighbors K] [--min-dist D] [--metric euclidean|cosine] [--seed S] [--labels L.npy]
/// [--metrics [--queries Q.npy --query-labels QL.npy]]`: projects embeddings; --metrics prints one
/// `name value` line per quality metric, and with --queries the cross-modal Recall@1/5/10 between
/// the query rows (e.g. CLIP text embeddings of class prompts) and the input rows, both ways.
int runProject(int argc, char** argv);

/// Usage of the GUI and every subcommand.
const char* usage();

} // namespace scenelens::cli
