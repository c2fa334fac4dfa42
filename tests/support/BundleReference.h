#pragma once
// Checking a model bundle against its reference/ folder: the Python outputs (out_<key>.npy) of
// the module on the bundle's own reference inputs (docs/model-bundles.md, "Reference outputs").

#include "ml/Tensor.h"

#include <QDir>
#include <QFileInfo>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <string>

namespace scenelens::test {

/// reference/<name>.npy of a bundle.
inline Tensor bundleReference(const std::string& bundle, const std::string& name) {
    return readNpyTensor(bundle + "/reference/" + name + ".npy");
}

/// Largest absolute difference; fails the test when the shapes differ.
inline float maxAbsDifference(const Tensor& a, const Tensor& b, const std::string& what) {
    if (a.shape != b.shape) {
        QTest::qFail(qPrintable(QString::fromStdString(what + ": shape " + a.shapeText() + " vs " +
                                                       b.shapeText())),
                     __FILE__, __LINE__);
        return 1e30f;
    }
    float worst = 0.f;
    for (std::size_t i = 0; i < a.floats.size(); ++i)
        worst = std::max(worst, std::abs(a.floats[i] - b.floats[i]));
    return worst;
}

/// Compares every out_<key>.npy of a bundle with the module's outputs (max |diff| <= tolerance).
inline void compareWithReference(const std::string& bundle, const TensorMap& outputs,
                                 float tolerance = 1e-5f) {
    int compared = 0;
    for (const QFileInfo& file :
         QDir(QString::fromStdString(bundle + "/reference")).entryInfoList({"out_*.npy"})) {
        const std::string key = file.baseName().mid(4).toStdString();
        QVERIFY2(outputs.count(key), key.c_str());
        const float difference =
            maxAbsDifference(outputs.at(key), readNpyTensor(file.filePath().toStdString()), key);
        QVERIFY2(difference <= tolerance, qPrintable(QStringLiteral("%1: max |diff| %2")
                                                         .arg(QString::fromStdString(key))
                                                         .arg(double(difference))));
        ++compared;
    }
    QCOMPARE(compared, int(outputs.size()));
}

} // namespace scenelens::test
