// CLIP image preprocessing without LibTorch: PNG decoding and its errors, PIL-identical bicubic
// resizing, and the whole clip.load transform (resize 224, centre crop, normalise) against PIL +
// torchvision's arithmetic run by /usr/bin/python3 on synthetic images of several shapes.

#include "Error.h"
#include "ErrorText.h"
#include "ml/ClipImagePreprocess.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <cmath>
#include <cstring>

using namespace scenelens;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

using PixelFormula = std::uint8_t (*)(int x, int y, int channel, int width, int height);

RgbImage makeImage(int width, int height, PixelFormula formula) {
    RgbImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(std::size_t(width) * height * 3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < 3; ++c)
                image.pixels[(std::size_t(y) * width + x) * 3 + c] =
                    formula(x, y, c, width, height);
    return image;
}

std::uint8_t gradient(int x, int y, int c, int w, int h) {
    const int values[] = {x * 255 / (w - 1), y * 255 / (h - 1), (x + 2 * y) % 256};
    return std::uint8_t(values[c]);
}

std::uint8_t checkerboard(int x, int y, int c, int, int) {
    const bool dark = ((x / 7) + (y / 7)) % 2 == 0;
    return std::uint8_t(dark ? 10 + 20 * c : 250 - 30 * c);
}

/// Deterministic noise: the hardest case for ringing and the uint8 clipping between passes.
std::uint8_t noise(int x, int y, int c, int, int) {
    std::uint32_t v =
        std::uint32_t(x) * 73856093u ^ std::uint32_t(y) * 19349663u ^ std::uint32_t(c) * 83492791u;
    v ^= v >> 13;
    v *= 0x5bd1e995u;
    return std::uint8_t(v >> 24);
}

std::uint8_t stripes(int x, int y, int c, int w, int) {
    return std::uint8_t(((x + y) / 5) % 2 ? 40 + c * 60 : x * 255 / (w - 1));
}

/// A minimal RGB8 PNG (one IDAT, filter 0 on every row).
QByteArray encodePng(const RgbImage& image) {
    auto be32 = [](QByteArray& out, std::uint32_t v) {
        for (int s = 24; s >= 0; s -= 8)
            out.append(char((v >> s) & 0xFF));
    };
    auto chunk = [&](QByteArray& out, const char* type, const QByteArray& data) {
        be32(out, std::uint32_t(data.size()));
        const QByteArray typed = QByteArray(type, 4) + data;
        out.append(typed);
        be32(out, std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(typed.constData()),
                                      uInt(typed.size()))));
    };
    QByteArray header;
    be32(header, std::uint32_t(image.width));
    be32(header, std::uint32_t(image.height));
    header.append("\x08\x02\x00\x00\x00", 5); // 8-bit RGB, deflate, no interlace
    QByteArray raw;
    for (int y = 0; y < image.height; ++y) {
        raw.append('\0');
        raw.append(reinterpret_cast<const char*>(image.pixel(0, y)), image.width * 3);
    }
    QByteArray packed(int(compressBound(uLong(raw.size()))), '\0');
    uLongf packedSize = uLongf(packed.size());
    compress(reinterpret_cast<Bytef*>(packed.data()), &packedSize,
             reinterpret_cast<const Bytef*>(raw.constData()), uLong(raw.size()));
    packed.resize(int(packedSize));
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    chunk(png, "IHDR", header);
    chunk(png, "IDAT", packed);
    chunk(png, "IEND", QByteArray());
    return png;
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

QByteArray readFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The reference: PIL's resize and clip.load's transform (torchvision Resize(224, BICUBIC),
// CenterCrop(224), ToTensor, Normalize) written out with PIL and numpy. Each job line reads
// "resize|clip WIDTH HEIGHT RAW_IN OUT [OUT_WIDTH OUT_HEIGHT]".
const char* const kReferenceScript = R"PY(
import sys
import numpy as np
from PIL import Image

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)

for line in open(sys.argv[1]):
    mode, w, h, raw, out, *size = line.split()
    w, h = int(w), int(h)
    image = Image.frombytes("RGB", (w, h), open(raw, "rb").read())
    if mode == "resize":
        result = image.resize((int(size[0]), int(size[1])), Image.BICUBIC).tobytes()
    else:
        short, long = (w, h) if w <= h else (h, w)
        new_long = int(224 * long / short)
        ow, oh = (224, new_long) if w <= h else (new_long, 224)
        image = image.resize((ow, oh), Image.BICUBIC)
        top, left = int(round((oh - 224) / 2.0)), int(round((ow - 224) / 2.0))
        image = image.crop((left, top, left + 224, top + 224))
        pixels = np.asarray(image, dtype=np.float32) / np.float32(255)
        result = ((pixels - MEAN) / STD).transpose(2, 0, 1).astype(np.float32).tobytes()
    open(out, "wb").write(result)
)PY";

/// Whether /usr/bin/python3 can import PIL and numpy.
bool referenceAvailable() {
    if (!QFileInfo::exists(kPython))
        return false;
    QProcess probe;
    probe.start(kPython, {"-c", "import PIL, numpy"});
    return probe.waitForFinished(60000) && probe.exitCode() == 0;
}

struct Job {
    QString mode;
    RgbImage image;
    int outWidth = 0;
    int outHeight = 0;
    QString output;
};

/// Runs the reference on every job; returns an error text or an empty string.
QString runReference(QTemporaryDir& dir, std::vector<Job>& jobs) {
    QByteArray lines;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const QString raw = dir.filePath(QString("in%1.rgb").arg(i));
        writeFile(raw, QByteArray(reinterpret_cast<const char*>(jobs[i].image.pixels.data()),
                                  int(jobs[i].image.pixels.size())));
        jobs[i].output = dir.filePath(QString("out%1.bin").arg(i));
        lines += QString("%1 %2 %3 %4 %5 %6 %7\n")
                     .arg(jobs[i].mode)
                     .arg(jobs[i].image.width)
                     .arg(jobs[i].image.height)
                     .arg(raw, jobs[i].output)
                     .arg(jobs[i].outWidth)
                     .arg(jobs[i].outHeight)
                     .toUtf8();
    }
    const QString jobFile = dir.filePath("jobs.txt");
    writeFile(jobFile, lines);
    QProcess process;
    process.start(kPython, {"-c", kReferenceScript, jobFile});
    if (!process.waitForFinished(300000) || process.exitCode() != 0)
        return "reference failed: " + QString::fromUtf8(process.readAllStandardError());
    return {};
}

QString describe(const RgbImage& image) {
    return QString("%1x%2").arg(image.width).arg(image.height);
}

} // namespace

class TestClipImage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decodesPngAndCopiesBuffers() {
        const RgbImage image = makeImage(13, 7, gradient);
        const QByteArray png = encodePng(image);
        const RgbImage decoded = decodeRgbImage(
            reinterpret_cast<const std::uint8_t*>(png.constData()), std::size_t(png.size()));
        QCOMPARE(decoded.width, 13);
        QCOMPARE(decoded.height, 7);
        QCOMPARE(decoded.pixels, image.pixels);

        QTemporaryDir dir;
        const QString path = dir.filePath("gradient.png");
        writeFile(path, png);
        QCOMPARE(readRgbImage(path.toStdString()).pixels, image.pixels);

        // RGBA rows with padding, as a renderer hands them over: alpha dropped, stride honoured.
        std::vector<std::uint8_t> rgba(2 * 20, 0);
        for (int y = 0; y < 2; ++y)
            for (int x = 0; x < 4; ++x)
                for (int c = 0; c < 4; ++c)
                    rgba[std::size_t(y) * 20 + x * 4 + c] = std::uint8_t(100 * y + 10 * x + c);
        const RgbImage copied = copyRgbImage(rgba.data(), 4, 2, 4, 20);
        QCOMPARE(copied.pixels.size(), std::size_t(24));
        QCOMPARE(int(copied.pixel(3, 1)[0]), 130);
        QCOMPARE(int(copied.pixel(3, 1)[2]), 132);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, copyRgbImage(rgba.data(), 4, 2, 4, 8));
    }

    void corruptImagesGiveClearErrors() {
        QTemporaryDir dir;
        const QByteArray png = encodePng(makeImage(64, 48, noise));

        const QString truncated = dir.filePath("truncated.png");
        writeFile(truncated, png.left(png.size() / 2));
        QString message = test::errorOf([&] { readRgbImage(truncated.toStdString()); });
        VERIFY_CONTAINS(message, truncated + ": cannot decode image: ");
        QVERIFY2(message.size() > (truncated + ": cannot decode image: ").size(),
                 qPrintable(message)); // stb's reason follows

        QByteArray badCrc = png;
        badCrc[41] = char(badCrc[41] ^ 0x55); // the zlib header of the IDAT data
        const QString corrupt = dir.filePath("corrupt.png");
        writeFile(corrupt, badCrc);
        message = test::errorOf([&] { readRgbImage(corrupt.toStdString()); });
        VERIFY_CONTAINS(message, corrupt + ": cannot decode image: ");

        const QString text = dir.filePath("notes.png");
        writeFile(text, "this is not an image");
        message = test::errorOf([&] { readRgbImage(text.toStdString()); });
        VERIFY_CONTAINS(message, text + ": cannot decode image: unknown image type");

        const QString empty = dir.filePath("empty.png");
        writeFile(empty, QByteArray());
        message = test::errorOf([&] { readRgbImage(empty.toStdString()); });
        VERIFY_CONTAINS(message, empty + ": cannot decode image: the data is empty");

        const QString missing = dir.filePath("missing.png");
        message = test::errorOf([&] { readRgbImage(missing.toStdString()); });
        VERIFY_CONTAINS(message, missing + ": cannot open image: No such file or directory");
    }

    void constantImageNormalisesExactly() {
        const RgbImage grey = makeImage(
            300, 200, [](int, int, int c, int, int) { return std::uint8_t(100 + 50 * c); });
        const std::vector<float> out = clipPreprocess(grey);
        QCOMPARE(out.size(), std::size_t(3 * 224 * 224));
        for (int c = 0; c < 3; ++c) {
            const float expected = (float(100 + 50 * c) / 255.0f - kClipMean[c]) / kClipStd[c];
            for (int p = 0; p < 224 * 224; p += 997)
                QCOMPARE(out[std::size_t(c) * 224 * 224 + p], expected);
        }
        const std::vector<float> batch = clipPreprocessBatch({grey, makeImage(50, 60, noise)});
        QCOMPARE(batch.size(), 2 * out.size());
        QVERIFY(std::equal(out.begin(), out.end(), batch.begin()));
        const std::vector<float> second = clipPreprocess(makeImage(50, 60, noise));
        QVERIFY(
            std::equal(second.begin(), second.end(), batch.begin() + std::ptrdiff_t(out.size())));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, clipPreprocess(RgbImage{}));
    }

    void matchesPilAndTorchvision() {
        if (!referenceAvailable())
            QSKIP("/usr/bin/python3 with PIL (python3-pil) and numpy is absent");
        std::vector<Job> jobs = {
            {"resize", makeImage(300, 200, gradient), 150, 100, {}},
            {"resize", makeImage(300, 200, noise), 97, 61, {}},
            {"resize", makeImage(100, 150, noise), 233, 311, {}},
            {"resize", makeImage(640, 480, stripes), 224, 168, {}},
            {"resize", makeImage(200, 500, checkerboard), 200, 180, {}},
            {"clip", makeImage(300, 200, gradient), 0, 0, {}},
            {"clip", makeImage(200, 500, checkerboard), 0, 0, {}},
            {"clip", makeImage(100, 150, noise), 0, 0, {}},
            {"clip", makeImage(640, 480, stripes), 0, 0, {}},
            {"clip", makeImage(301, 200, noise), 0, 0, {}}, // crop offset 56.5 rounds to even
            {"clip", makeImage(224, 300, noise), 0, 0, {}}, // no horizontal pass
            {"clip", makeImage(5, 3, gradient), 0, 0, {}},
        };
        QTemporaryDir dir;
        const QString error = runReference(dir, jobs);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const Job& job : jobs) {
            const QByteArray expected = readFile(job.output);
            if (job.mode == "resize") {
                const RgbImage resized = resizeBicubic(job.image, job.outWidth, job.outHeight);
                QCOMPARE(std::size_t(expected.size()), resized.pixels.size());
                // PIL's fixed-point arithmetic reproduced: identical bytes.
                QVERIFY2(std::memcmp(expected.constData(), resized.pixels.data(),
                                     resized.pixels.size()) == 0,
                         qPrintable(describe(job.image) + " -> " + describe(resized)));
                continue;
            }
            const std::vector<float> actual = clipPreprocess(job.image);
            QCOMPARE(std::size_t(expected.size()), actual.size() * sizeof(float));
            const auto* reference = reinterpret_cast<const float*>(expected.constData());
            float worst = 0.f;
            for (std::size_t i = 0; i < actual.size(); ++i)
                worst = std::max(worst, std::abs(actual[i] - reference[i]));
            QVERIFY2(worst <= 1e-3f,
                     qPrintable(describe(job.image) + QString(": max difference %1").arg(worst)));
        }
    }
};

QTEST_GUILESS_MAIN(TestClipImage)
#include "test_clip_image.moc"
