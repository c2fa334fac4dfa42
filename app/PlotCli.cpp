// `scenelens plot`: embeddings (.npy + optional metadata) -> projection -> figure (SVG, PDF, PNG)
// for scripted figure production, drawn by the same code as the app's Export.

#include "Cli.h"
#include "CliSupport.h"
#include "EmbeddingFigure.h"
#include "embed/EmbeddingImport.h"

#include <QGuiApplication>

#include <cstdio>
#include <memory>

namespace scenelens::cli {

namespace {

QSizeF parseFigureSize(const std::string& text) {
    const auto x = text.find('x');
    if (x == std::string::npos)
        throw UsageError("--size must be WxH (e.g. 800x600), got '" + text + "'");
    return QSizeF(double(parseCount(text.substr(0, x), "--size", 20000, 50)),
                  double(parseCount(text.substr(x + 1), "--size", 20000, 50)));
}

embed::Colormap colormapOption(const Arguments& args) {
    const std::string name = args.value("--colormap").value_or("viridis");
    const auto map = embed::parseColormap(name);
    if (!map)
        throw UsageError("--colormap must be viridis, magma or coolwarm, got '" + name + "'");
    return *map;
}

FigureOptions figureOptions(const Arguments& args, const embed::PlotData& plot) {
    FigureOptions options;
    options.title = QString::fromStdString(args.value("--title").value_or(plot.title));
    if (const auto size = args.value("--size"))
        options.size = parseFigureSize(*size);
    options.pointSize = parseNumber(args.value("--point-size").value_or("6"), "--point-size");
    options.opacity = parseNumber(args.value("--opacity").value_or("0.8"), "--opacity");
    if (options.pointSize <= 0 || options.opacity < 0 || options.opacity > 1)
        throw UsageError("--point-size must be positive and --opacity in [0, 1]");
    options.showAxes = args.flag("--axes");
    options.showLegend = !args.flag("--no-legend");
    return options;
}

/// The default colouring: the label column, else modality, else one colour.
std::string defaultColorColumn(const embed::EmbeddingSet& set) {
    for (const char* column : {embed::columns::kLabel, embed::columns::kModality})
        if (set.textColumns.count(column) || set.numberColumns.count(column))
            return column;
    return {};
}

/// QPainter text needs a QGuiApplication; the offscreen platform draws fonts without a display.
std::unique_ptr<QGuiApplication> guiApplicationForFonts(char** argv) {
    if (QCoreApplication::instance())
        return nullptr;
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int appArgc = 1; // QGuiApplication keeps a reference to it
    return std::make_unique<QGuiApplication>(appArgc, argv);
}

} // namespace

int runPlot(int argc, char** argv) {
    return guarded("plot", [&] {
        const Arguments args =
            parse(argc, argv,
                  {"--in", "--meta", "--modality", "--method", "--out", "--dims", "--perplexity",
                   "--neighbors", "--min-dist", "--seed", "--metric", "--color-by", "--colormap",
                   "--title", "--size", "--point-size", "--opacity", "--scale"},
                  {"--transparent", "--axes", "--no-legend", "--metrics"});
        const embed::ProjectionOptions projection = projectionOptions(args);
        const std::string in = required(args, "--in"), out = required(args, "--out");
        const embed::Colormap colormap = colormapOption(args);
        const double scale = parseNumber(args.value("--scale").value_or("1"), "--scale");
        if (scale <= 0 || scale > 16)
            throw UsageError("--scale must be in (0, 16]");
        const auto app = guiApplicationForFonts(argv);

        embed::EmbeddingSet set = embed::importEmbeddings(in, args.value("--meta").value_or(""),
                                                          args.value("--modality").value_or(""));
        const std::string column = args.value("--color-by").value_or(defaultColorColumn(set));
        ConsoleProgress progress;
        const embed::PlotData plot =
            embed::makePlotData(std::move(set), projection, args.flag("--metrics"), &progress);
        const embed::ColorEncoding colors = embed::encodeColors(plot.points, column, colormap);
        const FigureOptions options = figureOptions(args, plot);
        writeFigure(QString::fromStdString(out), plot, colors, options, scale,
                    args.flag("--transparent"));
        std::printf("wrote %s (%d points, %s", out.c_str(), drawnPointCount(plot, colors, options),
                    std::string(embed::toString(projection.method)).c_str());
        if (!column.empty())
            std::printf(", coloured by %s", column.c_str());
        std::printf(")\n");
        for (const auto& [name, value] : plot.metrics.values)
            std::printf("%s %.4f\n", name.c_str(), value);
        return 0;
    });
}

} // namespace scenelens::cli
