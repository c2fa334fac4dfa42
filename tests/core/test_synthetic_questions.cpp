// The synthetic dataset's questions are correct by construction: an independent checker loads
// each written scene through the ScanNet reader and recomputes every answer from the loaded
// geometry and colours alone (never from generator state); SQA3D poses lie in free floor space.

#include "Error.h"
#include "qa/QuestionSets.h"
#include "scene/ScanNetSceneReader.h"
#include "scene/synth/NamedColors.h"
#include "scene/synth/QuestionGenerator.h"
#include "scene/synth/SyntheticDataset.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>

using namespace scenelens;
using Rules = synth::RelationRules;

namespace {

constexpr int kScenes = 12;

/// What the checker knows about a scene: only what the ScanNet files say.
class LoadedRoom {
public:
    explicit LoadedRoom(Scene scene) : scene_(std::move(scene)) {
        for (const SceneObject& o : scene_.objects) {
            if (o.rawLabel == "floor")
                floor_ = &o;
            if (o.rawLabel == "wall" || o.rawLabel == "floor")
                continue;
            furniture_.push_back(&o);
            ++labelCount_[o.rawLabel];
        }
    }

    const Scene& scene() const { return scene_; }
    const std::vector<const SceneObject*>& furniture() const { return furniture_; }
    const SceneObject& floor() const { return *floor_; }

    /// The one object with this label, or nullptr when there are none or several.
    const SceneObject* uniqueByLabel(const QString& label) const {
        const std::string text = label.toStdString();
        auto it = labelCount_.find(text);
        if (it == labelCount_.end() || it->second != 1)
            return nullptr;
        for (const SceneObject* o : furniture_)
            if (o->rawLabel == text)
                return o;
        return nullptr;
    }

    std::string colorOf(const SceneObject& o) const {
        return synth::nearestColorName(synth::meanColor(scene_, o.vertexIndices));
    }

    bool onFloor(const SceneObject& o) const { return o.box.min.z() < Rules::kFloorLevel; }

    /// What `o` rests on: the object whose top meets its bottom and whose footprint holds its
    /// centre.
    const SceneObject* supportOf(const SceneObject& o) const {
        if (onFloor(o))
            return nullptr;
        const SceneObject* best = nullptr;
        for (const SceneObject* f : furniture_) {
            const Eigen::Vector2f c = o.box.center().head<2>();
            const bool touches = std::abs(o.box.min.z() - f->box.max.z()) < Rules::kSupportGap;
            const bool holds = (c.array() >= f->box.min.head<2>().array()).all() &&
                               (c.array() <= f->box.max.head<2>().array()).all();
            if (f != &o && touches && holds && (!best || f->box.max.z() > best->box.max.z()))
                best = f;
        }
        return best;
    }

    std::vector<const SceneObject*> onTopOf(const SceneObject& support) const {
        std::vector<const SceneObject*> out;
        for (const SceneObject* o : furniture_)
            if (supportOf(*o) == &support)
                out.push_back(o);
        return out;
    }

    static float gap(const Box3& a, const Box3& b) {
        const float dx = std::max({0.f, a.min.x() - b.max.x(), b.min.x() - a.max.x()});
        const float dy = std::max({0.f, a.min.y() - b.max.y(), b.min.y() - a.max.y()});
        return std::hypot(dx, dy);
    }

    const SceneObject* neighbourOf(const SceneObject& o) const {
        std::vector<std::pair<float, const SceneObject*>> gaps;
        for (const SceneObject* f : furniture_)
            if (f != &o && onFloor(*f))
                gaps.emplace_back(gap(o.box, f->box), f);
        std::sort(gaps.begin(), gaps.end());
        if (gaps.empty() || gaps[0].first >= Rules::kNextToGap)
            return nullptr;
        if (gaps.size() > 1 && gaps[1].first <= gaps[0].first + Rules::kNextToMargin)
            return nullptr;
        return labelCount_.at(gaps[0].second->rawLabel) == 1 ? gaps[0].second : nullptr;
    }

    bool inCorner(const SceneObject& o) const {
        const float d = Rules::kCornerDistance;
        const Box3& room = floor_->box;
        return (o.box.min.x() < room.min.x() + d || o.box.max.x() > room.max.x() - d) &&
               (o.box.min.y() < room.min.y() + d || o.box.max.y() > room.max.y() - d);
    }

    std::vector<const SceneObject*> ofPluralClass(const QString& plural) const {
        std::vector<const SceneObject*> out;
        for (const SceneObject* o : furniture_)
            if (QString::fromStdString(synth::pluralOf(o->nyu40Class)) == plural)
                out.push_back(o);
        return out;
    }

private:
    Scene scene_;
    const SceneObject* floor_ = nullptr;
    std::vector<const SceneObject*> furniture_;
    std::map<std::string, int> labelCount_;
};

/// The checker's answer to a ScanQA question, or an empty string when it cannot answer it.
QString answerScanQA(const LoadedRoom& room, const QString& question) {
    QRegularExpressionMatch m;
    auto matches = [&](const char* pattern) {
        m = QRegularExpression(QStringLiteral("^") + pattern + "$").match(question);
        return m.hasMatch();
    };
    auto label = [&](const SceneObject* o) {
        return o ? QString::fromStdString(o->rawLabel) : QString();
    };
    if (matches("What kind of room is this\\?"))
        return QString::fromStdString(room.scene().metadata.at("sceneType"));
    if (matches("How many (.+) are in the room\\?"))
        return QString::number(room.ofPluralClass(m.captured(1)).size());
    const SceneObject* o = nullptr;
    for (const char* pattern :
         {"What color is the (.+)\\?", "What is on the (.+)\\?", "What is the (.+) placed on\\?",
          "What is under the (.+)\\?", "What is next to the (.+)\\?", "Where is the (.+)\\?"})
        if (matches(pattern) && (o = room.uniqueByLabel(m.captured(1))))
            break;
    if (!o)
        return {};
    if (question.startsWith("What color"))
        return QString::fromStdString(room.colorOf(*o));
    if (question.startsWith("What is on")) {
        const auto onTop = room.onTopOf(*o);
        return onTop.empty() ? QString() : label(onTop.front());
    }
    if (question.endsWith("placed on?") || question.startsWith("What is under"))
        return label(room.supportOf(*o));
    if (question.startsWith("What is next to"))
        return label(room.neighbourOf(*o));
    if (room.inCorner(*o))
        return QStringLiteral("in corner of room");
    const SceneObject* n = room.neighbourOf(*o);
    return n ? "next to " + label(n) : QString();
}

/// The checker's answer to an SQA3D question from the pose and the loaded scene.
QString answerSqa3d(const LoadedRoom& room, const qa::Sqa3dQuestion& q) {
    const Eigen::Vector2f p = q.position.head<2>();
    const Eigen::Vector2f heading = (q.rotation * Eigen::Vector3f::UnitX()).head<2>().normalized();
    auto bearing = [&](const SceneObject& o) {
        return synth::bearingDegrees(p, heading, o.box.center().head<2>());
    };
    const QString question = QString::fromStdString(q.question);
    QRegularExpressionMatch m;
    auto matches = [&](const char* pattern) {
        m = QRegularExpression(QStringLiteral("^") + pattern + "$").match(question);
        return m.hasMatch();
    };
    if (matches("What is in front of me\\?")) {
        const SceneObject* nearest = nullptr;
        float best = 1e9f;
        for (const SceneObject* o : room.furniture()) {
            const float d = (o->box.center().head<2>() - p).norm();
            if (std::abs(bearing(*o)) < 25.f && d < best) {
                best = d;
                nearest = o;
            }
        }
        return nearest ? QString::fromStdString(nearest->rawLabel) : QString();
    }
    if (matches("Is the (.+) on my left or right\\?")) {
        const SceneObject* o = room.uniqueByLabel(m.captured(1));
        return o ? (bearing(*o) > 0 ? "left" : "right") : QString();
    }
    if (matches("Which direction should I go to reach the (.+)\\?")) {
        const SceneObject* o = room.uniqueByLabel(m.captured(1));
        if (!o)
            return {};
        const float b = bearing(*o);
        return std::abs(b) < 45.f    ? "forward"
               : std::abs(b) > 135.f ? "backward"
               : b > 0               ? "left"
                                     : "right";
    }
    if (matches("How many (.+) are on my left\\?")) {
        int count = 0;
        for (const SceneObject* o : room.ofPluralClass(m.captured(1)))
            count += bearing(*o) > 0;
        return QString::number(count);
    }
    if (matches("Is there a (.+) behind me\\?")) {
        for (const SceneObject* o : room.furniture())
            if (QString::fromStdString(o->nyu40Class) == m.captured(1) &&
                std::abs(bearing(*o)) > 120.f)
                return QStringLiteral("yes");
        return QStringLiteral("no");
    }
    return {};
}

QByteArray hashTree(const QString& dir) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QStringList files;
    for (QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
        files << it.next();
    files.sort();
    for (const QString& file : files) {
        QFile f(file);
        f.open(QIODevice::ReadOnly);
        hash.addData(file.mid(dir.size()).toUtf8());
        hash.addData(f.readAll());
    }
    return hash.result();
}

} // namespace

class TestSyntheticQuestions : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    synth::DatasetSummary summary_;
    std::map<std::string, LoadedRoom> rooms_;

    /// The written scene, loaded once through the ScanNet reader with the written label table.
    const LoadedRoom& roomOf(const std::string& sceneId) {
        auto it = rooms_.find(sceneId);
        if (it == rooms_.end()) {
            const ScanNetSceneReader reader(
                {dir_.filePath("meta/scannetv2-labels.combined.tsv").toStdString()});
            const QString folder = dir_.filePath("scans/" + QString::fromStdString(sceneId));
            it = rooms_.emplace(sceneId, LoadedRoom(reader.read(folder.toStdString()))).first;
        }
        return it->second;
    }

private Q_SLOTS:
    void initTestCase() {
        summary_ = synth::writeSyntheticDataset({dir_.path().toStdString(), kScenes, 7, 0.004f});
        QCOMPARE(int(summary_.train.size() + summary_.val.size() + summary_.test.size()), kScenes);
        QCOMPARE(int(summary_.test.size()), 1);
        QVERIFY(summary_.scanQAQuestions > std::size_t(kScenes * 10));
        QVERIFY(summary_.sqa3dQuestions > std::size_t(kScenes * 10));
    }

    void writesTheLayoutsOfTheRealDatasets() {
        for (const char* split : {"train", "val", "test"}) {
            QVERIFY(
                QFile::exists(dir_.filePath(QString("questions/ScanQA_v1.0_%1.json").arg(split))));
            QVERIFY(QFile::exists(dir_.filePath(
                QString("questions/v1_balanced_questions_%1_scannetv2.json").arg(split))));
            QVERIFY(QFile::exists(dir_.filePath(
                QString("questions/v1_balanced_sqa_annotations_%1_scannetv2.json").arg(split))));
            QVERIFY(QFile::exists(dir_.filePath(QString("meta/scannetv2_%1.txt").arg(split))));
        }
        QFile trainList(dir_.filePath("meta/scannetv2_train.txt"));
        QVERIFY(trainList.open(QIODevice::ReadOnly));
        QCOMPARE(trainList.readLine().trimmed(), QByteArray("sceneSYN00_00"));
    }

    void everyScanQAAnswerIsRecomputedFromTheLoadedScene() {
        std::map<QString, int> typeCounts;
        int checked = 0;
        for (const char* split : {"train", "val", "test"}) {
            const auto questions = qa::readScanQA(
                dir_.filePath(QString("questions/ScanQA_v1.0_%1.json").arg(split)).toStdString());
            for (const qa::ScanQAQuestion& q : questions) {
                QVERIFY(QString::fromStdString(q.questionId).startsWith(QString(split) + "-"));
                QCOMPARE(q.answers.size(), std::size_t(1));
                const QString expected =
                    answerScanQA(roomOf(q.sceneId), QString::fromStdString(q.question));
                QVERIFY2(expected == QString::fromStdString(q.answers.front()),
                         qPrintable(QString("%1 %2: '%3' answered '%4', checker says '%5'")
                                        .arg(QString::fromStdString(q.sceneId),
                                             QString::fromStdString(q.questionId),
                                             QString::fromStdString(q.question),
                                             QString::fromStdString(q.answers.front()), expected)));
                ++typeCounts[QString::fromStdString(q.question).section(' ', 0, 2)];
                ++checked;
            }
        }
        QCOMPARE(std::size_t(checked), summary_.scanQAQuestions);
        for (const char* type : {"What color is", "How many", "What is on", "What is under",
                                 "What is the", "What is next", "Where is the", "What kind of"})
            QVERIFY2(std::any_of(typeCounts.begin(), typeCounts.end(),
                                 [&](const auto& t) { return t.first.startsWith(type); }),
                     type);
    }

    void everySqa3dAnswerIsRecomputedAndPosesAreFree() {
        std::map<std::string, int> types;
        std::size_t checked = 0;
        for (const char* split : {"train", "val", "test"}) {
            const auto questions = qa::readSqa3d(
                dir_.filePath(
                        QString("questions/v1_balanced_questions_%1_scannetv2.json").arg(split))
                    .toStdString(),
                dir_.filePath(QString("questions/v1_balanced_sqa_annotations_%1_scannetv2.json")
                                  .arg(split))
                    .toStdString());
            for (const qa::Sqa3dQuestion& q : questions) {
                const LoadedRoom& room = roomOf(q.sceneId);
                // Free space: on the floor, inside the room, outside every floor-standing object.
                const Eigen::Vector2f p = q.position.head<2>();
                QVERIFY((p.array() > room.floor().box.min.head<2>().array()).all());
                QVERIFY((p.array() < room.floor().box.max.head<2>().array()).all());
                for (const SceneObject* o : room.furniture())
                    if (room.onFloor(*o))
                        QVERIFY2(!((p.array() > o->box.min.head<2>().array()).all() &&
                                   (p.array() < o->box.max.head<2>().array()).all()),
                                 qPrintable(QString("pose %1 inside %2")
                                                .arg(q.questionId)
                                                .arg(QString::fromStdString(o->rawLabel))));
                const QString expected = answerSqa3d(room, q);
                QVERIFY2(expected == QString::fromStdString(q.answers.front()),
                         qPrintable(QString("%1 '%2' / '%3' answered '%4', checker says '%5'")
                                        .arg(q.questionId)
                                        .arg(QString::fromStdString(q.situation),
                                             QString::fromStdString(q.question),
                                             QString::fromStdString(q.answers.front()), expected)));
                ++types[q.questionType];
                ++checked;
            }
        }
        QCOMPARE(checked, summary_.sqa3dQuestions);
        for (const char* type : {"front", "left-right", "direction", "count", "existence"})
            QVERIFY2(types[type] > 0, type);
    }

    void sameSeedSameBytesOtherSeedDiffers() {
        QTemporaryDir again, other;
        synth::writeSyntheticDataset({again.path().toStdString(), kScenes, 7, 0.004f});
        synth::writeSyntheticDataset({other.path().toStdString(), kScenes, 8, 0.004f});
        QCOMPARE(hashTree(again.path()), hashTree(dir_.path()));
        QVERIFY(hashTree(other.path()) != hashTree(dir_.path()));
    }

    void agentPosesRoundTripInSqa3dForm() {
        // Headings: facing +y is a quarter turn about z, and back.
        const Eigen::Quaternionf quarter = qa::headingRotation(float(M_PI / 2));
        QVERIFY(((quarter * Eigen::Vector3f::UnitX()) - Eigen::Vector3f::UnitY()).norm() < 1e-6f);
        QVERIFY(std::abs(qa::headingOf(quarter) - float(M_PI / 2)) < 1e-6f);
        QVERIFY(std::abs(qa::headingOf(qa::headingRotation(-2.5f)) + 2.5f) < 1e-6f);

        QTemporaryDir dir;
        const std::string file = dir.filePath(QStringLiteral("pose.json")).toStdString();
        const qa::AgentPose pose{{1.5f, -0.25f, 0.f}, qa::headingRotation(0.75f)};
        qa::writeAgentPose(file, pose);
        const qa::AgentPose read = qa::readAgentPose(file);
        QCOMPARE(read.position, pose.position);
        QCOMPARE(read.rotation.coeffs(), pose.rotation.coeffs());

        // An annotation entry of a real-format file reads as a pose too.
        QFile entry(dir.filePath(QStringLiteral("annotation.json")));
        QVERIFY(entry.open(QIODevice::WriteOnly));
        entry.write(
            R"({"answers": [], "question_id": 7, "position": {"x": 2.65, "y": 2.4, "z": 0.0},
                        "rotation": {"_w": 0.5460962653160095, "_x": -0.0, "_y": -0.0,
                                     "_z": -0.8377224206924438}})");
        entry.close();
        const qa::AgentPose annotated = qa::readAgentPose(entry.fileName().toStdString());
        QCOMPARE(annotated.position, Eigen::Vector3f(2.65f, 2.4f, 0.f));
        QVERIFY(std::abs(annotated.rotation.z() + 0.8377224f) < 1e-7f);

        // Malformed poses name the file and what is missing.
        QFile broken(dir.filePath(QStringLiteral("broken.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write(R"({"position": {"x": 1, "y": 2, "z": 0}, "rotation": {"_w": 1}})");
        broken.close();
        try {
            qa::readAgentPose(broken.fileName().toStdString());
            QFAIL("a rotation without _x was read");
        } catch (const FileError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("broken.json")) &&
                         QString::fromUtf8(e.what()).contains(QStringLiteral("_x")),
                     e.what());
        }
        QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
        broken.write("[1, 2, 3]");
        broken.close();
        QVERIFY_THROWS_EXCEPTION(FileError, qa::readAgentPose(broken.fileName().toStdString()));
    }

    void splitsLikeScanNet() {
        QCOMPARE(synth::splitOf(0, 24), std::string("train"));
        QCOMPARE(synth::splitOf(17, 24), std::string("train"));
        QCOMPARE(synth::splitOf(18, 24), std::string("val"));
        QCOMPARE(synth::splitOf(23, 24), std::string("test"));
        QCOMPARE(synth::splitOf(1, 2), std::string("train"));
    }
};

QTEST_GUILESS_MAIN(TestSyntheticQuestions)
#include "test_synthetic_questions.moc"
