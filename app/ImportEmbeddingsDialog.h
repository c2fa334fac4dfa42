#pragma once
// Asks for the files of File > Import Embeddings: a .npy matrix, an optional metadata table
// (.csv or .json, one row per embedding) and the modality of the rows.

#include <QDialog>

class QComboBox;
class QLineEdit;
class QPushButton;

namespace scenelens {

class ImportEmbeddingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportEmbeddingsDialog(QWidget* parent = nullptr);

    QString embeddingsPath() const;
    QString metadataPath() const;
    /// object3d, scene3d, text, image, or "" to take it from the metadata's modality column.
    QString modality() const;

private:
    void browseEmbeddings();
    void browseMetadata();
    void updateOk();

    QLineEdit* embeddings_;
    QLineEdit* metadata_;
    QComboBox* modality_;
    QPushButton* ok_ = nullptr;
};

} // namespace scenelens
