#include "store/Hdf5.h"

#include "Error.h"

#include <algorithm>
#include <cstring>

namespace scenelens::store::h5 {

namespace {

/// Throws FileError(file, doing, innermost HDF5 message).
[[noreturn]] void fail(const std::string& file, const std::string& doing) {
    const std::string message = innermostError();
    throw FileError(file, doing, message.empty() ? "HDF5 call failed" : message);
}

herr_t keepInnermost(unsigned depth, const H5E_error2_t* error, void* data) {
    auto* message = static_cast<std::string*>(data);
    if (message->empty() && error->desc && *error->desc)
        *message = error->desc;
    (void)depth;
    return 0;
}

/// "/embeddings/clip" + "vectors" -> "/embeddings/clip/vectors".
std::string childPath(hid_t parent, const std::string& name) {
    const std::string path = objectPath(parent);
    return (path == "/" ? "" : path) + "/" + name;
}

/// Builds "doing" for an attribute of object before any call that could clear the error stack.
std::string attributeTask(const char* verb, hid_t object, const std::string& name) {
    return std::string(verb) + " attribute '" + name + "' of " + objectPath(object);
}

Handle stringType(const Handle& like, const std::string& file, const std::string& doing) {
    Handle type(H5Tcopy(H5T_C_S1), file, doing);
    check(H5Tset_size(type.get(), H5T_VARIABLE), file, doing);
    const H5T_cset_t cset = like ? H5Tget_cset(like.get()) : H5T_CSET_UTF8;
    check(H5Tset_cset(type.get(), cset), file, doing);
    return type;
}

/// Text from a fixed-length string buffer: up to the first NUL, trailing spaces dropped when the
/// type pads with spaces.
std::string fixedText(const char* bytes, std::size_t size, H5T_str_t padding) {
    std::size_t length = std::find(bytes, bytes + size, '\0') - bytes;
    if (padding == H5T_STR_SPACEPAD)
        while (length > 0 && bytes[length - 1] == ' ')
            --length;
    return std::string(bytes, length);
}

/// A transfer property list whose type-conversion buffer fits `elements` elements: HDF5's default
/// allocates and clears megabytes on every converting read or write, which dominates the time of
/// the many small metadata writes of a streamed set.
Handle conversionTransfer(std::size_t elements, const std::string& file, const std::string& doing) {
    constexpr std::size_t kLargestElementBytes = 32; // a variable-length string on disk: 16
    Handle transfer(H5Pcreate(H5P_DATASET_XFER), file, doing);
    check(H5Pset_buffer(transfer.get(), std::max<std::size_t>(elements, 1) * kLargestElementBytes,
                        nullptr, nullptr),
          file, doing);
    return transfer;
}

/// Reads every string of an attribute (isAttribute) or of a selection of a dataset.
std::vector<std::string> readStrings(hid_t object, bool isAttribute, hid_t memorySpace,
                                     hid_t fileSpace, std::size_t count, const std::string& file,
                                     const std::string& doing) {
    Handle fileType(isAttribute ? H5Aget_type(object) : H5Dget_type(object), file, doing);
    if (H5Tget_class(fileType.get()) != H5T_STRING)
        throw FileError(file, doing, "expected text");
    std::vector<std::string> values;
    values.reserve(count);
    if (count == 0)
        return values;
    const htri_t variable = check(H5Tis_variable_str(fileType.get()), file, doing);
    if (variable > 0) {
        Handle memoryType = stringType(fileType, file, doing);
        std::vector<char*> pointers(count, nullptr);
        check(isAttribute ? H5Aread(object, memoryType.get(), pointers.data())
                          : H5Dread(object, memoryType.get(), memorySpace, fileSpace,
                                    conversionTransfer(count, file, doing).get(), pointers.data()),
              file, doing);
        for (char* text : pointers)
            values.emplace_back(text ? text : "");
        check(H5Dvlen_reclaim(memoryType.get(), memorySpace, H5P_DEFAULT, pointers.data()), file,
              doing);
        return values;
    }
    const std::size_t size = H5Tget_size(fileType.get());
    const H5T_str_t padding = H5Tget_strpad(fileType.get());
    Handle memoryType(H5Tcopy(fileType.get()), file, doing);
    std::vector<char> bytes(count * size);
    check(isAttribute ? H5Aread(object, memoryType.get(), bytes.data())
                      : H5Dread(object, memoryType.get(), memorySpace, fileSpace,
                                conversionTransfer(count, file, doing).get(), bytes.data()),
          file, doing);
    for (std::size_t i = 0; i < count; ++i)
        values.push_back(fixedText(bytes.data() + i * size, size, padding));
    return values;
}

Handle createAttribute(hid_t object, const std::string& name, hid_t type, hid_t space,
                       const std::string& file, const std::string& doing) {
    if (check(H5Aexists(object, name.c_str()), file, doing) > 0)
        check(H5Adelete(object, name.c_str()), file, doing);
    return Handle(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), file,
                  doing);
}

struct OpenAttribute {
    Handle attribute, space;
    std::size_t points = 0;
};

OpenAttribute openAttribute(hid_t object, const std::string& name, const std::string& file,
                            const std::string& doing) {
    if (check(H5Aexists(object, name.c_str()), file, doing) <= 0)
        throw FileError(file, doing, "no such attribute");
    OpenAttribute opened;
    opened.attribute = Handle(H5Aopen(object, name.c_str(), H5P_DEFAULT), file, doing);
    opened.space = Handle(H5Aget_space(opened.attribute.get()), file, doing);
    const hssize_t points = H5Sget_simple_extent_npoints(opened.space.get());
    if (points < 0)
        fail(file, doing);
    opened.points = std::size_t(points);
    return opened;
}

H5T_class_t attributeClass(const OpenAttribute& opened, const std::string& file,
                           const std::string& doing) {
    Handle type(H5Aget_type(opened.attribute.get()), file, doing);
    return H5Tget_class(type.get());
}

Handle createColumn(hid_t parent, const std::string& name, hid_t fileType, hsize_t chunkRows,
                    int level, bool shuffle, const std::string& file) {
    const std::string doing = "creating " + childPath(parent, name);
    const hsize_t initial = 0, unlimited = H5S_UNLIMITED;
    Handle space(H5Screate_simple(1, &initial, &unlimited), file, doing);
    Handle properties(H5Pcreate(H5P_DATASET_CREATE), file, doing);
    check(H5Pset_chunk(properties.get(), 1, &chunkRows), file, doing);
    if (level > 0) {
        if (shuffle)
            check(H5Pset_shuffle(properties.get()), file, doing);
        check(H5Pset_deflate(properties.get(), unsigned(level)), file, doing);
    }
    return Handle(H5Dcreate2(parent, name.c_str(), fileType, space.get(), H5P_DEFAULT,
                             properties.get(), H5P_DEFAULT),
                  file, doing);
}

/// Extends a column to first + count entries; returns its file space with [first, +count) selected.
Handle extendColumn(hid_t column, hsize_t first, hsize_t count, const std::string& file,
                    const std::string& doing) {
    const hsize_t size = first + count;
    check(H5Dset_extent(column, &size), file, doing);
    Handle space(H5Dget_space(column), file, doing);
    selectRows(space.get(), first, count, file);
    return space;
}

struct LinkCollector {
    std::vector<std::string>* names;
};

herr_t collectLink(hid_t group, const char* name, const H5L_info_t* info, void* data) {
    static_cast<LinkCollector*>(data)->names->emplace_back(name);
    (void)group;
    (void)info;
    return 0;
}

std::vector<std::string> linkNamesIn(hid_t parent, H5_index_t index, const std::string& file) {
    const std::string doing = "listing " + objectPath(parent);
    std::vector<std::string> names;
    LinkCollector collector{&names};
    hsize_t position = 0;
    check(H5Literate(parent, index, H5_ITER_INC, &position, collectLink, &collector), file, doing);
    return names;
}

} // namespace

void silenceErrorPrinting() {
    thread_local bool silenced = false;
    if (silenced)
        return;
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    silenced = true;
}

std::string innermostError() {
    std::string message;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keepInnermost, &message);
    return message;
}

herr_t check(herr_t status, const std::string& file, const std::string& doing) {
    if (status < 0)
        fail(file, doing);
    return status;
}

Handle::Handle(hid_t id, const std::string& file, const std::string& doing) : id_(id) {
    if (id < 0)
        fail(file, doing);
}

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        reset();
        id_ = other.id_;
        other.id_ = H5I_INVALID_HID;
    }
    return *this;
}

void Handle::reset() {
    if (id_ >= 0)
        H5Idec_ref(id_);
    id_ = H5I_INVALID_HID;
}

std::string objectPath(hid_t object) {
    const ssize_t length = H5Iget_name(object, nullptr, 0);
    if (length <= 0)
        return "?";
    std::string path(std::size_t(length) + 1, '\0');
    H5Iget_name(object, path.data(), path.size());
    path.resize(std::size_t(length));
    return path;
}

Handle createOrderedGroup(hid_t parent, const std::string& name, const std::string& file) {
    const std::string doing = "creating " + childPath(parent, name);
    Handle properties(H5Pcreate(H5P_GROUP_CREATE), file, doing);
    check(
        H5Pset_link_creation_order(properties.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        file, doing);
    return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                  file, doing);
}

Handle openGroup(hid_t parent, const std::string& name, const std::string& file) {
    const std::string doing = "opening " + childPath(parent, name);
    return Handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), file, doing);
}

Handle openDataset(hid_t parent, const std::string& name, const std::string& file) {
    const std::string doing = "opening " + childPath(parent, name);
    return Handle(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), file, doing);
}

bool hasLink(hid_t parent, const std::string& name, const std::string& file) {
    if (parent < 0)
        return false;
    const std::string doing = "looking for " + childPath(parent, name);
    return check(H5Lexists(parent, name.c_str(), H5P_DEFAULT), file, doing) > 0;
}

std::vector<std::string> linkNames(hid_t parent, const std::string& file) {
    const std::string doing = "listing " + objectPath(parent);
    Handle properties(H5Gget_create_plist(parent), file, doing);
    unsigned order = 0;
    check(H5Pget_link_creation_order(properties.get(), &order), file, doing);
    const bool indexed = (order & H5P_CRT_ORDER_INDEXED) != 0;
    return linkNamesIn(parent, indexed ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME, file);
}

std::vector<std::string> linkNamesByName(hid_t parent, const std::string& file) {
    return linkNamesIn(parent, H5_INDEX_NAME, file);
}

std::vector<hsize_t> datasetShape(hid_t dataset, const std::string& file) {
    const std::string doing = "reading the shape of " + objectPath(dataset);
    Handle space(H5Dget_space(dataset), file, doing);
    const int rank = check(H5Sget_simple_extent_ndims(space.get()), file, doing);
    std::vector<hsize_t> shape(static_cast<std::size_t>(rank));
    check(H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr), file, doing);
    return shape;
}

bool hasAttribute(hid_t object, const std::string& name, const std::string& file) {
    const std::string doing = attributeTask("looking for", object, name);
    return check(H5Aexists(object, name.c_str()), file, doing) > 0;
}

void writeStringAttribute(hid_t object, const std::string& name, const std::string& value,
                          const std::string& file) {
    const std::string doing = attributeTask("writing", object, name);
    Handle type = stringType(Handle(), file, doing);
    Handle space(H5Screate(H5S_SCALAR), file, doing);
    Handle attribute = createAttribute(object, name, type.get(), space.get(), file, doing);
    const char* text = value.c_str();
    check(H5Awrite(attribute.get(), type.get(), &text), file, doing);
}

void writeStringListAttribute(hid_t object, const std::string& name,
                              const std::vector<std::string>& values, const std::string& file) {
    const std::string doing = attributeTask("writing", object, name);
    Handle type = stringType(Handle(), file, doing);
    const hsize_t count = values.size();
    Handle space(H5Screate_simple(1, &count, nullptr), file, doing);
    Handle attribute = createAttribute(object, name, type.get(), space.get(), file, doing);
    std::vector<const char*> texts;
    for (const std::string& value : values)
        texts.push_back(value.c_str());
    check(H5Awrite(attribute.get(), type.get(), texts.data()), file, doing);
}

void writeIntAttribute(hid_t object, const std::string& name, std::int32_t value,
                       const std::string& file) {
    const std::string doing = attributeTask("writing", object, name);
    Handle space(H5Screate(H5S_SCALAR), file, doing);
    Handle attribute = createAttribute(object, name, H5T_STD_I32LE, space.get(), file, doing);
    check(H5Awrite(attribute.get(), H5T_NATIVE_INT32, &value), file, doing);
}

void writeFloatAttribute(hid_t object, const std::string& name, const std::vector<hsize_t>& shape,
                         const float* values, const std::string& file) {
    const std::string doing = attributeTask("writing", object, name);
    Handle space(H5Screate_simple(int(shape.size()), shape.data(), nullptr), file, doing);
    Handle attribute = createAttribute(object, name, H5T_IEEE_F32LE, space.get(), file, doing);
    check(H5Awrite(attribute.get(), H5T_NATIVE_FLOAT, values), file, doing);
}

std::string readStringAttribute(hid_t object, const std::string& name, const std::string& file) {
    const std::string doing = attributeTask("reading", object, name);
    OpenAttribute opened = openAttribute(object, name, file, doing);
    if (opened.points != 1)
        throw FileError(file, doing, "expected one text, found " + std::to_string(opened.points));
    return readStrings(opened.attribute.get(), true, opened.space.get(), H5S_ALL, 1, file, doing)
        .front();
}

std::string readOptionalStringAttribute(hid_t object, const std::string& name,
                                        const std::string& file) {
    return hasAttribute(object, name, file) ? readStringAttribute(object, name, file)
                                            : std::string();
}

std::vector<std::string> readStringListAttribute(hid_t object, const std::string& name,
                                                 const std::string& file) {
    const std::string doing = attributeTask("reading", object, name);
    OpenAttribute opened = openAttribute(object, name, file, doing);
    return readStrings(opened.attribute.get(), true, opened.space.get(), H5S_ALL, opened.points,
                       file, doing);
}

std::int64_t readIntAttribute(hid_t object, const std::string& name, const std::string& file) {
    const std::string doing = attributeTask("reading", object, name);
    OpenAttribute opened = openAttribute(object, name, file, doing);
    if (attributeClass(opened, file, doing) != H5T_INTEGER || opened.points != 1)
        throw FileError(file, doing, "expected one integer");
    std::int64_t value = 0;
    check(H5Aread(opened.attribute.get(), H5T_NATIVE_INT64, &value), file, doing);
    return value;
}

std::vector<float> readFloatAttribute(hid_t object, const std::string& name,
                                      const std::string& file) {
    const std::string doing = attributeTask("reading", object, name);
    OpenAttribute opened = openAttribute(object, name, file, doing);
    const H5T_class_t type = attributeClass(opened, file, doing);
    if (type != H5T_FLOAT && type != H5T_INTEGER)
        throw FileError(file, doing, "expected numbers");
    std::vector<float> values(opened.points);
    if (!values.empty())
        check(H5Aread(opened.attribute.get(), H5T_NATIVE_FLOAT, values.data()), file, doing);
    return values;
}

Handle createTextColumn(hid_t parent, const std::string& name, hsize_t chunkRows, int level,
                        const std::string& file) {
    Handle type = stringType(Handle(), file, "creating " + name);
    return createColumn(parent, name, type.get(), chunkRows, level, false, file);
}

Handle createNumberColumn(hid_t parent, const std::string& name, hsize_t chunkRows, int level,
                          const std::string& file) {
    return createColumn(parent, name, H5T_IEEE_F64LE, chunkRows, level, true, file);
}

void appendText(hid_t column, hsize_t first, const std::vector<std::string>& values,
                const std::string& file) {
    const std::string doing = "writing " + objectPath(column);
    const hsize_t count = values.size();
    Handle fileSpace = extendColumn(column, first, count, file, doing);
    Handle memorySpace(H5Screate_simple(1, &count, nullptr), file, doing);
    Handle type = stringType(Handle(), file, doing);
    std::vector<const char*> texts;
    texts.reserve(values.size());
    for (const std::string& value : values)
        texts.push_back(value.c_str());
    check(H5Dwrite(column, type.get(), memorySpace.get(), fileSpace.get(),
                   conversionTransfer(values.size(), file, doing).get(), texts.data()),
          file, doing);
}

void appendNumbers(hid_t column, hsize_t first, const std::vector<double>& values,
                   const std::string& file) {
    const std::string doing = "writing " + objectPath(column);
    const hsize_t count = values.size();
    Handle fileSpace = extendColumn(column, first, count, file, doing);
    Handle memorySpace(H5Screate_simple(1, &count, nullptr), file, doing);
    check(H5Dwrite(column, H5T_NATIVE_DOUBLE, memorySpace.get(), fileSpace.get(),
                   conversionTransfer(values.size(), file, doing).get(), values.data()),
          file, doing);
}

H5T_class_t elementClass(hid_t dataset, const std::string& file) {
    const std::string doing = "reading the type of " + objectPath(dataset);
    Handle type(H5Dget_type(dataset), file, doing);
    return H5Tget_class(type.get());
}

std::vector<std::string> readText(hid_t column, hsize_t first, hsize_t count,
                                  const std::string& file) {
    const std::string doing = "reading " + objectPath(column);
    Handle fileSpace(H5Dget_space(column), file, doing);
    selectRows(fileSpace.get(), first, count, file);
    const hsize_t memoryCount = std::max<hsize_t>(count, 1);
    Handle memorySpace(H5Screate_simple(1, &memoryCount, nullptr), file, doing);
    return readStrings(column, false, memorySpace.get(), fileSpace.get(), count, file, doing);
}

std::vector<double> readNumbers(hid_t column, hsize_t first, hsize_t count,
                                const std::string& file) {
    const std::string doing = "reading " + objectPath(column);
    const H5T_class_t type = elementClass(column, file);
    if (type != H5T_FLOAT && type != H5T_INTEGER)
        throw FileError(file, doing, "expected numbers");
    std::vector<double> values(count);
    if (count == 0)
        return values;
    Handle fileSpace(H5Dget_space(column), file, doing);
    selectRows(fileSpace.get(), first, count, file);
    Handle memorySpace(H5Screate_simple(1, &count, nullptr), file, doing);
    check(H5Dread(column, H5T_NATIVE_DOUBLE, memorySpace.get(), fileSpace.get(),
                  conversionTransfer(count, file, doing).get(), values.data()),
          file, doing);
    return values;
}

void selectRows(hid_t space, hsize_t first, hsize_t count, const std::string& file) {
    const std::string doing = "selecting rows";
    const int rank = check(H5Sget_simple_extent_ndims(space), file, doing);
    std::vector<hsize_t> shape(std::size_t(std::max(rank, 1)));
    check(H5Sget_simple_extent_dims(space, shape.data(), nullptr), file, doing);
    std::vector<hsize_t> start(shape.size(), 0), extent = shape;
    start[0] = first;
    extent[0] = count;
    check(H5Sselect_hyperslab(space, H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr),
          file, doing);
}

} // namespace scenelens::store::h5
