#include "ImportEmbeddingsDialog.h"

#include "Settings.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace scenelens {

namespace {

QHBoxLayout* pathRow(QLineEdit* edit, QPushButton* browse) {
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    return row;
}

} // namespace

ImportEmbeddingsDialog::ImportEmbeddingsDialog(QWidget* parent)
    : QDialog(parent), embeddings_(new QLineEdit), metadata_(new QLineEdit),
      modality_(new QComboBox) {
    setWindowTitle(tr("Import Embeddings"));
    setObjectName(QStringLiteral("ImportEmbeddingsDialog"));
    embeddings_->setPlaceholderText(tr("rows × dims float32/float64 .npy"));
    metadata_->setPlaceholderText(tr("optional: one row per embedding (label, scene, …)"));
    modality_->addItem(tr("From metadata"), QString());
    for (const char* modality : {"object3d", "scene3d", "text", "image"})
        modality_->addItem(QString::fromLatin1(modality), QString::fromLatin1(modality));

    auto* browseEmbeddings = new QPushButton(tr("B&rowse…"));
    auto* browseMetadata = new QPushButton(tr("Br&owse…"));
    connect(browseEmbeddings, &QPushButton::clicked, this,
            &ImportEmbeddingsDialog::browseEmbeddings);
    connect(browseMetadata, &QPushButton::clicked, this, &ImportEmbeddingsDialog::browseMetadata);
    connect(embeddings_, &QLineEdit::textChanged, this, &ImportEmbeddingsDialog::updateOk);

    auto* form = new QFormLayout;
    form->addRow(tr("&Embeddings:"), pathRow(embeddings_, browseEmbeddings));
    form->addRow(tr("&Metadata:"), pathRow(metadata_, browseMetadata));
    form->addRow(tr("Mo&dality:"), modality_);
    auto* note = new QLabel(tr("Metadata columns named label, scene and object_id link points "
                               "with the objects of the open scene."));
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    ok_ = buttons->button(QDialogButtonBox::Ok);
    ok_->setText(tr("&Next…"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
    updateOk();
}

QString ImportEmbeddingsDialog::embeddingsPath() const {
    return embeddings_->text().trimmed();
}

QString ImportEmbeddingsDialog::metadataPath() const {
    return metadata_->text().trimmed();
}

QString ImportEmbeddingsDialog::modality() const {
    return modality_->currentData().toString();
}

void ImportEmbeddingsDialog::browseEmbeddings() {
    QSettings settings;
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Embeddings"), settings::lastDirectory(settings), tr("NumPy arrays (*.npy)"));
    if (file.isEmpty())
        return;
    settings::setLastDirectory(settings, QFileInfo(file).absolutePath());
    embeddings_->setText(file);
    // A table named like the matrix is most likely its metadata.
    for (const char* suffix : {".csv", ".json"}) {
        const QString candidate = QFileInfo(file).path() + QLatin1Char('/') +
                                  QFileInfo(file).completeBaseName() + QLatin1String(suffix);
        if (metadataPath().isEmpty() && QFileInfo::exists(candidate))
            metadata_->setText(candidate);
    }
}

void ImportEmbeddingsDialog::browseMetadata() {
    QSettings settings;
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Metadata"), settings::lastDirectory(settings),
        tr("Metadata tables (*.csv *.json);;CSV (*.csv);;JSON (*.json)"));
    if (!file.isEmpty())
        metadata_->setText(file);
}

void ImportEmbeddingsDialog::updateOk() {
    ok_->setEnabled(!embeddingsPath().isEmpty());
}

} // namespace scenelens
