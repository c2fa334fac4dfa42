#pragma once
// Chooses how to project an embedding set: method (PCA, t-SNE, UMAP), dimensions, the method's
// parameters, distance metric, seed, whether to centre each modality and whether to compute quality
// metrics; optionally which of several embedding sets to project together. Starts from the values
// accepted last time (QSettings) and remembers the accepted ones.

#include "embed/Projection.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace scenelens {

class ProjectionDialog : public QDialog {
    Q_OBJECT
public:
    /// `inputSummary` describes what is projected, e.g. "1,200 rows × 512 dims (objects.npy)".
    explicit ProjectionDialog(const QString& inputSummary, QWidget* parent = nullptr);

    embed::ProjectionOptions options() const;
    void setOptions(const embed::ProjectionOptions& options);
    bool computeMetrics() const;
    void setComputeMetrics(bool compute);

    /// Offers a choice of input sets (all checked at first): the dialog then lists them and
    /// accepts only with at least one checked.
    void setInputChoices(const QStringList& names);
    /// Indices (into setInputChoices' names) of the checked sets, ascending.
    QList<int> chosenInputs() const;

    /// Saves the values as next time's defaults, then closes with Accepted.
    void accept() override;

private:
    void updateEnabledFields();

    QComboBox* method_;
    QComboBox* dims_;
    QDoubleSpinBox* perplexity_;
    QSpinBox* neighbours_;
    QDoubleSpinBox* minDist_;
    QComboBox* metric_;
    QSpinBox* seed_;
    QCheckBox* metrics_;
    QCheckBox* centre_;
    QListWidget* inputs_;
    QPushButton* projectButton_ = nullptr;
};

} // namespace scenelens
