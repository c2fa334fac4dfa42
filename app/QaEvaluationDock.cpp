#include "QaEvaluationDock.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>

namespace scenelens {

namespace {

enum ResultColumn { kQuestion, kType, kReference, kPrediction, kCorrect, kColumns };
constexpr int kCorrectRole = Qt::UserRole;

void addMetric(QTableWidget* table, const QString& name, const QString& value,
               const QString& count = {}) {
    const int row = table->rowCount();
    table->insertRow(row);
    table->setItem(row, 0, new QTableWidgetItem(name));
    table->setItem(row, 1, new QTableWidgetItem(value));
    table->setItem(row, 2, new QTableWidgetItem(count));
}

QString percent(double fraction) {
    return QString::number(100.0 * fraction, 'f', 2);
}

QString typeOf(const QString& question) {
    return QString::fromLatin1(
        qa::sqaQuestionTypeName(qa::sqaQuestionType(question.toStdString())));
}

} // namespace

QaEvaluationDock::QaEvaluationDock(QWidget* parent)
    : QDockWidget(tr("QA Evaluation"), parent), summary_(new QLabel),
      metrics_(new QTableWidget(0, 3)), typeFilter_(new QComboBox), correctFilter_(new QComboBox),
      results_(new QTableWidget(0, kColumns)) {
    setObjectName(QStringLiteral("QaEvaluationDock"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    metrics_->setHorizontalHeaderLabels({tr("Metric"), tr("Value (%)"), tr("Questions")});
    metrics_->verticalHeader()->hide();
    metrics_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    metrics_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    results_->setHorizontalHeaderLabels(
        {tr("Question"), tr("Type"), tr("Reference"), tr("Prediction"), tr("Correct")});
    results_->verticalHeader()->hide();
    results_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    results_->setSelectionBehavior(QAbstractItemView::SelectRows);
    results_->setSelectionMode(QAbstractItemView::SingleSelection);
    results_->horizontalHeader()->setSectionResizeMode(kQuestion, QHeaderView::Stretch);
    correctFilter_->addItem(tr("All answers"));
    correctFilter_->addItem(tr("Correct"), true);
    correctFilter_->addItem(tr("Wrong"), false);

    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Show:")));
    filters->addWidget(typeFilter_);
    filters->addWidget(correctFilter_);
    filters->addStretch();
    auto* body = new QWidget;
    auto* layout = new QVBoxLayout(body);
    layout->addWidget(summary_);
    layout->addWidget(metrics_);
    layout->addLayout(filters);
    layout->addWidget(results_, 1);
    setWidget(body);

    connect(typeFilter_, &QComboBox::currentIndexChanged, this, &QaEvaluationDock::applyFilter);
    connect(correctFilter_, &QComboBox::currentIndexChanged, this, &QaEvaluationDock::applyFilter);
    connect(results_, &QTableWidget::itemSelectionChanged, this, [this] {
        const QList<QTableWidgetItem*> selected = results_->selectedItems();
        if (!selected.isEmpty())
            Q_EMIT rowChosen(questions_[selected.front()->row()]);
    });
}

void QaEvaluationDock::setEvaluation(const qa::QaEvaluation& evaluation,
                                     const QVector<ReferenceQuestion>& questions,
                                     const QString& model) {
    const QLocale locale;
    QString text = tr("%1: read %2 questions about %3 scenes; ran %4 questions on %5 scenes")
                       .arg(model, locale.toString(qulonglong(evaluation.questionsRead)),
                            locale.toString(qulonglong(evaluation.scenesRead)),
                            locale.toString(qulonglong(evaluation.questionsRun)),
                            locale.toString(qulonglong(evaluation.scenesRun)));
    if (evaluation.questionsSkipped > 0) {
        QStringList missing;
        for (const std::string& scene : evaluation.missingScenes)
            missing << QString::fromStdString(scene);
        text += tr("; %1 skipped, their scenes are missing: %2")
                    .arg(locale.toString(qulonglong(evaluation.questionsSkipped)),
                         missing.join(QStringLiteral(", ")));
    }
    summary_->setText(text + QLatin1Char('.'));

    std::map<std::pair<QString, QString>, const ReferenceQuestion*> byId;
    for (const ReferenceQuestion& q : questions)
        byId[{q.sceneId, q.id}] = &q;
    questions_.clear();
    for (const qa::QaPrediction& p : evaluation.predictions)
        questions_.push_back(
            *byId.at({QString::fromStdString(p.sceneId), QString::fromStdString(p.questionId)}));
    fillMetrics(evaluation);
    fillResults(evaluation);
}

void QaEvaluationDock::fillMetrics(const qa::QaEvaluation& evaluation) {
    metrics_->setRowCount(0);
    const QString scored = QString::number(evaluation.questionsScored);
    if (const auto& s = evaluation.scanQA) {
        addMetric(metrics_, tr("EM@1"), percent(s->exactMatch1), scored);
        addMetric(metrics_, tr("EM@10"), percent(s->exactMatch10), scored);
        for (int n = 0; n < 4; ++n)
            addMetric(metrics_, tr("BLEU-%1").arg(n + 1), percent(s->bleu[std::size_t(n)]), scored);
        addMetric(metrics_, tr("ROUGE-L"), percent(s->rougeL), scored);
        addMetric(metrics_, tr("CIDEr"), percent(s->cider), scored);
        addMetric(metrics_, tr("METEOR"), tr("not computed (needs Java)"));
    }
    if (const auto& s = evaluation.sqa) {
        addMetric(metrics_, tr("Accuracy"), percent(s->overall.accuracy()),
                  QString::number(s->overall.questions));
        for (std::size_t t = 0; t < qa::kSqaQuestionTypes; ++t) {
            const qa::AccuracyCount& c = s->perType[t];
            addMetric(metrics_,
                      QString::fromLatin1(qa::sqaQuestionTypeName(qa::SqaQuestionType(t))),
                      c.questions ? percent(c.accuracy()) : QStringLiteral("-"),
                      QString::number(c.questions));
        }
    }
}

void QaEvaluationDock::fillResults(const qa::QaEvaluation& evaluation) {
    const QSignalBlocker blocker(results_);
    results_->setRowCount(0);
    QStringList types;
    for (int row = 0; row < questions_.size(); ++row) {
        const ReferenceQuestion& q = questions_[row];
        const qa::QaPrediction& p = evaluation.predictions[std::size_t(row)];
        std::vector<std::string> references;
        for (const QString& answer : q.answers)
            references.push_back(answer.toStdString());
        const QString predicted =
            p.answers.empty() ? QString() : QString::fromStdString(p.answers[0]);
        const bool correct = !p.answers.empty() && qa::answerMatches(p.answers[0], references);
        const QString type = typeOf(q.question);
        if (!types.contains(type))
            types << type;
        results_->insertRow(row);
        results_->setItem(row, kQuestion, new QTableWidgetItem(q.question));
        results_->setItem(row, kType, new QTableWidgetItem(type));
        results_->setItem(row, kReference,
                          new QTableWidgetItem(q.answers.join(QStringLiteral(" / "))));
        results_->setItem(row, kPrediction, new QTableWidgetItem(predicted));
        auto* mark = new QTableWidgetItem(correct ? tr("yes") : tr("no"));
        mark->setData(kCorrectRole, correct);
        mark->setForeground(correct ? QColor(40, 160, 70) : QColor(200, 50, 50));
        results_->setItem(row, kCorrect, mark);
    }
    const QSignalBlocker typeBlocker(typeFilter_);
    typeFilter_->clear();
    typeFilter_->addItem(tr("All types"), QString());
    for (const QString& type : types)
        typeFilter_->addItem(type, type);
    applyFilter();
}

QString QaEvaluationDock::summary() const {
    return summary_->text();
}

void QaEvaluationDock::setFilter(const QString& type, std::optional<bool> correct) {
    typeFilter_->setCurrentIndex(std::max(0, typeFilter_->findData(type)));
    correctFilter_->setCurrentIndex(correct ? (*correct ? 1 : 2) : 0);
    applyFilter();
}

void QaEvaluationDock::applyFilter() {
    const QString type = typeFilter_->currentData().toString();
    const QVariant correct = correctFilter_->currentData();
    for (int row = 0; row < results_->rowCount(); ++row) {
        const bool typeShown = type.isEmpty() || results_->item(row, kType)->text() == type;
        const bool correctShown =
            !correct.isValid() ||
            results_->item(row, kCorrect)->data(kCorrectRole).toBool() == correct.toBool();
        results_->setRowHidden(row, !(typeShown && correctShown));
    }
}

QVector<int> QaEvaluationDock::shownRows() const {
    QVector<int> shown;
    for (int row = 0; row < results_->rowCount(); ++row)
        if (!results_->isRowHidden(row))
            shown << row;
    return shown;
}

} // namespace scenelens
