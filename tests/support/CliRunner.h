#pragma once
// Runs the scenelens executable (path in SCENELENS_EXECUTABLE, set by the test target) as a real
// process and captures what it prints.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace scenelens::test {

struct CliRun {
    int exitCode = -1; ///< -1 when the process did not finish within two minutes
    QString out;
    QString err;
};

inline CliRun
runScenelens(const QStringList& args,
             const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(SCENELENS_EXECUTABLE), args);
    if (!process.waitForFinished(120000))
        return {};
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace scenelens::test
