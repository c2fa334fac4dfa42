#pragma once
// Private to core/store: HDF5 handles that close themselves and calls that turn HDF5 failures into
// FileError naming the file, what was being done and HDF5's innermost message.

#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace scenelens::store::h5 {

/// Turns off HDF5's printing of error stacks to stderr. The thread-safe HDF5 keeps that setting
/// per thread, so every entry point calls this; it does the work once per thread.
void silenceErrorPrinting();

/// The innermost message of this thread's HDF5 error stack ("" when empty).
std::string innermostError();

/// Returns status, or throws FileError when it is negative (HDF5's failure value).
herr_t check(herr_t status, const std::string& file, const std::string& doing);

/// Any HDF5 identifier (file, group, dataset, dataspace, type, property list, attribute); drops
/// its reference when destroyed, which closes the object when nothing else holds it.
class Handle {
public:
    Handle() = default;
    /// Takes ownership of id; throws FileError when id is negative (the call that made it failed).
    Handle(hid_t id, const std::string& file, const std::string& doing);
    ~Handle() { reset(); }
    Handle(Handle&& other) noexcept : id_(other.id_) { other.id_ = H5I_INVALID_HID; }
    Handle& operator=(Handle&& other) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    hid_t get() const { return id_; }
    explicit operator bool() const { return id_ >= 0; }
    void reset();
    /// Gives up ownership (for calls that close the object themselves, like H5Fclose).
    hid_t release() {
        const hid_t id = id_;
        id_ = H5I_INVALID_HID;
        return id;
    }

private:
    hid_t id_ = H5I_INVALID_HID;
};

/// Where an object lives in its file ("/embeddings/clip/vectors"), for messages.
std::string objectPath(hid_t object);

/// A group whose links are indexed by creation order, so that listing returns write order.
Handle createOrderedGroup(hid_t parent, const std::string& name, const std::string& file);
Handle openGroup(hid_t parent, const std::string& name, const std::string& file);
Handle openDataset(hid_t parent, const std::string& name, const std::string& file);
/// Whether parent has a link called name (false when parent is invalid).
bool hasLink(hid_t parent, const std::string& name, const std::string& file);
/// Names of parent's links in creation order when the group tracks it, else in name order.
std::vector<std::string> linkNames(hid_t parent, const std::string& file);
/// Names of parent's links in name order.
std::vector<std::string> linkNamesByName(hid_t parent, const std::string& file);

/// The extent of a dataset's dataspace.
std::vector<hsize_t> datasetShape(hid_t dataset, const std::string& file);

bool hasAttribute(hid_t object, const std::string& name, const std::string& file);
void writeStringAttribute(hid_t object, const std::string& name, const std::string& value,
                          const std::string& file);
void writeStringListAttribute(hid_t object, const std::string& name,
                              const std::vector<std::string>& values, const std::string& file);
void writeIntAttribute(hid_t object, const std::string& name, std::int32_t value,
                       const std::string& file);
/// A float32 attribute of the given shape holding values (row-major).
void writeFloatAttribute(hid_t object, const std::string& name, const std::vector<hsize_t>& shape,
                         const float* values, const std::string& file);
/// Reads fixed- or variable-length string attributes (a scalar or a list of one).
std::string readStringAttribute(hid_t object, const std::string& name, const std::string& file);
/// The attribute's text, or "" when the object has no such attribute.
std::string readOptionalStringAttribute(hid_t object, const std::string& name,
                                        const std::string& file);
std::vector<std::string> readStringListAttribute(hid_t object, const std::string& name,
                                                 const std::string& file);
std::int64_t readIntAttribute(hid_t object, const std::string& name, const std::string& file);
/// All values of a numeric attribute as float32, row-major.
std::vector<float> readFloatAttribute(hid_t object, const std::string& name,
                                      const std::string& file);

/// A one-dimensional, extendible, chunked column of length 0: variable-length UTF-8 text (deflated)
/// or float64 (shuffled and deflated); level 0 stores it uncompressed.
Handle createTextColumn(hid_t parent, const std::string& name, hsize_t chunkRows, int level,
                        const std::string& file);
Handle createNumberColumn(hid_t parent, const std::string& name, hsize_t chunkRows, int level,
                          const std::string& file);
/// Extends a column to first + values.size() entries and writes values at first.
void appendText(hid_t column, hsize_t first, const std::vector<std::string>& values,
                const std::string& file);
void appendNumbers(hid_t column, hsize_t first, const std::vector<double>& values,
                   const std::string& file);

/// The class of a column's element type: H5T_STRING, H5T_INTEGER, H5T_FLOAT, ...
H5T_class_t elementClass(hid_t dataset, const std::string& file);
/// Entries [first, first + count) of a one-dimensional string dataset, fixed or variable length.
std::vector<std::string> readText(hid_t column, hsize_t first, hsize_t count,
                                  const std::string& file);
/// Entries [first, first + count) of a one-dimensional numeric dataset, converted to double.
std::vector<double> readNumbers(hid_t column, hsize_t first, hsize_t count,
                                const std::string& file);

/// Selects rows [first, first + count) of a dataspace of shape [rows] or [rows, columns].
void selectRows(hid_t space, hsize_t first, hsize_t count, const std::string& file);

} // namespace scenelens::store::h5
