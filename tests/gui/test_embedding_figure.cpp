// Figure export of embedding plots: one SVG element per point with markers by modality, hidden
// categories left out, legend text kept as text, a PDF that pdftotext reads, PNG scale and
// transparency, the raster point layer above kMaxVectorPoints, and errors naming the file.

#include "EmbeddingFigure.h"
#include "Error.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <map>

using namespace scenelens;

namespace {

const std::vector<std::string> kLabels = {"chair", "table", "lamp"};
const std::vector<std::string> kModalities = {"object3d", "scene3d", "text", "image"};

/// `rows` points on a spiral labelled chair/table/lamp in turn; with `modalities`, the modality
/// column cycles through the four modalities.
embed::PlotData spiralPlot(int rows, bool modalities = false) {
    embed::PlotData plot;
    plot.points.name = "spiral";
    plot.points.modality = "object3d";
    plot.points.rows = rows;
    plot.points.dims = 1;
    plot.points.values.assign(std::size_t(rows), 0.0f);
    std::vector<std::string>& labels = plot.points.textColumns[embed::columns::kLabel];
    for (int i = 0; i < rows; ++i) {
        const double angle = 0.05 * i, radius = 1 + 0.01 * i;
        plot.coords.push_back(float(radius * std::cos(angle)));
        plot.coords.push_back(float(radius * std::sin(angle)));
        labels.push_back(kLabels[std::size_t(i) % kLabels.size()]);
    }
    if (modalities) {
        std::vector<std::string>& column = plot.points.textColumns[embed::columns::kModality];
        for (int i = 0; i < rows; ++i)
            column.push_back(kModalities[std::size_t(i) % kModalities.size()]);
    }
    plot.title = "Spiral";
    return plot;
}

/// The label column as a categorical encoding built here, so the test checks the figure alone.
embed::ColorEncoding labelColors(const embed::PlotData& plot) {
    embed::ColorEncoding encoding;
    encoding.column = embed::columns::kLabel;
    const embed::Rgba8 palette[3] = {{230, 159, 0, 255}, {86, 180, 233, 255}, {0, 158, 115, 255}};
    for (std::size_t c = 0; c < kLabels.size(); ++c)
        encoding.legend.push_back({kLabels[c], 0, palette[c], true});
    for (int i = 0; i < plot.rows(); ++i) {
        const int c = i % int(kLabels.size());
        encoding.category.push_back(c);
        encoding.colors.push_back(palette[c]);
        ++encoding.legend[std::size_t(c)].count;
    }
    return encoding;
}

struct SvgContents {
    std::map<QString, int> elements; ///< element name -> count
    QStringList texts;
    QStringList paths; ///< the d attribute of every path

    int count(const char* name) const {
        const auto it = elements.find(QString::fromLatin1(name));
        return it == elements.end() ? 0 : it->second;
    }
};

SvgContents readSvg(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    SvgContents contents;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QString name = xml.name().toString();
        ++contents.elements[name];
        if (name == QLatin1String("path"))
            contents.paths << xml.attributes().value(QLatin1String("d")).toString();
        if (name == QLatin1String("text"))
            contents.texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    }
    if (xml.hasError())
        qWarning("%s: %s", qPrintable(path), qPrintable(xml.errorString()));
    return contents;
}

/// Paths of one closed polygon with `corners` corners (Qt writes polygons as paths), leaving out
/// the figure's background, which starts at the origin.
int polygonPaths(const SvgContents& svg, int corners) {
    const QString number = QStringLiteral("-?[0-9.]+,-?[0-9.]+");
    const QRegularExpression polygon(QStringLiteral("^M%1( L%1){%2}$").arg(number).arg(corners));
    int count = 0;
    for (const QString& d : svg.paths)
        count += polygon.match(d).hasMatch() && !d.startsWith(QLatin1String("M0,0 "));
    return count;
}

/// Circles and squares are elements of their own; triangles and diamonds are polygon paths.
int pointMarks(const SvgContents& svg) {
    return svg.count("circle") + svg.count("ellipse") + svg.count("rect") + polygonPaths(svg, 3) +
           polygonPaths(svg, 4);
}

} // namespace

class TestEmbeddingFigure : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void svgHasOneElementPerPointAndTheLegend() {
        const embed::PlotData plot = spiralPlot(1000);
        const embed::ColorEncoding colors = labelColors(plot);
        FigureOptions options;
        options.title = QStringLiteral("Spiral of 1000");
        options.selectedRows = {0, 1, 2};
        options.showAxes = true;
        const QString path = dir_.filePath(QStringLiteral("spiral.svg"));
        writeFigureSvg(path, plot, colors, options);
        const SvgContents svg = readSvg(path);
        QCOMPARE(pointMarks(svg), 1000);
        QCOMPARE(svg.count("image"), 0);
        QVERIFY(svg.texts.contains(QStringLiteral("chair (334)")));
        QVERIFY(svg.texts.contains(QStringLiteral("table (333)")));
        QVERIFY(svg.texts.contains(QStringLiteral("lamp (333)")));
        QVERIFY(svg.texts.contains(QStringLiteral("Spiral of 1000")));
        QVERIFY(svg.texts.contains(QStringLiteral("label")));
    }

    void markersFollowTheModality() {
        const embed::PlotData plot = spiralPlot(1000, true);
        const QString path = dir_.filePath(QStringLiteral("markers.svg"));
        writeFigureSvg(path, plot, labelColors(plot), {});
        const SvgContents svg = readSvg(path);
        QCOMPARE(svg.count("circle"), 250);             // object3d
        QCOMPARE(svg.count("rect"), 250);               // scene3d: squares
        QCOMPARE(polygonPaths(svg, 3), 250);            // text: triangles (first corner repeated)
        QCOMPARE(polygonPaths(svg, 4), 250);            // image: diamonds
        for (const std::string& modality : kModalities) // the marker key
            QVERIFY(svg.texts.contains(QString::fromStdString(modality)));
    }

    void hiddenCategoriesAreLeftOut() {
        const embed::PlotData plot = spiralPlot(1000);
        FigureOptions options;
        options.visibleCategories = {true, false, true};
        const QString path = dir_.filePath(QStringLiteral("hidden.svg"));
        writeFigureSvg(path, plot, labelColors(plot), options);
        const SvgContents svg = readSvg(path);
        QCOMPARE(pointMarks(svg), 1000 - 333);
        QCOMPARE(drawnPointCount(plot, labelColors(plot), options), 667);
        QVERIFY(!svg.texts.contains(QStringLiteral("table (333)")));
        QVERIFY(svg.texts.contains(QStringLiteral("lamp (333)")));
    }

    void dataRectangleLimitsThePoints() {
        const embed::PlotData plot = spiralPlot(1000);
        FigureOptions options;
        options.dataRect = QRectF(QPointF(0, 0), QPointF(100, 100)); // the first quadrant
        int expected = 0;
        for (int i = 0; i < plot.rows(); ++i)
            expected += plot.coord(i)[0] >= 0 && plot.coord(i)[1] >= 0;
        QCOMPARE(drawnPointCount(plot, labelColors(plot), options), expected);
        QVERIFY(expected > 100 && expected < 400);
    }

    void pdfIsReadableByPdftotext() {
        const embed::PlotData plot = spiralPlot(1000);
        FigureOptions options;
        options.title = QStringLiteral("Spiral in PDF");
        const QString path = dir_.filePath(QStringLiteral("spiral.pdf"));
        writeFigurePdf(path, plot, labelColors(plot), options);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
        QProcess process;
        process.start(pdftotext, {path, QStringLiteral("-")});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 0);
        const QString text = QString::fromUtf8(process.readAllStandardOutput());
        QVERIFY2(text.contains(QStringLiteral("chair (334)")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("lamp (333)")));
        QVERIFY(text.contains(QStringLiteral("Spiral in PDF")));
    }

    void pngScalesAndKeepsTheBackgroundClear() {
        // One point in the middle of a square plot area without title, legend or axes.
        embed::PlotData plot = spiralPlot(1);
        plot.coords = {5, 5};
        embed::ColorEncoding colors = labelColors(plot);
        FigureOptions options;
        options.size = QSizeF(200, 200);
        options.dataRect = QRectF(0, 0, 10, 10);
        options.showLegend = false;
        options.opacity = 1;
        options.pointSize = 10;
        const QString path = dir_.filePath(QStringLiteral("point.png"));
        writeFigurePng(path, 2, true, plot, colors, options);
        const QImage image(path);
        QCOMPARE(image.size(), QSize(400, 400));
        QVERIFY(image.hasAlphaChannel());
        QCOMPARE(qAlpha(image.pixel(10, 10)), 0);
        QCOMPARE(qAlpha(image.pixel(390, 390)), 0);
        const QRgb centre = image.pixel(200, 200);
        QCOMPARE(qAlpha(centre), 255);
        QCOMPARE(qRed(centre), 230);
        QCOMPARE(qGreen(centre), 159);
        QCOMPARE(qBlue(centre), 0);

        const QImage opaque = renderFigureImage(plot, colors, options, 1, false);
        QCOMPARE(opaque.size(), QSize(200, 200));
        QCOMPARE(opaque.pixel(5, 5), qRgb(255, 255, 255));
    }

    void continuousColoursGetAColourBar() {
        embed::PlotData plot = spiralPlot(500);
        embed::ColorEncoding colors;
        colors.column = "height";
        colors.continuous = true;
        colors.minValue = 0;
        colors.maxValue = 2;
        for (int i = 0; i < plot.rows(); ++i) {
            colors.category.push_back(-1);
            colors.colors.push_back(embed::colormapColor(colors.colormap, i / 499.0));
        }
        const QString path = dir_.filePath(QStringLiteral("bar.svg"));
        writeFigureSvg(path, plot, colors, {});
        const SvgContents svg = readSvg(path);
        QCOMPARE(pointMarks(svg), 500);
        QVERIFY(svg.count("linearGradient") > 0);
        for (const char* tick : {"0", "0.5", "1", "1.5", "2"})
            QVERIFY2(svg.texts.contains(QString::fromLatin1(tick)), tick);
        QVERIFY(svg.texts.contains(QStringLiteral("height")));
    }

    void manyPointsAreOneImageWithVectorText() {
        const int rows = kMaxVectorPoints + 5000;
        const embed::PlotData plot = spiralPlot(rows);
        FigureOptions options;
        options.title = QStringLiteral("Many points");
        options.pointSize = 2;
        const QString path = dir_.filePath(QStringLiteral("many.svg"));
        writeFigureSvg(path, plot, labelColors(plot), options);
        const SvgContents svg = readSvg(path);
        QCOMPARE(svg.count("image"), 1);
        QCOMPARE(pointMarks(svg), 0);
        QVERIFY(svg.texts.contains(QStringLiteral("chair (68334)")));
        QVERIFY(svg.texts.contains(QStringLiteral("Many points")));
        QVERIFY(QFileInfo(path).size() < 40 * 1024 * 1024);
    }

    void unwritablePathNamesTheFile() {
        const embed::PlotData plot = spiralPlot(10);
        const QString path = QStringLiteral("/no/such/folder/figure.svg");
        for (const QString& file : {path, QStringLiteral("/no/such/folder/figure.pdf"),
                                    QStringLiteral("/no/such/folder/figure.png")}) {
            try {
                writeFigure(file, plot, labelColors(plot), {});
                QFAIL("expected a FileError");
            } catch (const FileError& e) {
                QVERIFY2(QString::fromUtf8(e.what()).startsWith(file + ": "), e.what());
            }
        }
    }

private:
    QTemporaryDir dir_;
};

QTEST_MAIN(TestEmbeddingFigure)
#include "test_embedding_figure.moc"
