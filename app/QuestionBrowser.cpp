#include "QuestionBrowser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <set>

namespace scenelens {

namespace {

QStringList toQt(const std::vector<std::string>& items) {
    QStringList out;
    for (const std::string& item : items)
        out << QString::fromStdString(item);
    return out;
}

} // namespace

/// SQA3D's questions file is a JSON object ({"questions": [...]}); ScanQA's is a list.
bool isSqa3dQuestionFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false; // the reader then names the file and the problem
    char c = 0;
    while (file.getChar(&c) && QChar::fromLatin1(c).isSpace()) {
    }
    return c == '{';
}

QString sqa3dAnnotationsFor(const QString& questionsPath) {
    const QFileInfo file(questionsPath);
    QString name = file.fileName();
    name.replace(QStringLiteral("questions"), QStringLiteral("sqa_annotations"));
    return file.dir().filePath(name);
}

QVector<ReferenceQuestion> readReferenceQuestions(const QString& path) {
    QVector<ReferenceQuestion> out;
    if (isSqa3dQuestionFile(path)) {
        for (const qa::Sqa3dQuestion& q :
             qa::readSqa3d(path.toStdString(), sqa3dAnnotationsFor(path).toStdString()))
            out.push_back({QString::number(q.questionId),
                           QString::fromStdString(q.sceneId),
                           QString::fromStdString(q.question),
                           QString::fromStdString(q.situation),
                           toQt(q.answers),
                           {},
                           qa::AgentPose{q.position, q.rotation}});
        return out;
    }
    for (const qa::ScanQAQuestion& q : qa::readScanQA(path.toStdString()))
        out.push_back({QString::fromStdString(q.questionId),
                       QString::fromStdString(q.sceneId),
                       QString::fromStdString(q.question),
                       {},
                       toQt(q.answers),
                       QVector<int>(q.objectIds.begin(), q.objectIds.end()),
                       std::nullopt});
    return out;
}

QuestionBrowser::QuestionBrowser(QWidget* parent)
    : QWidget(parent), summary_(new QLabel), list_(new QTreeWidget) {
    summary_->setWordWrap(true);
    summary_->setText(tr("Open a ScanQA or SQA3D question file (Models › Open Question File…)."));
    list_->setObjectName(QStringLiteral("QuestionList"));
    list_->setHeaderLabels({tr("Question"), tr("Reference")});
    list_->setRootIsDecorated(false);
    list_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(summary_);
    layout->addWidget(list_);
    connect(list_, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem* item) { choose(list_->indexOfTopLevelItem(item)); });
}

bool QuestionBrowser::open(const QString& path) {
    try {
        all_ = readReferenceQuestions(path);
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
        return false;
    }
    path_ = path;
    relist();
    return true;
}

void QuestionBrowser::setScene(const QString& sceneId) {
    sceneId_ = sceneId;
    relist();
}

void QuestionBrowser::relist() {
    listed_.clear();
    list_->clear();
    if (path_.isEmpty())
        return;
    std::set<QString> scenes;
    for (const ReferenceQuestion& q : all_) {
        scenes.insert(q.sceneId);
        if (q.sceneId != sceneId_)
            continue;
        listed_.push_back(q);
        const QString text =
            q.situation.isEmpty() ? q.question : q.situation + QStringLiteral(" — ") + q.question;
        auto* item = new QTreeWidgetItem(list_, {text, q.answers.join(QStringLiteral(" / "))});
        item->setToolTip(0, text);
    }
    summary_->setText(tr("%1: %2 of %3 questions are about %4 (the file covers %n scene(s))", "",
                         int(scenes.size()))
                          .arg(QFileInfo(path_).fileName())
                          .arg(listed_.size())
                          .arg(all_.size())
                          .arg(sceneId_.isEmpty() ? tr("the open scene") : sceneId_));
}

void QuestionBrowser::choose(int row) {
    if (row < 0 || row >= listed_.size())
        return;
    list_->setCurrentItem(list_->topLevelItem(row));
    Q_EMIT chosen(listed_[row]);
}

} // namespace scenelens
