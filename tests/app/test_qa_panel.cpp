// The Ask panel under xvfb, with modelkit's tiny qa and sqa bundles on a synthetic room: it asks
// off the GUI thread, shows the model's own top answers and objects (checked against QaModel::ask),
// marks the most probable boxes in the 3D view and selects the best object, keeps a question
// history on Up/Down, and enables the situation only for situated models.

#include "WindowTestSupport.h"

#include "BackgroundJob.h"
#include "MainWindow.h"
#include "ModelLibrary.h"
#include "QaEvaluationDock.h"
#include "QaPanel.h"
#include "QuestionBrowser.h"
#include "SceneRenderer.h"
#include "SceneView.h"
#include "SelectionModel.h"
#include "qa/QaMetrics.h"
#include "qa/QuestionSets.h"
#include "scene/synth/SyntheticDataset.h"

#include <QFileInfo>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace scenelens;

namespace {

const QString kTiny = QStringLiteral(SCENELENS_TINY_BUNDLES);

/// Opens `scene` in the shown window and loads `bundles`; false when either does not finish.
bool openWithModels(MainWindow& window, const QString& scene, const QStringList& bundles) {
    window.show();
    QSignalSpy loaded(&window, &MainWindow::sceneLoaded);
    window.openScene(scene);
    if (!loaded.wait(60000))
        return false;
    QSignalSpy finished(window.models(), &ModelLibrary::loadFinished);
    window.models()->load(bundles);
    return finished.wait(120000);
}

} // namespace

class TestQaPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        test::isolateSettings(QStringLiteral("test_qa_panel"));
        QVERIFY(data_.isValid());
        const synth::DatasetSummary summary =
            synth::writeSyntheticDataset({data_.path().toStdString(), 1, 3, 0.004f});
        const std::string id =
            !summary.train.empty() ? summary.train.front() : summary.test.front();
        scene_ = data_.filePath(QStringLiteral("scans/") + QString::fromStdString(id));
    }

    void asksOffTheGuiThreadAndMarksTheObjects() {
        MainWindow window;
        QVERIFY(openWithModels(window, scene_,
                               {kTiny + QStringLiteral("/qa"), kTiny + QStringLiteral("/sqa")}));

        QaPanel& panel = *window.qaPanel();
        auto* situation = panel.findChild<QLineEdit*>(QStringLiteral("QaSituation"));
        QVERIFY(panel.chooseModel(kTiny + QStringLiteral("/qa")));
        QVERIFY(!situation->isEnabled());
        QVERIFY(panel.chooseModel(kTiny + QStringLiteral("/sqa")));
        QVERIFY(situation->isEnabled());
        QVERIFY(panel.chooseModel(kTiny + QStringLiteral("/qa")));

        const QString question = QStringLiteral("what color is the bed?");
        panel.setQuestion(question);
        QSignalSpy answered(&panel, &QaPanel::answered);
        panel.ask();
        QVERIFY(panel.job()->isRunning());
        QVERIFY(answered.wait(60000));

        // The same answers and objects as the model gives directly.
        const QaModel model = QaModel::load((kTiny + QStringLiteral("/qa")).toStdString());
        const QaResult expected = model.ask(*window.scene(), question.toStdString(), {}, 10);
        const QaResult& shown = panel.result();
        QCOMPARE(shown.answers.size(), expected.answers.size());
        QCOMPARE(panel.answersView()->topLevelItemCount(), int(expected.answers.size()));
        for (std::size_t i = 0; i < expected.answers.size(); ++i) {
            QCOMPARE(shown.answers[i].text, expected.answers[i].text);
            QCOMPARE(panel.answersView()->topLevelItem(int(i))->text(0),
                     QString::fromStdString(expected.answers[i].text));
        }
        QCOMPARE(panel.objectsView()->topLevelItemCount(), int(expected.objects.size()));
        QCOMPARE(shown.objects.front().token, expected.objects.front().token);
        QVERIFY(panel.latencyText().endsWith(QStringLiteral(" ms on cpu")));

        // Five boxes marked, the most probable in viridis yellow at the predicted place.
        const auto& marked = window.sceneView()->sceneRenderer().markedBoxes();
        QCOMPARE(marked.size(), std::size_t(5));
        const CentreSizeBox& best = expected.objects.front().box;
        QVERIFY(std::abs(marked.front().box.center().x() - best[0]) < 1e-5f);
        QVERIFY(std::abs(marked.front().box.size().z() - best[5]) < 1e-5f);
        QCOMPARE(marked.front().color, (Rgb8{253, 231, 37}));
        const int matched = expected.objects.front().match.objectId;
        if (matched >= 0)
            QCOMPARE(window.selection()->selectedObjects(), QSet<int>{matched});

        // History: Up recalls the question after a new one was typed; Down returns to blank.
        panel.setQuestion(QStringLiteral("how many chairs are there?"));
        panel.ask();
        QVERIFY(answered.wait(60000));
        QCOMPARE(panel.history(),
                 (QStringList{question, QStringLiteral("how many chairs are there?")}));
        auto* edit = panel.findChild<QLineEdit*>(QStringLiteral("QaQuestion"));
        QTest::keyClick(edit, Qt::Key_Up);
        QTest::keyClick(edit, Qt::Key_Up);
        QCOMPARE(edit->text(), question);
        QTest::keyClick(edit, Qt::Key_Down);
        QTest::keyClick(edit, Qt::Key_Down);
        QVERIFY(edit->text().isEmpty());

        // A new scene clears the answers and the marked boxes.
        QSignalSpy loaded(&window, &MainWindow::sceneLoaded);
        window.openScene(scene_);
        QVERIFY(loaded.wait(60000));
        QCOMPARE(panel.answersView()->topLevelItemCount(), 0);
        QVERIFY(window.sceneView()->sceneRenderer().markedBoxes().empty());
    }

    void placedAndPredictedAgentsRoundTripThroughSqa3d() {
        MainWindow window;
        window.resize(1200, 800);
        QVERIFY(openWithModels(window, scene_, {kTiny + QStringLiteral("/sqa")}));
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QaPanel& panel = *window.qaPanel();
        panel.show();
        QVERIFY(panel.chooseModel(kTiny + QStringLiteral("/sqa")));

        // Place Agent, then press on the scene and drag: the agent stands where the press hit.
        auto* place = panel.findChild<QPushButton*>(QStringLiteral("QaPlaceAgent"));
        QVERIFY(place && place->isEnabled());
        place->click();
        SceneView* view = window.sceneView();
        QVERIFY(view->placingAgent());
        const QPoint press(view->width() / 2, view->height() / 2);
        const QPoint drag(view->width() / 2 + 60, view->height() / 2 + 10);
        QSignalSpy placed(view, &SceneView::agentPlaced);
        QTest::mousePress(view, Qt::LeftButton, {}, press);
        QMouseEvent move(QEvent::MouseMove, QPointF(drag), view->mapToGlobal(QPointF(drag)),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(view, &move);
        QTest::mouseRelease(view, Qt::LeftButton, {}, drag);
        QCOMPARE(placed.size(), 1);
        QVERIFY(!view->placingAgent() && !place->isChecked());
        const auto pose = panel.placedPose();
        QVERIFY(pose);
        // Placing leaves the camera alone, so the press position still shows the same point.
        const auto expected = view->pointAt(press);
        QVERIFY(expected);
        QVERIFY((pose->position - *expected).norm() < 1e-5f);
        // The drag turned the agent towards the point under the release.
        const Eigen::Vector2f towards = view->pointAt(drag)->head<2>() - expected->head<2>();
        QVERIFY(std::abs(view->placedAgent()->yaw - std::atan2(towards.y(), towards.x())) < 1e-5f);

        // Save and load through SQA3D's annotation form.
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("pose.json"));
        QVERIFY(panel.savePose(file));
        const qa::AgentPose read = qa::readAgentPose(file.toStdString());
        QVERIFY((read.position - pose->position).norm() < 1e-6f);
        QVERIFY(std::abs(qa::headingOf(read.rotation) - view->placedAgent()->yaw) < 1e-5f);
        view->setPlacedAgent(std::nullopt);
        QVERIFY(panel.loadPose(file));
        QVERIFY((view->placedAgent()->position - pose->position).norm() < 1e-6f);

        // An annotation of the synthetic SQA3D file places its agent.
        const auto questions = qa::readSqa3d(
            data_.filePath(QStringLiteral("questions/v1_balanced_questions_train_scannetv2.json"))
                .toStdString(),
            data_
                .filePath(
                    QStringLiteral("questions/v1_balanced_sqa_annotations_train_scannetv2.json"))
                .toStdString());
        QVERIFY(!questions.empty());
        panel.setPlacedPose({questions[0].position, questions[0].rotation});
        QVERIFY((view->placedAgent()->position - questions[0].position).norm() < 1e-6f);
        QVERIFY(std::abs(view->placedAgent()->yaw - qa::headingOf(questions[0].rotation)) < 1e-6f);

        // The situated model's predicted pose is drawn beside the placed one.
        panel.setSituation(QString::fromStdString(questions[0].situation));
        panel.setQuestion(QString::fromStdString(questions[0].question));
        QSignalSpy answered(&panel, &QaPanel::answered);
        panel.ask();
        QVERIFY(answered.wait(60000));
        QVERIFY(panel.result().position && panel.result().rotation);
        const auto& agents = view->sceneRenderer().agents();
        QCOMPARE(agents.size(), std::size_t(2));
        QCOMPARE(agents[0].color, SceneView::kPlacedAgentColor);
        QCOMPARE(agents[1].color, SceneView::kPredictedAgentColor);
        QCOMPARE(agents[1].position.x(), (*panel.result().position)[0]);
    }

    void questionFilesAreBrowsedAndAnsweredAgainstTheirReferences() {
        MainWindow window;
        QVERIFY(openWithModels(window, scene_,
                               {kTiny + QStringLiteral("/qa"), kTiny + QStringLiteral("/sqa")}));
        QaPanel& panel = *window.qaPanel();
        QuestionBrowser& browser = *panel.questions();
        const std::string sceneId = window.scene()->id;
        const QString dir = data_.filePath(QStringLiteral("questions/"));

        // ScanQA: the scene's questions in file order; choosing one asks it and checks the answer.
        const QString scanqa = dir + QStringLiteral("ScanQA_v1.0_train.json");
        QVERIFY(browser.open(scanqa));
        std::vector<qa::ScanQAQuestion> expected;
        for (const qa::ScanQAQuestion& q : qa::readScanQA(scanqa.toStdString()))
            if (q.sceneId == sceneId)
                expected.push_back(q);
        QVERIFY(!expected.empty());
        QCOMPARE(browser.listed().size(), qsizetype(expected.size()));
        QCOMPARE(browser.listed().front().question, QString::fromStdString(expected[0].question));
        QVERIFY(panel.chooseModel(kTiny + QStringLiteral("/qa")));
        QSignalSpy answered(&panel, &QaPanel::answered);
        browser.choose(0);
        QVERIFY(answered.wait(60000));
        const bool correct =
            qa::answerMatches(panel.result().answers.front().text, expected[0].answers);
        QCOMPARE(panel.referenceText(),
                 QStringLiteral("Reference: %1 · top answer %2")
                     .arg(QString::fromStdString(expected[0].answers.front()),
                          correct ? QStringLiteral("correct") : QStringLiteral("wrong")));
        // The question's objects are marked in white beside the five predicted boxes.
        const auto& marked = window.sceneView()->sceneRenderer().markedBoxes();
        QCOMPARE(marked.size(), 5 + expected[0].objectIds.size());
        QCOMPARE(marked.back().color, (Rgb8{255, 255, 255}));
        const SceneObject* object = window.scene()->findObject(expected[0].objectIds.back());
        QCOMPARE(marked.back().box.min, object->box.min);

        // SQA3D: the annotations file beside the questions gives the situation and the pose.
        const QString sqa = dir + QStringLiteral("v1_balanced_questions_train_scannetv2.json");
        QCOMPARE(sqa3dAnnotationsFor(sqa),
                 dir + QStringLiteral("v1_balanced_sqa_annotations_train_scannetv2.json"));
        QVERIFY(browser.open(sqa));
        QVERIFY(!browser.listed().isEmpty());
        const ReferenceQuestion first = browser.listed().front();
        QVERIFY(!first.situation.isEmpty() && first.pose);
        QVERIFY(panel.chooseModel(kTiny + QStringLiteral("/sqa")));
        browser.choose(0);
        QVERIFY(answered.wait(60000));
        QVERIFY((window.sceneView()->placedAgent()->position - first.pose->position).norm() <
                1e-6f);
        QVERIFY(panel.referenceText().startsWith(QStringLiteral("Reference: ")));

        // A malformed file is refused, naming it, and the listing stays.
        QTemporaryDir bad;
        const QString broken = bad.filePath(QStringLiteral("ScanQA_broken.json"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[{\"question\": 3}]");
        file.close();
        QSignalSpy failed(&browser, &QuestionBrowser::failed);
        QVERIFY(!browser.open(broken));
        QVERIFY(failed.front().front().toString().contains(QStringLiteral("ScanQA_broken.json")));
        QCOMPARE(browser.listed().front().question, first.question);
    }

    void evaluationOnAFileListsEveryQuestionAndShowsAChosenOne() {
        MainWindow window;
        QVERIFY(openWithModels(window, scene_, {kTiny + QStringLiteral("/qa")}));
        QaPanel& panel = *window.qaPanel();
        const QString file = data_.filePath(QStringLiteral("questions/ScanQA_v1.0_train.json"));
        QVERIFY(panel.questions()->open(file));
        const auto questions = qa::readScanQA(file.toStdString());

        QSignalSpy evaluated(&panel, &QaPanel::evaluated);
        panel.evaluateFile(data_.filePath(QStringLiteral("scans")));
        QVERIFY(panel.job()->isRunning());
        QVERIFY(evaluated.wait(300000));
        QaEvaluationDock& dock = *panel.evaluationDock();
        QVERIFY(dock.isVisible());
        const QString n = QString::number(questions.size());
        QVERIFY2(dock.summary().contains(QStringLiteral("read %1 questions about 1 scenes; ran %1 "
                                                        "questions on 1 scenes")
                                             .arg(n)),
                 qPrintable(dock.summary()));
        QStringList metrics;
        for (int row = 0; row < dock.metricsTable()->rowCount(); ++row)
            metrics << dock.metricsTable()->item(row, 0)->text();
        QCOMPARE(metrics, (QStringList{QStringLiteral("EM@1"), QStringLiteral("EM@10"),
                                       QStringLiteral("BLEU-1"), QStringLiteral("BLEU-2"),
                                       QStringLiteral("BLEU-3"), QStringLiteral("BLEU-4"),
                                       QStringLiteral("ROUGE-L"), QStringLiteral("CIDEr"),
                                       QStringLiteral("METEOR")}));
        QCOMPARE(dock.resultsTable()->rowCount(), int(questions.size()));

        // EM@1 in the table is the share of rows marked correct.
        int correct = 0;
        for (int row = 0; row < dock.resultsTable()->rowCount(); ++row)
            correct += dock.resultsTable()->item(row, 4)->text() == QStringLiteral("yes");
        QCOMPARE(dock.metricsTable()->item(0, 1)->text(),
                 QString::number(100.0 * correct / double(questions.size()), 'f', 2));
        dock.setFilter({}, false);
        QCOMPARE(dock.shownRows().size(), int(questions.size()) - correct);
        dock.setFilter(QStringLiteral("How"), std::nullopt);
        for (int row : dock.shownRows())
            QVERIFY(dock.resultsTable()->item(row, 0)->text().startsWith(QStringLiteral("How")));
        dock.setFilter({}, std::nullopt);
        QCOMPARE(dock.shownRows().size(), int(questions.size()));

        // Choosing a row asks it in its scene and compares with its reference.
        QSignalSpy answered(&panel, &QaPanel::answered);
        dock.resultsTable()->selectRow(1);
        QVERIFY(answered.wait(60000));
        QCOMPARE(panel.result().answers.front().text,
                 dock.resultsTable()->item(1, 3)->text().toStdString());
        QVERIFY(panel.referenceText().startsWith(QStringLiteral("Reference: ")));
    }

    void demoBundleFindsTheObjectOfAColourQuestion() {
        const QString models = QStringLiteral(SCENELENS_DEMO_MODELS);
        if (!QFileInfo::exists(models + QStringLiteral("/qa/bundle.json")))
            QSKIP("the demo bundles are not in resources/models");
        QTemporaryDir data;
        synth::writeSyntheticDataset({data.path().toStdString(), 1, 1, 0.004f}); // the demo's room
        const QString scene = data.filePath(QStringLiteral("scans/sceneSYN00_00"));
        MainWindow window;
        QVERIFY(openWithModels(window, scene, {models + QStringLiteral("/qa")}));

        // The room's first generated "What color is the X?" question, asked from the file.
        QaPanel& panel = *window.qaPanel();
        QVERIFY(panel.questions()->open(
            data.filePath(QStringLiteral("questions/ScanQA_v1.0_train.json"))));
        int row = -1;
        for (int i = 0; i < panel.questions()->listed().size() && row < 0; ++i)
            if (panel.questions()->listed()[i].question.startsWith(QStringLiteral("What color is")))
                row = i;
        QVERIFY(row >= 0);
        const ReferenceQuestion question = panel.questions()->listed()[row];
        QSignalSpy answered(&panel, &QaPanel::answered);
        panel.questions()->choose(row);
        QVERIFY(answered.wait(60000));

        // An answer is shown, and the box the model points at most is an object of class X:
        // drawn first (in yellow) and selected.
        QVERIFY(panel.answersView()->topLevelItemCount() > 0);
        const QaObject& top = panel.result().objects.front();
        const SceneObject* object = window.scene()->findObject(question.objectIds.front());
        QVERIFY(object);
        QVERIFY2(question.question.contains(QString::fromStdString(object->rawLabel)),
                 qPrintable(question.question));
        QCOMPARE(top.match.rawLabel, object->rawLabel);
        QCOMPARE(window.selection()->selectedObjects(), QSet<int>{top.match.objectId});
        const auto& marked = window.sceneView()->sceneRenderer().markedBoxes();
        QVERIFY(std::abs(marked.front().box.center().x() - top.box[0]) < 1e-5f);
        QCOMPARE(marked.front().color, (Rgb8{253, 231, 37}));
    }

    void askingWithoutAModelOrSceneSaysWhatIsMissing() {
        MainWindow window;
        QSignalSpy failed(window.qaPanel(), &QaPanel::failed);
        window.qaPanel()->setQuestion(QStringLiteral("what is this?"));
        window.qaPanel()->ask();
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.front().front().toString().contains(QStringLiteral("Load a QA bundle")));
    }

private:
    QTemporaryDir data_;
    QString scene_;
};

QTEST_MAIN(TestQaPanel)
#include "test_qa_panel.moc"
