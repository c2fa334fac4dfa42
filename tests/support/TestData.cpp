#include "TestData.h"

#include <QDir>
#include <QFileInfo>

namespace scenelens::test {

QString sharedDataDir() {
    const QString dir = QStringLiteral(SCENELENS_SHARED_DATA);
    return QFileInfo(dir).isDir() ? dir : QString();
}

QString realSceneDir() {
    const QString base = sharedDataDir();
    const QString dir = base + QStringLiteral("/scannet/scans/scene0000_00");
    return !base.isEmpty() && QFileInfo(dir + "/scene0000_00_vh_clean_2.ply").isFile() ? dir
                                                                                       : QString();
}

QString labelTablePath() {
    const QString path =
        sharedDataDir() + QStringLiteral("/scannet/meta/scannetv2-labels.combined.tsv");
    return QFileInfo(path).isFile() ? path : QString();
}

} // namespace scenelens::test
