#pragma once
// Asks a loaded QA model about the open scene: a question (with history on Up/Down), a situation
// for situated (SQA3D-style) models, and the model to ask. Answers come back off the GUI thread
// with their probabilities; the objects the model points at are ranked, their boxes drawn in the
// 3D view coloured by probability, and the best one selected. Clicking an object frames it. The
// agent of a situated question is placed by clicking and dragging in the 3D view (or loaded from
// an SQA3D annotation) and drawn beside the pose the model predicts.

#include "QuestionBrowser.h"
#include "ml/QaModel.h"
#include "qa/QuestionSets.h"

#include <QDockWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace scenelens {

class BackgroundJob;
class MainWindow;
class ModelLibrary;
class QaEvaluationDock;

class QaPanel : public QDockWidget {
    Q_OBJECT
public:
    QaPanel(MainWindow* window, ModelLibrary* models);

    /// Asks the chosen model the question (and situation) in the fields about the open scene.
    void ask();
    void setQuestion(const QString& question);
    void setSituation(const QString& situation);
    /// Chooses the loaded QA bundle from `folder`; false when none is loaded from there.
    bool chooseModel(const QString& folder);
    /// Focuses the question field.
    void focusQuestion();

    BackgroundJob* job() const { return job_; }
    /// The last answer (empty before the first).
    const QaResult& result() const { return result_; }
    QTreeWidget* answersView() const { return answers_; }
    QTreeWidget* objectsView() const { return objects_; }
    /// "12 ms on cpu".
    QString latencyText() const;
    /// Questions asked, oldest first.
    const QStringList& history() const { return history_; }

    /// The agent placed in the scene (SceneView's placed agent) as an SQA3D pose, if any.
    std::optional<qa::AgentPose> placedPose() const;
    /// Places the agent (e.g. from an SQA3D annotation) and shows it.
    void setPlacedPose(const qa::AgentPose& pose);
    /// Writes / reads the placed pose in SQA3D's annotation form; false after showing an error.
    bool savePose(const QString& path);
    bool loadPose(const QString& path);

    /// The ScanQA / SQA3D question file browsed for the open scene.
    QuestionBrowser* questions() const { return questions_; }
    /// Asks `question` as the file poses it (situation and agent pose included) and compares the
    /// answer with its references.
    void askReference(const ReferenceQuestion& question);
    /// "Reference: brown · top answer correct", after a question of the file was answered.
    QString referenceText() const;

    /// Evaluates the chosen model on the open question file, with scenes from `scansDir` (one
    /// folder per scene id), in the background; the result goes to evaluationDock().
    void evaluateFile(const QString& scansDir);
    QaEvaluationDock* evaluationDock() const { return evaluationDock_; }

Q_SIGNALS:
    void answered();
    /// An evaluation finished and is shown in evaluationDock().
    void evaluated();
    void failed(const QString& message);

private:
    void rebuildModelChoices();
    void updateSituationField();
    std::shared_ptr<const QaModel> chosenModel() const;
    void showResult(const QaResult& result, double milliseconds, const QString& device);
    void markObjects();
    void showPlacedPose();
    void showReference();
    /// Shows a question of an evaluation in its scene (opening it from the scans folder first).
    void showEvaluated(const ReferenceQuestion& question);
    void stepHistory(int step);
    bool eventFilter(QObject* watched, QEvent* event) override;

    MainWindow* window_;
    ModelLibrary* models_;
    BackgroundJob* job_;
    QComboBox* model_;
    QLineEdit* situation_;
    QLineEdit* question_;
    QPushButton* askButton_;
    QPushButton* placeButton_;
    QLabel* pose_;
    QLabel* latency_;
    QTreeWidget* answers_;
    QTreeWidget* objects_;
    QuestionBrowser* questions_;
    QaEvaluationDock* evaluationDock_;
    QString evaluatedScans_;
    QLabel* reference_;
    QaResult result_;
    std::optional<ReferenceQuestion> asked_; // the file's question being answered
    QStringList history_;
    int historyIndex_ = 0; // == history_.size() while typing a new question
};

} // namespace scenelens
