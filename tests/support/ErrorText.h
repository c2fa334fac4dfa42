#pragma once
// Asserting on error messages: the text of the error (a FileError by default) a call throws.

#include "Error.h"

#include <QString>
#include <QtTest>

namespace scenelens::test {

/// The message of the `Expected` error that `call` throws, or a text saying what happened instead.
template <typename Expected = FileError, typename Call> QString errorOf(Call&& call) {
    try {
        call();
    } catch (const Expected& e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        return QStringLiteral("unexpected exception: ") + e.what();
    }
    return QStringLiteral("no error");
}

} // namespace scenelens::test

#define VERIFY_CONTAINS(text, part)                                                                \
    QVERIFY2((text).contains(part), qPrintable(QStringLiteral("'%1' lacks '%2'").arg(text, part)))
