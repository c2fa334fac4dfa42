#pragma once
// The project file (*.slh5): scenes, embedding sets, projections and the app's session state in
// one HDF5 file that h5py reads without SceneLens (schema: docs/project-files.md).
//
// Files are never modified in place. A ProjectWriter builds the new version in a temporary file
// beside the target and renames it over the target on commit(), so a crash or a kill at any moment
// leaves the previous version intact. Unchanged sets are copied chunk by chunk without
// recompressing them, so rewriting a file costs little more than copying it.

#include "Error.h"
#include "Progress.h"
#include "embed/EmbeddingSet.h"
#include "embed/Metrics.h"
#include "embed/Projection.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace scenelens::store {

/// The schema version this build writes and the newest it reads (root attribute format_version).
inline constexpr int kFormatVersion = 1;

/// /scenes/<id>: where a scene was loaded from.
struct StoredScene {
    std::string id;         ///< e.g. scene0000_00
    std::string sourcePath; ///< the scene folder or .ply it was loaded from
    /// Row-major 4x4 axis alignment (identity when the scene has none).
    std::array<float, 16> axisAlignment{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
};

/// What a set is, read from its attributes and shapes without reading its rows.
struct SetInfo {
    std::string name, modality, space, model, created;
    std::int64_t rows = 0;
    int dims = 0;
    std::vector<std::string> textColumns, numberColumns; ///< sorted by name
};

/// /projections/<name>: coordinates and how they were made.
struct StoredProjection {
    std::string name;
    /// Names of the sets under /embeddings whose rows, concatenated in this order, were projected.
    std::vector<std::string> inputSets;
    std::vector<float> coords; ///< rows x dims, row-major
    std::int64_t rows = 0;
    int dims = 2;
    embed::ProjectionOptions options;
    std::string title, details;
    embed::MetricReport metrics;
    /// JSON the app keeps with the projection (colouring, point size, ...); opaque to the store.
    std::string viewState;
};

/// How vectors are stored: chunks of whole rows, byte shuffle + deflate, compressed by `threads`
/// threads (0: one per core).
struct StorageOptions {
    int chunkBytes = 1 << 20; ///< target bytes per chunk of vectors (at least one row)
    int deflateLevel = 1;     ///< 0 stores uncompressed, 1..9 as zlib
    int threads = 0;
};

/// A project file opened for reading. Reads only what is asked for: listing reads attributes,
/// readRows() reads the chunks holding those rows.
class ProjectStore {
public:
    /// Throws FileError naming `path` when it is missing, not HDF5, truncated or damaged, not a
    /// SceneLens project, or written by a newer format version ("written by a newer SceneLens
    /// (format 2); this build reads format 1").
    explicit ProjectStore(const std::string& path);
    ~ProjectStore();
    ProjectStore(ProjectStore&&) noexcept;
    ProjectStore& operator=(ProjectStore&&) noexcept;

    const std::string& path() const;
    int formatVersion() const;

    /// In the order they were written.
    std::vector<StoredScene> scenes() const;
    std::vector<SetInfo> sets() const;
    std::vector<std::string> projectionNames() const;

    bool hasSet(const std::string& name) const;
    /// Throws FileError when there is no such set.
    SetInfo setInfo(const std::string& name) const;
    /// The whole set with its metadata and attributes.
    embed::EmbeddingSet readSet(const std::string& name, ProgressSink* progress = nullptr) const;
    /// Rows [first, first + count) with their metadata (name and attributes as the set's). Throws
    /// std::out_of_range when the range leaves the set.
    embed::EmbeddingSet readRows(const std::string& name, std::int64_t first,
                                 std::int64_t count) const;

    StoredProjection readProjection(const std::string& name) const;
    /// The app's session state (JSON text of /session's "state" attribute), "" when absent.
    std::string session() const;

private:
    friend class ProjectWriter;
    struct Impl;
    std::unique_ptr<Impl> d_;
};

class ProjectWriter;

/// Streams one set's rows into a ProjectWriter so that memory stays bounded by a few chunks,
/// whatever the number of rows. Obtained from ProjectWriter::beginSet(). Destroying a stream
/// before finish() drops its set from the file.
class SetStream {
public:
    ~SetStream();
    SetStream(SetStream&&) noexcept;
    SetStream& operator=(SetStream&&) noexcept;

    /// Appends block.rows rows. The block must have the dims and exactly the text and number
    /// columns of the header given to beginSet(); its name and attributes are ignored. Throws
    /// std::invalid_argument otherwise (and for NaN or Inf values).
    void append(const embed::EmbeddingSet& block);
    /// Writes the last partial chunk and the attributes; the set is complete only after this.
    void finish();
    std::int64_t rowsWritten() const;

private:
    friend class ProjectWriter;
    struct Impl;
    explicit SetStream(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d_;
};

/// Writes a new version of a project file. Everything goes to a temporary file in the target's
/// folder; commit() flushes it to disk and atomically renames it over the target. Destroying a
/// writer that was not committed deletes the temporary file and leaves the target untouched.
/// Temporary files left by killed processes are removed by the next writer of the same target.
class ProjectWriter {
public:
    /// Throws FileError when the target's folder cannot be written.
    explicit ProjectWriter(const std::string& target, StorageOptions options = {});
    ~ProjectWriter();
    ProjectWriter(const ProjectWriter&) = delete;
    ProjectWriter& operator=(const ProjectWriter&) = delete;

    /// The temporary file being written (for tests and messages).
    const std::string& temporaryPath() const;

    void writeScene(const StoredScene& scene);
    /// Writes a whole set (validate()d; an empty set with rows = 0 is allowed). Its `created`
    /// attribute is the set's own, or now (UTC, ISO 8601) when empty. Throws std::invalid_argument
    /// when a set of that name was already written to this file.
    void writeSet(const embed::EmbeddingSet& set, ProgressSink* progress = nullptr);
    /// Starts a set whose rows come in blocks: `header` gives the name, attributes, dims and the
    /// metadata columns (their values are ignored). One stream at a time: throws std::logic_error
    /// while another is unfinished, std::invalid_argument for a name already written.
    SetStream beginSet(const embed::EmbeddingSet& header);
    /// Copies a set from another file as stored: compressed chunks are copied, not recompressed.
    void copySet(const ProjectStore& from, const std::string& name);
    void writeProjection(const StoredProjection& projection);
    void copyProjection(const ProjectStore& from, const std::string& name);
    void writeSession(const std::string& json);

    /// Closes the temporary file, flushes it to disk and renames it over the target. Throws
    /// FileError when that fails (the target is then left as it was), std::logic_error while a
    /// SetStream is unfinished. The writer takes no more calls afterwards (std::logic_error).
    void commit();

private:
    friend class SetStream;
    struct Impl;
    std::unique_ptr<Impl> d_;
};

/// Single-set edits of the file at `path`, each one atomic (a new version is written and renamed).
/// appendSet creates the file when it does not exist and throws std::invalid_argument when a set
/// of that name exists; replaceSet writes or replaces; deleteSet throws std::invalid_argument when
/// there is no such set. Scenes, other sets, projections and the session are kept.
void appendSet(const std::string& path, const embed::EmbeddingSet& set,
               StorageOptions options = {});
void replaceSet(const std::string& path, const embed::EmbeddingSet& set,
                StorageOptions options = {});
void deleteSet(const std::string& path, const std::string& name, StorageOptions options = {});

} // namespace scenelens::store
