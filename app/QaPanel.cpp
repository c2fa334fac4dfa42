#include "QaPanel.h"

#include "BackgroundJob.h"
#include "MainWindow.h"
#include "ModelLibrary.h"
#include "QaEvaluationDock.h"
#include "SceneView.h"
#include "SelectionModel.h"
#include "UserMessages.h"
#include "embed/PlotEncoding.h"
#include "qa/QaMetrics.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtMath>

#include <algorithm>
#include <cmath>

namespace scenelens {

namespace {

/// Boxes of the most probable object tokens drawn in the scene.
constexpr int kMarkedObjects = 5;
constexpr Rgb8 kReferenceBoxColor{255, 255, 255};

Box3 toBox(const CentreSizeBox& box) {
    Box3 out;
    const Eigen::Vector3f centre(box[0], box[1], box[2]), half(box[3] / 2, box[4] / 2, box[5] / 2);
    out.extend(centre - half);
    out.extend(centre + half);
    return out;
}

QProgressBar* probabilityBar(float probability) {
    auto* bar = new QProgressBar;
    bar->setRange(0, 1000);
    bar->setValue(int(std::lround(1000 * probability)));
    bar->setFormat(QString::number(probability, 'f', 3));
    bar->setMaximumHeight(16);
    return bar;
}

} // namespace

QaPanel::QaPanel(MainWindow* window, ModelLibrary* models)
    : QDockWidget(tr("Ask"), window), window_(window), models_(models),
      job_(new BackgroundJob(this)), model_(new QComboBox), situation_(new QLineEdit),
      question_(new QLineEdit), askButton_(new QPushButton(tr("&Ask"))),
      placeButton_(new QPushButton(tr("&Place Agent"))), pose_(new QLabel), latency_(new QLabel),
      answers_(new QTreeWidget), objects_(new QTreeWidget), questions_(new QuestionBrowser),
      evaluationDock_(new QaEvaluationDock(window)), reference_(new QLabel) {
    setObjectName(QStringLiteral("QaPanel"));
    question_->setPlaceholderText(tr("Ask about the scene, e.g. what is on the table?"));
    question_->setClearButtonEnabled(true);
    question_->setObjectName(QStringLiteral("QaQuestion"));
    situation_->setObjectName(QStringLiteral("QaSituation"));
    question_->installEventFilter(this);
    situation_->setPlaceholderText(tr("Situated models: e.g. I am sitting on the bed"));
    answers_->setHeaderLabels({tr("Answer"), tr("Probability")});
    answers_->setRootIsDecorated(false);
    answers_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    objects_->setHeaderLabels({tr("Token"), tr("Object"), tr("Probability")});
    objects_->setRootIsDecorated(false);
    objects_->header()->setSectionResizeMode(1, QHeaderView::Stretch);

    placeButton_->setCheckable(true);
    placeButton_->setObjectName(QStringLiteral("QaPlaceAgent"));
    placeButton_->setToolTip(tr("Click where the agent stands in the 3D view and drag the way it "
                                "faces"));
    auto* loadPose = new QPushButton(tr("Load…"));
    auto* savePose = new QPushButton(tr("Save…"));
    loadPose->setToolTip(tr("Read a pose in SQA3D's annotation form (position, rotation)"));
    savePose->setToolTip(tr("Write the placed pose in SQA3D's annotation form"));
    auto* poseRow = new QHBoxLayout;
    poseRow->addWidget(placeButton_);
    poseRow->addWidget(pose_, 1);
    poseRow->addWidget(loadPose);
    poseRow->addWidget(savePose);

    auto* form = new QFormLayout;
    form->addRow(tr("&Model:"), model_);
    form->addRow(tr("&Situation:"), situation_);
    form->addRow(tr("Agent:"), poseRow);
    auto* questionRow = new QHBoxLayout;
    questionRow->addWidget(question_);
    questionRow->addWidget(askButton_);
    form->addRow(tr("&Question:"), questionRow);
    auto* body = new QWidget;
    auto* layout = new QVBoxLayout(body);
    layout->addLayout(form);
    layout->addWidget(latency_);
    reference_->setWordWrap(true);
    layout->addWidget(reference_);
    layout->addWidget(answers_, 1);
    layout->addWidget(new QLabel(tr("Objects the model points at:")));
    layout->addWidget(objects_, 1);
    layout->addWidget(questions_, 1);
    auto* evaluate = new QPushButton(tr("&Evaluate on File…"));
    evaluate->setToolTip(tr("Answer every question of the open file whose scene is in a scans "
                            "folder, and score the answers"));
    layout->addWidget(evaluate);
    window->addDockWidget(Qt::RightDockWidgetArea, evaluationDock_);
    evaluationDock_->hide();
    connect(evaluationDock_, &QaEvaluationDock::rowChosen, this, &QaPanel::showEvaluated);
    connect(evaluate, &QPushButton::clicked, this, [this] {
        QString suggested = evaluatedScans_;
        if (suggested.isEmpty() && window_->scene())
            suggested =
                QFileInfo(QString::fromStdString(window_->scene()->sourcePath)).absolutePath();
        const QString scans = QFileDialog::getExistingDirectory(
            this, tr("Scans Folder (one folder per scene)"), suggested);
        if (!scans.isEmpty())
            evaluateFile(scans);
    });
    setWidget(body);

    SceneView* view = window_->sceneView();
    connect(placeButton_, &QPushButton::toggled, view, &SceneView::setPlacingAgent);
    connect(view, &SceneView::placingAgentChanged, placeButton_, &QPushButton::setChecked);
    connect(view, &SceneView::agentPlaced, this, &QaPanel::showPlacedPose);
    connect(loadPose, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("Load Agent Pose"), {}, tr("JSON (*.json)"));
        if (!file.isEmpty())
            this->loadPose(file);
    });
    connect(savePose, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(
            this, tr("Save Agent Pose"), QStringLiteral("pose.json"), tr("JSON (*.json)"));
        if (!file.isEmpty())
            this->savePose(file);
    });
    connect(questions_, &QuestionBrowser::chosen, this, &QaPanel::askReference);
    connect(questions_, &QuestionBrowser::failed, this, [this](const QString& message) {
        showWarning(window_, tr("Could not open the question file"), message);
        Q_EMIT failed(message);
    });
    connect(question_, &QLineEdit::returnPressed, this, &QaPanel::ask);
    connect(askButton_, &QPushButton::clicked, this, &QaPanel::ask);
    connect(model_, &QComboBox::currentIndexChanged, this, &QaPanel::updateSituationField);
    connect(models_, &ModelLibrary::bundlesChanged, this, &QaPanel::rebuildModelChoices);
    connect(objects_, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) {
        const int id = item->data(1, Qt::UserRole).toInt();
        if (id >= 0) {
            window_->selection()->selectOnly(id);
            window_->sceneView()->focusOnObject(id);
        }
    });
    connect(answers_, &QTreeWidget::itemClicked, this, [this] {
        // An answer is about the object the model points at most.
        if (objects_->topLevelItemCount() > 0)
            Q_EMIT objects_->itemClicked(objects_->topLevelItem(0), 0);
    });
    connect(window_, &MainWindow::sceneLoaded, this, [this] {
        result_ = {};
        answers_->clear();
        objects_->clear();
        latency_->clear();
        asked_.reset();
        showReference();
        showPlacedPose();
        questions_->setScene(QString::fromStdString(window_->scene()->id));
    });
    connect(job_, &BackgroundJob::failed, this, [this](const QString& message) {
        latency_->setText(message);
        Q_EMIT failed(message);
    });
    rebuildModelChoices();
}

void QaPanel::rebuildModelChoices() {
    const QString current = model_->currentData().toString();
    model_->clear();
    for (const LoadedBundle& bundle : models_->bundles())
        if (bundle.qa)
            model_->addItem(QString::fromStdString(bundle.manifest.name) +
                                (bundle.manifest.situated ? tr(" (situated)") : QString()),
                            QString::fromStdString(bundle.manifest.directory));
    if (model_->count() == 0)
        model_->addItem(tr("Load a QA bundle (Models › Load Bundle…)"));
    const int index = model_->findData(current);
    model_->setCurrentIndex(index >= 0 ? index : 0);
    updateSituationField();
}

std::shared_ptr<const QaModel> QaPanel::chosenModel() const {
    const QString folder = model_->currentData().toString();
    for (const LoadedBundle& bundle : models_->bundles())
        if (bundle.qa && QString::fromStdString(bundle.manifest.directory) == folder)
            return bundle.qa;
    return nullptr;
}

bool QaPanel::chooseModel(const QString& folder) {
    const int index = model_->findData(QDir(folder).absolutePath());
    if (index < 0)
        return false;
    model_->setCurrentIndex(index);
    return true;
}

void QaPanel::updateSituationField() {
    const auto model = chosenModel();
    const bool situated = model && model->manifest().situated;
    situation_->setEnabled(situated);
    placeButton_->setEnabled(situated);
    askButton_->setEnabled(model != nullptr);
}

void QaPanel::setQuestion(const QString& question) {
    question_->setText(question);
}

void QaPanel::setSituation(const QString& situation) {
    situation_->setText(situation);
}

void QaPanel::focusQuestion() {
    show();
    raise();
    question_->setFocus();
    question_->selectAll();
}

void QaPanel::ask() {
    const QString question = question_->text().trimmed();
    const auto model = chosenModel();
    const auto scene = window_->sharedScene();
    QString problem;
    if (!model)
        problem = tr("Load a QA bundle first (Models › Load Bundle…).");
    else if (!scene)
        problem = tr("Open a scene to ask about.");
    else if (question.isEmpty())
        problem = tr("Type a question.");
    if (!problem.isEmpty()) {
        latency_->setText(problem);
        Q_EMIT failed(problem);
        return;
    }
    if (asked_ && asked_->question != question)
        asked_.reset(); // a question of the user's own, not the file's
    if (history_.isEmpty() || history_.back() != question)
        history_ << question;
    historyIndex_ = int(history_.size());
    const std::string situation =
        situation_->isEnabled() ? situation_->text().trimmed().toStdString() : std::string();
    struct Answer {
        QaResult result;
        double milliseconds = 0;
    };
    auto answer = std::make_shared<Answer>();
    job_->start(tr("Asking %1").arg(QString::fromStdString(model->manifest().name)),
                [model, scene, q = question.toStdString(), situation, answer](ProgressSink&) {
                    QElapsedTimer timer;
                    timer.start();
                    answer->result = model->ask(*scene, q, situation, 10);
                    answer->milliseconds = double(timer.nsecsElapsed()) / 1e6;
                });
    disconnect(job_, &BackgroundJob::finished, this, nullptr);
    connect(job_, &BackgroundJob::finished, this, [this, answer, model] {
        showResult(answer->result, answer->milliseconds,
                   QString::fromStdString(model->module().runtime().device));
    });
    latency_->setText(tr("Asking…"));
}

void QaPanel::showResult(const QaResult& result, double milliseconds, const QString& device) {
    result_ = result;
    latency_->setText(tr("%1 ms on %2").arg(milliseconds, 0, 'f', 0).arg(device));
    answers_->clear();
    for (const QaAnswer& a : result.answers) {
        auto* item = new QTreeWidgetItem(answers_, {QString::fromStdString(a.text)});
        answers_->setItemWidget(item, 1, probabilityBar(a.probability));
    }
    objects_->clear();
    for (const QaObject& o : result.objects) {
        const QString object = o.match.objectId >= 0
                                   ? tr("%1 (object %2, IoU %3)")
                                         .arg(QString::fromStdString(o.match.rawLabel))
                                         .arg(o.match.objectId)
                                         .arg(o.match.iou, 0, 'f', 2)
                                   : tr("no annotated object");
        auto* item = new QTreeWidgetItem(objects_, {QString::number(o.token), object});
        item->setData(1, Qt::UserRole, o.match.objectId);
        objects_->setItemWidget(item, 2, probabilityBar(o.probability));
    }
    markObjects();
    showReference();
    std::optional<AgentMarker> predicted;
    if (result.position && result.rotation) {
        const auto& p = *result.position;
        const auto& r = *result.rotation;
        predicted = AgentMarker{{p[0], p[1], p[2]},
                                qa::headingOf(Eigen::Quaternionf(r[0], r[1], r[2], r[3])),
                                SceneView::kPredictedAgentColor};
    }
    window_->sceneView()->setPredictedAgent(predicted);
    Q_EMIT answered();
}

void QaPanel::evaluateFile(const QString& scansDir) {
    const auto model = chosenModel();
    QString problem;
    if (!model)
        problem = tr("Load a QA bundle first (Models › Load Bundle…).");
    else if (questions_->path().isEmpty())
        problem = tr("Open a question file first (Models › Open Question File…).");
    if (!problem.isEmpty()) {
        latency_->setText(problem);
        Q_EMIT failed(problem);
        return;
    }
    evaluatedScans_ = scansDir;
    const QString path = questions_->path();
    const QVector<ReferenceQuestion> questions = questions_->all();
    auto evaluation = std::make_shared<qa::QaEvaluation>();
    job_->start(
        tr("Evaluating %1 on %2")
            .arg(QString::fromStdString(model->manifest().name), QFileInfo(path).fileName()),
        [model, path, scans = scansDir.toStdString(), evaluation](ProgressSink& sink) {
            const bool sqa = isSqa3dQuestionFile(path);
            const std::string file = path.toStdString();
            const auto questions = sqa ? qa::evalQuestions(qa::readSqa3d(
                                             file, sqa3dAnnotationsFor(path).toStdString()))
                                       : qa::evalQuestions(qa::readScanQA(file));
            qa::QaEvaluationOptions options;
            options.scansDir = scans;
            *evaluation = qa::evaluateQa(*model, questions,
                                         sqa ? qa::QuestionStyle::Sqa3d : qa::QuestionStyle::ScanQA,
                                         options, &sink);
        });
    disconnect(job_, &BackgroundJob::finished, this, nullptr);
    connect(job_, &BackgroundJob::finished, this, [this, evaluation, questions, model] {
        evaluationDock_->setEvaluation(*evaluation, questions,
                                       QString::fromStdString(model->manifest().name));
        evaluationDock_->show();
        evaluationDock_->raise();
        Q_EMIT evaluated();
    });
}

void QaPanel::showEvaluated(const ReferenceQuestion& question) {
    const Scene* scene = window_->scene();
    if (scene && QString::fromStdString(scene->id) == question.sceneId)
        return askReference(question);
    // One-shot: ask once the question's own scene has loaded.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(window_, &MainWindow::sceneLoaded, this, [this, question, connection] {
        disconnect(*connection);
        askReference(question);
    });
    window_->openScene(QDir(evaluatedScans_).filePath(question.sceneId));
}

void QaPanel::askReference(const ReferenceQuestion& question) {
    asked_ = question;
    setQuestion(question.question);
    setSituation(question.situation);
    if (question.pose)
        setPlacedPose(*question.pose);
    ask();
}

QString QaPanel::referenceText() const {
    return reference_->text();
}

void QaPanel::showReference() {
    if (!asked_ || result_.answers.empty()) {
        reference_->clear();
        return;
    }
    std::vector<std::string> references;
    for (const QString& answer : asked_->answers)
        references.push_back(answer.toStdString());
    const bool correct = qa::answerMatches(result_.answers.front().text, references);
    reference_->setText(tr("Reference: %1 · top answer %2")
                            .arg(asked_->answers.join(QStringLiteral(" / ")),
                                 correct ? tr("correct") : tr("wrong")));
}

std::optional<qa::AgentPose> QaPanel::placedPose() const {
    const auto& placed = window_->sceneView()->placedAgent();
    if (!placed)
        return std::nullopt;
    return qa::AgentPose{placed->position, qa::headingRotation(placed->yaw)};
}

void QaPanel::setPlacedPose(const qa::AgentPose& pose) {
    window_->sceneView()->setPlacedAgent(
        AgentMarker{pose.position, qa::headingOf(pose.rotation), SceneView::kPlacedAgentColor});
    showPlacedPose();
}

void QaPanel::showPlacedPose() {
    const auto pose = placedPose();
    pose_->setText(pose ? tr("(%1, %2, %3) facing %4°")
                              .arg(pose->position.x(), 0, 'f', 2)
                              .arg(pose->position.y(), 0, 'f', 2)
                              .arg(pose->position.z(), 0, 'f', 2)
                              .arg(qRadiansToDegrees(qa::headingOf(pose->rotation)), 0, 'f', 0)
                        : tr("not placed"));
}

bool QaPanel::savePose(const QString& path) {
    const auto pose = placedPose();
    try {
        if (!pose)
            throw std::invalid_argument("no agent is placed: use Place Agent first");
        qa::writeAgentPose(path.toStdString(), *pose);
        return true;
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
        showWarning(window_, tr("Could not save the pose"), QString::fromUtf8(e.what()));
        return false;
    }
}

bool QaPanel::loadPose(const QString& path) {
    try {
        setPlacedPose(qa::readAgentPose(path.toStdString()));
        return true;
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
        showWarning(window_, tr("Could not load the pose"), QString::fromUtf8(e.what()));
        return false;
    }
}

void QaPanel::markObjects() {
    // The most probable boxes, coloured from viridis' dark end (least) to its yellow (most).
    std::vector<MarkedBox> marked;
    const int count = std::min<int>(kMarkedObjects, int(result_.objects.size()));
    for (int i = 0; i < count; ++i) {
        const embed::Rgba8 c =
            embed::colormapColor(embed::Colormap::Viridis, 1.0 - double(i) / kMarkedObjects);
        marked.push_back({toBox(result_.objects[std::size_t(i)].box), {c[0], c[1], c[2]}});
    }
    // The question's own objects beside them, in white (ground truth).
    if (asked_ && window_->scene())
        for (int id : asked_->objectIds)
            if (const SceneObject* object = window_->scene()->findObject(id))
                marked.push_back({object->box, kReferenceBoxColor});
    window_->sceneView()->setMarkedBoxes(std::move(marked));
    if (!result_.objects.empty() && result_.objects.front().match.objectId >= 0)
        window_->selection()->selectOnly(result_.objects.front().match.objectId);
}

QString QaPanel::latencyText() const {
    return latency_->text();
}

void QaPanel::stepHistory(int step) {
    if (history_.isEmpty())
        return;
    historyIndex_ = std::clamp(historyIndex_ + step, 0, int(history_.size()));
    question_->setText(historyIndex_ < history_.size() ? history_[historyIndex_] : QString());
}

bool QaPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == question_ && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down) {
            stepHistory(key == Qt::Key_Up ? -1 : 1);
            return true;
        }
    }
    return QDockWidget::eventFilter(watched, event);
}

} // namespace scenelens
