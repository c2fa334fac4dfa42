#include "ProjectionDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace scenelens {

namespace {

const QString kMethod = QStringLiteral("projection/method");
const QString kDims = QStringLiteral("projection/dims");
const QString kPerplexity = QStringLiteral("projection/perplexity");
const QString kNeighbours = QStringLiteral("projection/neighbours");
const QString kMinDist = QStringLiteral("projection/minDist");
const QString kMetric = QStringLiteral("projection/metric");
const QString kSeed = QStringLiteral("projection/seed");
const QString kMetrics = QStringLiteral("projection/computeMetrics");
const QString kCentre = QStringLiteral("projection/centreModalities");

QString methodName(embed::ProjectionMethod method) {
    const std::string_view name = embed::toString(method);
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

embed::ProjectionOptions loadOptions(const QSettings& settings) {
    embed::ProjectionOptions options;
    options.method = embed::parseProjectionMethod(
                         settings.value(kMethod, QStringLiteral("umap")).toString().toStdString())
                         .value_or(embed::ProjectionMethod::Umap);
    options.dims = settings.value(kDims, 2).toInt() == 3 ? 3 : 2;
    options.perplexity = settings.value(kPerplexity, options.perplexity).toDouble();
    options.neighbours = settings.value(kNeighbours, options.neighbours).toInt();
    options.minDist = settings.value(kMinDist, options.minDist).toDouble();
    options.metric =
        settings.value(kMetric, QStringLiteral("euclidean")).toString() == QLatin1String("cosine")
            ? embed::Metric::Cosine
            : embed::Metric::Euclidean;
    options.seed = settings.value(kSeed, 0).toULongLong();
    options.centreModalities = settings.value(kCentre, false).toBool();
    return options;
}

void saveOptions(QSettings& settings, const embed::ProjectionOptions& options, bool metrics) {
    settings.setValue(kMethod, methodName(options.method));
    settings.setValue(kDims, options.dims);
    settings.setValue(kPerplexity, options.perplexity);
    settings.setValue(kNeighbours, options.neighbours);
    settings.setValue(kMinDist, options.minDist);
    settings.setValue(kMetric, options.metric == embed::Metric::Cosine
                                   ? QStringLiteral("cosine")
                                   : QStringLiteral("euclidean"));
    settings.setValue(kSeed, qulonglong(options.seed));
    settings.setValue(kCentre, options.centreModalities);
    settings.setValue(kMetrics, metrics);
}

} // namespace

ProjectionDialog::ProjectionDialog(const QString& inputSummary, QWidget* parent)
    : QDialog(parent), method_(new QComboBox), dims_(new QComboBox),
      perplexity_(new QDoubleSpinBox), neighbours_(new QSpinBox), minDist_(new QDoubleSpinBox),
      metric_(new QComboBox), seed_(new QSpinBox), metrics_(new QCheckBox(tr("Compute quality "
                                                                             "&metrics"))),
      centre_(new QCheckBox(tr("Close the modality &gap (centre each modality)"))),
      inputs_(new QListWidget) {
    setWindowTitle(tr("Project Embeddings"));
    setObjectName(QStringLiteral("ProjectionDialog"));
    method_->addItem(QStringLiteral("PCA"), methodName(embed::ProjectionMethod::Pca));
    method_->addItem(QStringLiteral("t-SNE"), methodName(embed::ProjectionMethod::Tsne));
    method_->addItem(QStringLiteral("UMAP"), methodName(embed::ProjectionMethod::Umap));
    dims_->addItem(tr("2D"), 2);
    dims_->addItem(tr("3D"), 3);
    perplexity_->setRange(2, 500);
    perplexity_->setDecimals(1);
    neighbours_->setRange(2, 1000);
    minDist_->setRange(0, 1);
    minDist_->setDecimals(3);
    minDist_->setSingleStep(0.05);
    metric_->addItem(tr("Euclidean"), QStringLiteral("euclidean"));
    metric_->addItem(tr("Cosine"), QStringLiteral("cosine"));
    seed_->setRange(0, std::numeric_limits<int>::max());
    metrics_->setToolTip(tr("Trustworthiness, continuity, kNN preservation (and neighbourhood hit "
                            "and silhouette when rows have a label) on a sample of the rows"));

    centre_->setToolTip(tr("Text, image and 3D embeddings sit in separate regions of a shared "
                           "space; subtracting each modality's mean lets the projection show "
                           "what they have in common instead of the modality"));
    inputs_->setObjectName(QStringLiteral("ProjectionInputs"));
    inputs_->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("&Method:"), method_);
    form->addRow(tr("&Dimensions:"), dims_);
    form->addRow(tr("&Perplexity:"), perplexity_);
    form->addRow(tr("&Neighbours:"), neighbours_);
    form->addRow(tr("Min. d&istance:"), minDist_);
    form->addRow(tr("Dis&tance:"), metric_);
    form->addRow(tr("&Seed:"), seed_);
    form->addRow(QString(), centre_);
    form->addRow(QString(), metrics_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    projectButton_ = buttons->button(QDialogButtonBox::Ok);
    projectButton_->setText(tr("&Project"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ProjectionDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    auto* summary = new QLabel(inputSummary);
    summary->setWordWrap(true);
    layout->addWidget(summary);
    layout->addWidget(inputs_);
    layout->addLayout(form);
    layout->addWidget(buttons);

    const QSettings settings;
    setOptions(loadOptions(settings));
    setComputeMetrics(settings.value(kMetrics, true).toBool());
    connect(method_, &QComboBox::currentIndexChanged, this, &ProjectionDialog::updateEnabledFields);
    updateEnabledFields();
}

embed::ProjectionOptions ProjectionDialog::options() const {
    embed::ProjectionOptions options;
    options.method = embed::parseProjectionMethod(method_->currentData().toString().toStdString())
                         .value_or(embed::ProjectionMethod::Pca);
    options.dims = dims_->currentData().toInt();
    options.perplexity = perplexity_->value();
    options.neighbours = neighbours_->value();
    options.minDist = minDist_->value();
    options.metric = metric_->currentData().toString() == QLatin1String("cosine")
                         ? embed::Metric::Cosine
                         : embed::Metric::Euclidean;
    options.seed = std::uint64_t(seed_->value());
    options.centreModalities = centre_->isChecked();
    return options;
}

void ProjectionDialog::setOptions(const embed::ProjectionOptions& options) {
    method_->setCurrentIndex(method_->findData(methodName(options.method)));
    dims_->setCurrentIndex(options.dims == 3 ? 1 : 0);
    perplexity_->setValue(options.perplexity);
    neighbours_->setValue(options.neighbours);
    minDist_->setValue(options.minDist);
    metric_->setCurrentIndex(options.metric == embed::Metric::Cosine ? 1 : 0);
    seed_->setValue(int(std::min<std::uint64_t>(options.seed, std::uint64_t(seed_->maximum()))));
    centre_->setChecked(options.centreModalities);
}

void ProjectionDialog::setInputChoices(const QStringList& names) {
    inputs_->clear();
    for (const QString& name : names) {
        auto* item = new QListWidgetItem(name, inputs_);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
    inputs_->setVisible(!names.isEmpty());
    inputs_->setMaximumHeight(inputs_->sizeHintForRow(0) *
                                  int(std::min<qsizetype>(names.size(), 8)) +
                              2 * inputs_->frameWidth() + 4);
    connect(inputs_, &QListWidget::itemChanged, this,
            [this] { projectButton_->setEnabled(!chosenInputs().isEmpty()); });
}

QList<int> ProjectionDialog::chosenInputs() const {
    QList<int> chosen;
    for (int i = 0; i < inputs_->count(); ++i)
        if (inputs_->item(i)->checkState() == Qt::Checked)
            chosen << i;
    return chosen;
}

bool ProjectionDialog::computeMetrics() const {
    return metrics_->isChecked();
}

void ProjectionDialog::setComputeMetrics(bool compute) {
    metrics_->setChecked(compute);
}

void ProjectionDialog::accept() {
    QSettings settings;
    saveOptions(settings, options(), computeMetrics());
    QDialog::accept();
}

void ProjectionDialog::updateEnabledFields() {
    const auto method = options().method;
    perplexity_->setEnabled(method == embed::ProjectionMethod::Tsne);
    neighbours_->setEnabled(method == embed::ProjectionMethod::Umap);
    minDist_->setEnabled(method == embed::ProjectionMethod::Umap);
    metric_->setEnabled(method != embed::ProjectionMethod::Pca);
}

} // namespace scenelens
