#include "EmbeddingRenderer.h"

#include <QFile>
#include <QOpenGLBuffer>
#include <QOpenGLContext>
#include <QOpenGLFunctions_3_3_Core>
#include <QOpenGLShaderProgram>
#include <QOpenGLVersionFunctionsFactory>
#include <QOpenGLVertexArrayObject>

#include <algorithm>
#include <cstddef>

// Q_INIT_RESOURCE must be used outside a namespace; the shaders live in this static library.
static void initShaderResources() {
    Q_INIT_RESOURCE(shaders);
}

namespace scenelens {

namespace {

enum AttributeLocation : GLuint { kPosition = 1, kColor = 2, kFlags = 3 };

QString readShader(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read shader %1: %2").arg(path, file.errorString());
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

void setColorUniform(QOpenGLShaderProgram& program, const char* name, const QColor& color) {
    program.setUniformValue(name,
                            QVector4D(color.redF(), color.greenF(), color.blueF(), color.alphaF()));
}

} // namespace

struct EmbeddingRenderer::Impl {
    QOpenGLFunctions_3_3_Core* gl = nullptr;
    QOpenGLShaderProgram program;
    QOpenGLBuffer positions{QOpenGLBuffer::VertexBuffer};
    QOpenGLBuffer colors{QOpenGLBuffer::VertexBuffer};
    QOpenGLBuffer flags{QOpenGLBuffer::VertexBuffer};
    QOpenGLBuffer overlay{QOpenGLBuffer::VertexBuffer};
    QOpenGLVertexArrayObject pointsVao, overlayVao;
    int rows = 0, dims = 2, colorRows = 0, flagRows = 0, overlayRows = 0;
    UploadCounts uploads;
    bool initialized = false;

    bool compile(QString* error);
    void createBuffers();
    void bindPositions();
    void upload(QOpenGLBuffer& buffer, const void* data, std::size_t bytes);
    void setUniforms(const PointStyle& style);
};

bool EmbeddingRenderer::Impl::compile(QString* error) {
    initShaderResources();
    const QString vertex = readShader(QStringLiteral(":/shaders/embedding_points.vert"), error);
    const QString fragment = readShader(QStringLiteral(":/shaders/embedding_points.frag"), error);
    if (vertex.isEmpty() || fragment.isEmpty())
        return false;
    if (!program.addShaderFromSourceCode(QOpenGLShader::Vertex, vertex) ||
        !program.addShaderFromSourceCode(QOpenGLShader::Fragment, fragment) || !program.link()) {
        *error = QStringLiteral("embedding point shaders: %1").arg(program.log());
        return false;
    }
    return true;
}

void EmbeddingRenderer::Impl::createBuffers() {
    for (QOpenGLBuffer* buffer : {&positions, &colors, &flags, &overlay}) {
        buffer->create();
        buffer->setUsagePattern(QOpenGLBuffer::StaticDraw);
    }
    overlay.setUsagePattern(QOpenGLBuffer::DynamicDraw);

    pointsVao.create();
    pointsVao.bind();
    colors.bind();
    gl->glEnableVertexAttribArray(kColor);
    gl->glVertexAttribPointer(kColor, 4, GL_UNSIGNED_BYTE, GL_TRUE, 4, nullptr);
    flags.bind();
    gl->glEnableVertexAttribArray(kFlags);
    gl->glVertexAttribIPointer(kFlags, 1, GL_UNSIGNED_BYTE, 1, nullptr);
    pointsVao.release();

    overlayVao.create();
    overlayVao.bind();
    overlay.bind();
    const GLsizei stride = sizeof(OverlayPoint);
    const auto offset = [](std::size_t bytes) { return reinterpret_cast<const void*>(bytes); };
    gl->glEnableVertexAttribArray(kPosition);
    gl->glVertexAttribPointer(kPosition, 3, GL_FLOAT, GL_FALSE, stride,
                              offset(offsetof(OverlayPoint, position)));
    gl->glEnableVertexAttribArray(kColor);
    gl->glVertexAttribPointer(kColor, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                              offset(offsetof(OverlayPoint, color)));
    gl->glEnableVertexAttribArray(kFlags);
    gl->glVertexAttribIPointer(kFlags, 1, GL_UNSIGNED_BYTE, stride,
                               offset(offsetof(OverlayPoint, flags)));
    overlayVao.release();
}

void EmbeddingRenderer::Impl::bindPositions() {
    // 2-D positions leave z at the attribute default 0.
    pointsVao.bind();
    positions.bind();
    gl->glEnableVertexAttribArray(kPosition);
    gl->glVertexAttribPointer(kPosition, dims, GL_FLOAT, GL_FALSE, 0, nullptr);
    pointsVao.release();
}

void EmbeddingRenderer::Impl::upload(QOpenGLBuffer& buffer, const void* data, std::size_t bytes) {
    buffer.bind();
    buffer.allocate(data, int(bytes));
    buffer.release();
}

void EmbeddingRenderer::Impl::setUniforms(const PointStyle& style) {
    program.setUniformValue("uDataToClip", style.dataToClip);
    program.setUniformValue("uPointSize", style.pointSize);
    program.setUniformValue("uOutlineWidth", style.outlineWidth);
    program.setUniformValue("uAlpha", style.alpha);
    program.setUniformValue("uPulseScale", style.pulseScale);
    program.setUniformValue("uPixelRatio", float(style.pixelRatio));
    program.setUniformValue(
        "uViewport", QVector2D(float(style.viewport.width()), float(style.viewport.height())));
    const QRectF exclude = style.excludeClip.normalized();
    program.setUniformValue(
        "uExclude", exclude.isEmpty() ? QVector4D(0, 0, 0, 0)
                                      : QVector4D(float(exclude.left()), float(exclude.top()),
                                                  float(exclude.right()), float(exclude.bottom())));
    setColorUniform(program, "uSelectedOutline", style.selectedOutline);
    setColorUniform(program, "uHighlightOutline", style.highlightOutline);
}

EmbeddingRenderer::EmbeddingRenderer() : d_(std::make_unique<Impl>()) {}

EmbeddingRenderer::~EmbeddingRenderer() = default;

bool EmbeddingRenderer::initialize(QString* error) {
    QOpenGLContext* context = QOpenGLContext::currentContext();
    d_->gl =
        context ? QOpenGLVersionFunctionsFactory::get<QOpenGLFunctions_3_3_Core>(context) : nullptr;
    if (!d_->gl || !d_->gl->initializeOpenGLFunctions()) {
        *error = QStringLiteral("the embedding view needs OpenGL 3.3 core");
        return false;
    }
    if (!d_->compile(error))
        return false;
    d_->createBuffers();
    d_->initialized = true;
    return true;
}

bool EmbeddingRenderer::isInitialized() const {
    return d_->initialized;
}

void EmbeddingRenderer::release() {
    d_->pointsVao.destroy();
    d_->overlayVao.destroy();
    for (QOpenGLBuffer* buffer : {&d_->positions, &d_->colors, &d_->flags, &d_->overlay})
        buffer->destroy();
    d_->program.removeAllShaders();
    d_->rows = d_->colorRows = d_->flagRows = d_->overlayRows = 0;
    d_->initialized = false;
}

void EmbeddingRenderer::setPositions(const float* coords, int rows, int dims) {
    d_->rows = rows;
    d_->dims = dims;
    d_->upload(d_->positions, coords, std::size_t(rows) * dims * sizeof(float));
    d_->bindPositions();
    ++d_->uploads.positions;
}

void EmbeddingRenderer::setColors(const std::array<std::uint8_t, 4>* colors, int rows) {
    d_->colorRows = rows;
    d_->upload(d_->colors, colors, std::size_t(rows) * 4);
    ++d_->uploads.colors;
}

void EmbeddingRenderer::setFlags(const std::uint8_t* flags, int rows) {
    d_->flagRows = rows;
    d_->upload(d_->flags, flags, std::size_t(rows));
    ++d_->uploads.flags;
}

void EmbeddingRenderer::setOverlay(const std::vector<OverlayPoint>& points) {
    d_->overlayRows = int(points.size());
    d_->upload(d_->overlay, points.data(), points.size() * sizeof(OverlayPoint));
    ++d_->uploads.overlay;
}

void EmbeddingRenderer::render(const PointStyle& style) {
    QOpenGLFunctions_3_3_Core* gl = d_->gl;
    int count = std::min({d_->rows, d_->colorRows, d_->flagRows});
    if (style.pointLimit >= 0)
        count = std::min(count, style.pointLimit);
    gl->glEnable(GL_BLEND);
    // Colour blends over the background; alpha accumulates so that a transparent background
    // ends up premultiplied, as QImage expects.
    gl->glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    gl->glEnable(GL_PROGRAM_POINT_SIZE);
    d_->program.bind();
    d_->setUniforms(style);
    if (count > 0) {
        if (style.depthTest) {
            gl->glEnable(GL_DEPTH_TEST);
            gl->glDepthFunc(GL_LEQUAL);
        }
        d_->pointsVao.bind();
        gl->glDrawArrays(GL_POINTS, 0, count);
        d_->pointsVao.release();
        gl->glDisable(GL_DEPTH_TEST);
    }
    if (d_->overlayRows > 0) {
        d_->overlayVao.bind();
        gl->glDrawArrays(GL_POINTS, 0, d_->overlayRows);
        d_->overlayVao.release();
    }
    d_->program.release();
    gl->glDisable(GL_PROGRAM_POINT_SIZE);
    gl->glDisable(GL_BLEND);
}

const UploadCounts& EmbeddingRenderer::uploadCounts() const {
    return d_->uploads;
}

std::size_t EmbeddingRenderer::pointBufferBytes() const {
    return std::size_t(d_->rows) * d_->dims * sizeof(float) + std::size_t(d_->colorRows) * 4 +
           std::size_t(d_->flagRows);
}

} // namespace scenelens
