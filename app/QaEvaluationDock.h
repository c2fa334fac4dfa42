#pragma once
// The result of evaluating a QA model on a question file: what was read, run and skipped (with
// the missing scenes), the metrics as a table (EM@1, EM@10, BLEU-1..4, ROUGE-L, CIDEr for ScanQA
// style; accuracy per question type for SQA3D style), and every question with its reference,
// prediction and correctness, filterable by type and correctness. Choosing a row asks for it to be
// shown in its scene (rowChosen).

#include "QuestionBrowser.h"
#include "qa/QaEvaluation.h"

#include <QDockWidget>

class QComboBox;
class QLabel;
class QTableWidget;

namespace scenelens {

class QaEvaluationDock : public QDockWidget {
    Q_OBJECT
public:
    explicit QaEvaluationDock(QWidget* parent = nullptr);

    /// Shows an evaluation of `questions` (the file's questions, in file order) by `model`.
    void setEvaluation(const qa::QaEvaluation& evaluation,
                       const QVector<ReferenceQuestion>& questions, const QString& model);

    QTableWidget* metricsTable() const { return metrics_; }
    QTableWidget* resultsTable() const { return results_; }
    /// "read 120 questions about 4 scenes; ran 90 on 3 scenes; 30 skipped: …"
    QString summary() const;
    /// Shows only rows of this question type ("" for all) and correctness (nullopt for all).
    void setFilter(const QString& type, std::optional<bool> correct);
    /// Rows shown now, as indices into the evaluated questions.
    QVector<int> shownRows() const;

Q_SIGNALS:
    /// The user chose a result: show `question` in its scene.
    void rowChosen(const ReferenceQuestion& question);

private:
    void fillMetrics(const qa::QaEvaluation& evaluation);
    void fillResults(const qa::QaEvaluation& evaluation);
    void applyFilter();

    QLabel* summary_;
    QTableWidget* metrics_;
    QComboBox* typeFilter_;
    QComboBox* correctFilter_;
    QTableWidget* results_;
    QVector<ReferenceQuestion> questions_; // the evaluated ones, one per results row
};

} // namespace scenelens
