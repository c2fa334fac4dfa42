#pragma once
// A question file (ScanQA_v1.0_*.json, or SQA3D's v1_balanced_questions_*.json with its
// v1_balanced_sqa_annotations_*.json beside it) browsed for the open scene: the questions about it
// with their reference answers; choosing one (double-click or Enter) hands it over to be asked.

#include "qa/QuestionSets.h"

#include <QStringList>
#include <QVector>
#include <QWidget>

#include <optional>

class QLabel;
class QTreeWidget;

namespace scenelens {

/// A question of either file format, with what it is checked against.
struct ReferenceQuestion {
    QString id;
    QString sceneId;
    QString question;
    QString situation;                 ///< SQA3D only
    QStringList answers;               ///< reference answers
    QVector<int> objectIds;            ///< ScanQA only: the objects the question is about
    std::optional<qa::AgentPose> pose; ///< SQA3D only
};

/// The SQA3D annotations file that goes with a questions file (same folder, "questions" →
/// "sqa_annotations" in the name).
QString sqa3dAnnotationsFor(const QString& questionsPath);

/// Whether `path` is an SQA3D questions file ({"questions": [...]}) rather than a ScanQA list.
bool isSqa3dQuestionFile(const QString& path);

/// Reads a ScanQA list or an SQA3D questions file (with its annotations); throws FileError.
QVector<ReferenceQuestion> readReferenceQuestions(const QString& path);

class QuestionBrowser : public QWidget {
    Q_OBJECT
public:
    explicit QuestionBrowser(QWidget* parent = nullptr);

    /// Reads the file; false after reporting failed() with a message naming it.
    bool open(const QString& path);
    /// Lists the questions about `sceneId`.
    void setScene(const QString& sceneId);
    /// The open file ("" before one is opened) and all its questions, in file order.
    const QString& path() const { return path_; }
    const QVector<ReferenceQuestion>& all() const { return all_; }
    /// The questions listed now, in file order.
    const QVector<ReferenceQuestion>& listed() const { return listed_; }
    /// Chooses the listed question `row` (emits chosen).
    void choose(int row);

Q_SIGNALS:
    void chosen(const ReferenceQuestion& question);
    void failed(const QString& message);

private:
    void relist();

    QLabel* summary_;
    QTreeWidget* list_;
    QString path_;
    QString sceneId_;
    QVector<ReferenceQuestion> all_;
    QVector<ReferenceQuestion> listed_;
};

} // namespace scenelens
