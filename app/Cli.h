#pragma once
// Headless subcommands of the scenelens executable. Each returns the process exit code and prints
// errors to stderr as "scenelens <command>: <message>".

namespace scenelens::embed {
struct ProjectionOptions;
}

namespace scenelens::cli {

struct Arguments;

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

/// `scenelens bundle-info DIR [--json] [--device D]`: a model bundle's manifest, warnings,
/// methods, parameter count, the device it would run on and the LibTorch build.
int runBundleInfo(int argc, char** argv);

/// `scenelens encode --bundle DIR --scene DIR [--scene DIR...] --out FILE.npy [--device D]
/// [--seed S] [--labels TSV]`: object embeddings [sum K, E] to FILE.npy, per-object metadata to
/// FILE.json and scene embeddings [scenes, E] to FILE.scenes.npy.
int runEncode(int argc, char** argv);

/// `scenelens ask --bundle DIR --scene DIR --question TEXT [--situation TEXT] [--top-k K]
/// [--json] [--device D] [--seed S] [--labels TSV]`: answers and localised objects of a qa model.
int runAsk(int argc, char** argv);

/// `scenelens eval-qa --bundle DIR --questions FILE [--annotations FILE] --scans DIR
/// [--out PRED.json] [--json] [--top-k K] [--device D] [--seed S] [--labels TSV]`: answers every
/// ScanQA question (SQA3D with --annotations) whose scene is in --scans, prints the counts and
/// metrics, and writes ScanQA-shaped predictions.
int runEvalQa(int argc, char** argv);

/// `scenelens plot --in X.npy [--meta M.csv|M.json] [--modality M] --method pca|tsne|umap
/// --out FIG.svg|pdf|png [projection options as for project] [--color-by COL] [--colormap MAP]
/// [--title T] [--size WxH] [--point-size S] [--opacity O] [--scale F] [--transparent] [--axes]
/// [--no-legend] [--metrics]`: projects embeddings and writes the figure (format by suffix).
int runPlot(int argc, char** argv);

/// The projection options of --method, --dims, --perplexity, --neighbors, --min-dist, --metric
/// and --seed, shared by project and plot; throws UsageError.
embed::ProjectionOptions projectionOptions(const Arguments& args);

/// Usage of the GUI and every subcommand.
const char* usage();

} // namespace scenelens::cli
