// Tokenizers without LibTorch: CLIP's BPE tokenizer against its published golden and against the
// pure-Python reference (modelkit/modelkit/tokenizers.py) on the 748 real ScanQA questions and on
// edge cases; the Unicode and HTML pieces it stands on; the bundle word tokenizer's goldens and
// errors.

#include "Error.h"
#include "ErrorText.h"
#include "TestData.h"
#include "ml/ClipTokenizer.h"
#include "ml/HtmlEntities.h"
#include "ml/Unicode.h"
#include "ml/WordTokenizer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <atomic>
#include <optional>
#include <set>
#include <thread>

using namespace scenelens;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

QString clipVocabPath() {
    const QString path =
        test::sharedDataDir() + QStringLiteral("/clip/bpe_simple_vocab_16e6.txt.gz");
    return QFileInfo(path).isFile() ? path : QString();
}

QString scanQaPath() {
    const QString path =
        test::sharedDataDir() + QStringLiteral("/scanqa/ScanQA_v1.0_val_sample.json");
    return QFileInfo(path).isFile() ? path : QString();
}

std::vector<std::string> scanQaQuestions() {
    QFile file(scanQaPath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    std::vector<std::string> questions;
    for (const QJsonValue& entry : QJsonDocument::fromJson(file.readAll()).array())
        questions.push_back(entry.toObject().value("question").toString().toStdString());
    return questions;
}

/// Texts that exercise every branch of CLIP's cleaning and pre-token pattern.
std::vector<std::string> edgeCases() {
    std::string longText;
    for (int i = 0; i < 200; ++i)
        longText += "word" + std::to_string(i) + " ";
    return {"a photo of a cat",
            "Café naïve résumé Ångström",
            "Ωμέγα ΣΟΦΟΣ ΟΔΟΣ Σ ΑΣ.",
            "日本語のテキスト 中文 한국어",
            "emoji 😀👍🏽 ok 🇫🇷",
            "1234 and 3.14 ٣٤ ½ Ⅻ ²",
            "?!... what??? (yes) -- <no>",
            "it's they're we've I'm you'll he'd IT'S don't",
            "&amp; &amp;amp; &lt;b&gt; &#39; &#x41; &notit; &copy2 &#0; &#128; &#1; &bogus;",
            "multiple   spaces\n\nnew\tlines \r\n end",
            longText,
            "",
            "   ",
            "<|startoftext|>hi<|endoftext|> <|ENDOFTEXT|>",
            "İstanbul ǅemal ß ẞ ﬁ",
            "ſ's 'ſ x'sy 'S",
            "a\x1c"
            "b\u0085c\u2028d\u00a0e\x1f",
            "\u0301a\u0301 ᾼ\u0345x",
            "\xef\xbb\xbf"
            "bom",
            "the brown chair is to the left of the table"};
}

/// Deterministic random texts mixing scripts, spaces, punctuation, entities, markers and
/// contractions: the places where CLIP's cleaning and pattern can go wrong.
std::vector<std::string> randomTexts(int count) {
    static const std::vector<std::u32string> pieces = {U"a",
                                                       U"Z",
                                                       U"q",
                                                       U"7",
                                                       U"0",
                                                       U" ",
                                                       U"  ",
                                                       U"\t",
                                                       U"\n",
                                                       U"\r\n",
                                                       U"\u00a0",
                                                       U"\u3000",
                                                       U"\x1c",
                                                       U"\u0085",
                                                       U"\u2028",
                                                       U"'s",
                                                       U"'T",
                                                       U"'re",
                                                       U"'ve",
                                                       U"'m",
                                                       U"'ll",
                                                       U"'d",
                                                       U"'",
                                                       U"\u017f",
                                                       U"!",
                                                       U"?",
                                                       U".",
                                                       U"...",
                                                       U",",
                                                       U"-",
                                                       U"(",
                                                       U")",
                                                       U"<",
                                                       U">",
                                                       U"|",
                                                       U"\"",
                                                       U"&amp;",
                                                       U"&amp;amp;",
                                                       U"&lt;",
                                                       U"&#39;",
                                                       U"&#x27;",
                                                       U"&copy",
                                                       U"&notit;",
                                                       U"&#128;",
                                                       U"&#0;",
                                                       U"&",
                                                       U"&nbsp;",
                                                       U"<|startoftext|>",
                                                       U"<|endoftext|>",
                                                       U"é",
                                                       U"Ä",
                                                       U"ñ",
                                                       U"ß",
                                                       U"ẞ",
                                                       U"İ",
                                                       U"ı",
                                                       U"ǅ",
                                                       U"Σ",
                                                       U"σ",
                                                       U"ς",
                                                       U"ΟΔΟ",
                                                       U"ά",
                                                       U"ΐ",
                                                       U"ᾼ",
                                                       U"\u0345",
                                                       U"Ж",
                                                       U"ё",
                                                       U"日本",
                                                       U"語",
                                                       U"한",
                                                       U"カ",
                                                       U"😀",
                                                       U"👍🏽",
                                                       U"🇫🇷",
                                                       U"❤️",
                                                       U"\u200d",
                                                       U"\u200b",
                                                       U"\u0301",
                                                       U"€",
                                                       U"½",
                                                       U"²",
                                                       U"Ⅻ",
                                                       U"٣",
                                                       U"४",
                                                       U"chair",
                                                       U"Table",
                                                       U"WINDOW"};
    std::uint32_t state = 12345;
    auto next = [&](std::uint32_t bound) {
        state = state * 1664525u + 1013904223u;
        return (state >> 8) % bound;
    };
    std::vector<std::string> texts;
    for (int t = 0; t < count; ++t) {
        std::u32string text;
        const std::uint32_t length = next(30);
        for (std::uint32_t i = 0; i < length; ++i)
            text += pieces[next(std::uint32_t(pieces.size()))];
        texts.push_back(unicode::encodeUtf8(text));
    }
    return texts;
}

/// A JSON list of the texts with every non-ASCII or control code point as \\uXXXX escapes, so
/// that the reference reads exactly the code points C++ sees (QJsonDocument drops U+FEFF).
QByteArray asciiJsonList(const std::vector<std::string>& texts) {
    QByteArray json = "[";
    for (const std::string& text : texts) {
        json += json.size() > 1 ? ",\n\"" : "\"";
        for (char32_t c : unicode::decodeUtf8(text)) {
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                json += char(c);
                continue;
            }
            auto escape = [&](char32_t unit) {
                json +=
                    QByteArray("\\u") + QByteArray::number(uint(unit), 16).rightJustified(4, '0');
            };
            if (c >= 0x10000) {
                escape(0xD800 + ((c - 0x10000) >> 10));
                escape(0xDC00 + ((c - 0x10000) & 0x3FF));
            } else {
                escape(c);
            }
        }
        json += "\"";
    }
    return json + "]";
}

/// Runs `python3 -m modelkit.tokenizers <args>` on `texts` and returns one row of ids per text.
std::optional<std::vector<std::vector<std::int64_t>>>
runReference(const QStringList& args, const std::vector<std::string>& texts, QString& error) {
    QTemporaryDir dir;
    const QByteArray json = asciiJsonList(texts);
    const QString input = dir.filePath("texts.json");
    QFile file(input);
    if (!file.open(QIODevice::WriteOnly)) {
        error = "cannot write " + input;
        return std::nullopt;
    }
    file.write(json);
    file.close();

    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PYTHONPATH", QStringLiteral(SCENELENS_MODELKIT_DIR));
    process.setProcessEnvironment(env);
    process.start(kPython, QStringList{"-m", "modelkit.tokenizers"} + args +
                               QStringList{"--json", "--in", input});
    if (!process.waitForFinished(300000) || process.exitCode() != 0) {
        error = "reference failed: " + QString::fromUtf8(process.readAllStandardError());
        return std::nullopt;
    }
    std::vector<std::vector<std::int64_t>> rows;
    for (const QByteArray& line : process.readAllStandardOutput().split('\n')) {
        if (line.isEmpty())
            continue;
        std::vector<std::int64_t> row;
        for (const QByteArray& id : line.split(' '))
            row.push_back(id.toLongLong());
        rows.push_back(row);
    }
    return rows;
}

std::vector<std::int64_t> row(const TokenBatch& batch, int r) {
    return {batch.ids.begin() + std::ptrdiff_t(r) * batch.cols,
            batch.ids.begin() + std::ptrdiff_t(r + 1) * batch.cols};
}

QString idsText(const std::vector<std::int64_t>& ids) {
    QStringList parts;
    for (std::int64_t id : ids)
        parts << QString::number(id);
    return parts.join(' ');
}

/// Compares every row; fails naming the first text that differs.
void compareRows(const TokenBatch& batch, const std::vector<std::vector<std::int64_t>>& expected,
                 const std::vector<std::string>& texts) {
    QCOMPARE(std::size_t(batch.rows), expected.size());
    for (int r = 0; r < batch.rows; ++r) {
        const std::vector<std::int64_t> actual = row(batch, r);
        QVERIFY2(actual == expected[std::size_t(r)],
                 qPrintable(QStringLiteral("text '%1'\n  C++:    %2\n  Python: %3")
                                .arg(QString::fromStdString(texts[std::size_t(r)]), idsText(actual),
                                     idsText(expected[std::size_t(r)]))));
        // Id 0 is also a real token ("!"), but the last real token never is: EOT, or a word.
        const auto lastReal =
            std::find_if(actual.rbegin(), actual.rend(), [](auto id) { return id != 0; });
        const int realCount = int(actual.rend() - lastReal);
        for (int c = 0; c < batch.cols; ++c)
            QCOMPARE(batch.real(r, c), c < realCount);
    }
}

void writeGzip(const QString& path, const std::string& text) {
    gzFile file = gzopen(path.toLocal8Bit().constData(), "wb");
    QVERIFY(file);
    QCOMPARE(gzwrite(file, text.data(), unsigned(text.size())), int(text.size()));
    QCOMPARE(gzclose(file), Z_OK);
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

std::string u8(std::u32string_view text) {
    return unicode::encodeUtf8(text);
}

} // namespace

class TestClipTokenizer : public QObject {
    Q_OBJECT

private:
    std::optional<ClipTokenizer> clip_;

    const ClipTokenizer& clip() { return *clip_; }

private Q_SLOTS:
    void initTestCase() {
        if (!clipVocabPath().isEmpty())
            clip_ = ClipTokenizer::fromFile(clipVocabPath().toStdString());
    }

    void unicodeMatchesPythonStr() {
        using namespace unicode;
        QCOMPARE(u8(toLower(decodeUtf8("ΣΟΦΟΣ ΟΔΟΣ Σ ΑΣ."))), std::string("σοφος οδος σ ας."));
        QCOMPARE(u8(toLower(decodeUtf8("İ ǅ ẞ Ω Ж"))), std::string("i\u0307 ǆ ß ω ж"));
        QVERIFY(isLetter(U'a') && isLetter(U'日') && isLetter(U'ß') && !isLetter(U'1'));
        QVERIFY(isNumber(U'7') && isNumber(U'½') && isNumber(U'Ⅻ') && !isNumber(U'x'));
        QVERIFY(isSpace(U' ') && isSpace(0x85) && isSpace(0x2028) && isSpace(0x1C));
        QVERIFY(!isSpace(0x200B) && !isLetter(0x1F600) && !isNumber(0x1F600));
        // Python's errors="replace": one U+FFFD per maximal invalid subsequence.
        QCOMPARE(decodeUtf8("a\xff\xe2\x82z\xed\xa0\x80"),
                 std::u32string(U"a\uFFFD\uFFFDz\uFFFD\uFFFD\uFFFD"));
        QCOMPARE(u8(decodeUtf8("ok 😀 é")), std::string("ok 😀 é"));
    }

    void htmlUnescapeMatchesPython() {
        auto unescape = [](const char* text) {
            return u8(html::unescape(unicode::decodeUtf8(text)));
        };
        QCOMPARE(unescape("&amp;amp; &lt;b&gt;"), std::string("&amp; <b>"));
        QCOMPARE(unescape("&notit; &copy2 &amp"), std::string("¬it; ©2 &"));
        QCOMPARE(unescape("&#39;&#x41;&#X42;&#128;&#0;&#1;&#x110000;&#xD800;"),
                 std::string("'AB€\uFFFD\uFFFD\uFFFD"));
        QCOMPARE(unescape("&bogus; & &; &# &#x; a&b"), std::string("&bogus; & &; &# &#x; a&b"));
        QCOMPARE(unescape("&NotNestedGreaterGreater;&acE;"), std::string("⪢̸∾̳"));
    }

    void goldenPhotoOfACat() {
        if (!clip_)
            QSKIP("../shared/data/clip/bpe_simple_vocab_16e6.txt.gz is absent");
        QCOMPARE(clip().vocabularySize(), std::size_t(49408));
        const TokenBatch batch = clip().tokenize({"a photo of a cat"});
        QCOMPARE(batch.rows, 1);
        QCOMPARE(batch.cols, 77);
        std::vector<std::int64_t> expected = {49406, 320, 1125, 539, 320, 2368, 49407};
        expected.resize(77, 0);
        QCOMPARE(row(batch, 0), expected);
        QCOMPARE(std::count(batch.mask.begin(), batch.mask.end(), 1), 7);
        QCOMPARE(clip().encode("A  Photo of a CAT!"),
                 (std::vector<std::int64_t>{320, 1125, 539, 320, 2368, 256}));
        QCOMPARE(clip().decode({49406, 320, 1125, 539, 320, 2368, 49407}),
                 std::string("<|startoftext|>a photo of a cat <|endoftext|>"));
    }

    void truncationKeepsEndOfText() {
        if (!clip_)
            QSKIP("../shared/data/clip/bpe_simple_vocab_16e6.txt.gz is absent");
        std::string longText;
        for (int i = 0; i < 200; ++i)
            longText += "chair ";
        const TokenBatch batch = clip().tokenize({longText, ""});
        QCOMPARE(batch.id(0, 0), ClipTokenizer::kStartOfText);
        QCOMPARE(batch.id(0, 1), batch.id(0, 75)); // "chair" throughout
        QCOMPARE(batch.id(0, 76), ClipTokenizer::kEndOfText);
        QVERIFY(std::all_of(batch.mask.begin(), batch.mask.begin() + 77, [](auto m) { return m; }));
        QCOMPARE(batch.id(1, 0), ClipTokenizer::kStartOfText);
        QCOMPARE(batch.id(1, 1), ClipTokenizer::kEndOfText);
        QCOMPARE(batch.id(1, 2), std::int64_t(0));
        QVERIFY(!batch.real(1, 2));
        const TokenBatch tiny = clip().tokenize({"a photo"}, 2);
        QCOMPARE(tiny.ids, (std::vector<std::int64_t>{49406, 49407}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, clip().tokenize({"a"}, 1));
    }

    void decodeRepairsBrokenUtf8() {
        if (!clip_)
            QSKIP("../shared/data/clip/bpe_simple_vocab_16e6.txt.gz is absent");
        const std::vector<std::int64_t> ids = clip().encode("café 😀");
        QCOMPARE(clip().decode(ids), std::string("café 😀 "));
        // The first byte of "é" alone (0xC3, vocabulary id 127) is invalid UTF-8.
        QCOMPARE(clip().decode({127}), std::string("\uFFFD"));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, clip().decode({49408}));
        // Invalid UTF-8 input reads as U+FFFD, one per maximal invalid subsequence.
        QCOMPARE(clip().encode("bad \xff\xfe utf8 \xe2\x82"),
                 clip().encode("bad \uFFFD\uFFFD utf8 \uFFFD"));
    }

    void cacheDoesNotChangeResults() {
        if (!clip_)
            QSKIP("../shared/data/clip/bpe_simple_vocab_16e6.txt.gz is absent");
        const std::vector<std::int64_t> warm = clip().encode("where is the refrigerator?");
        clip().clearCache();
        QCOMPARE(clip().encode("where is the refrigerator?"), warm);
        QCOMPARE(clip().encode("where is the refrigerator?"), warm);

        // One instance shared by threads while one of them keeps emptying the cache.
        const std::vector<std::string> texts = edgeCases();
        const std::vector<std::int64_t> expected = clip().tokenize(texts).ids;
        std::atomic<int> mismatches{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 25; ++i) {
                    if (t == 0)
                        clip().clearCache();
                    if (clip().tokenize(texts).ids != expected)
                        ++mismatches;
                }
            });
        for (std::thread& thread : threads)
            thread.join();
        QCOMPARE(mismatches.load(), 0);
    }

    void agreesWithPythonOnScanQa() {
        if (!clip_ || scanQaPath().isEmpty())
            QSKIP("../shared/data (CLIP vocabulary, ScanQA sample) is absent");
        if (!QFileInfo::exists(kPython))
            QSKIP("/usr/bin/python3 is absent");
        const std::vector<std::string> questions = scanQaQuestions();
        QCOMPARE(questions.size(), std::size_t(748));
        QString error;
        const auto expected = runReference({"clip", "--vocab", clipVocabPath()}, questions, error);
        QVERIFY2(expected, qPrintable(error));
        compareRows(clip().tokenize(questions), *expected, questions);
    }

    void agreesWithPythonOnEdgeCases() {
        if (!clip_)
            QSKIP("../shared/data/clip/bpe_simple_vocab_16e6.txt.gz is absent");
        if (!QFileInfo::exists(kPython))
            QSKIP("/usr/bin/python3 is absent");
        const std::vector<std::string> texts = edgeCases();
        QString error;
        const auto expected = runReference({"clip", "--vocab", clipVocabPath()}, texts, error);
        QVERIFY2(expected, qPrintable(error));
        compareRows(clip().tokenize(texts), *expected, texts);
        const auto short16 =
            runReference({"clip", "--vocab", clipVocabPath(), "--context", "16"}, texts, error);
        QVERIFY2(short16, qPrintable(error));
        compareRows(clip().tokenize(texts, 16), *short16, texts);
    }

    void agreesWithPythonOnRandomTexts() {
        if (!clip_)
            QSKIP("../shared/data/clip/bpe_simple_vocab_16e6.txt.gz is absent");
        if (!QFileInfo::exists(kPython))
            QSKIP("/usr/bin/python3 is absent");
        const std::vector<std::string> texts = randomTexts(1000);
        QString error;
        const auto expected = runReference({"clip", "--vocab", clipVocabPath()}, texts, error);
        QVERIFY2(expected, qPrintable(error));
        compareRows(clip().tokenize(texts), *expected, texts);
    }

    void clipVocabularyErrors() {
        QTemporaryDir dir;
        const QString missing = dir.filePath("missing.txt.gz");
        QString message = test::errorOf([&] { ClipTokenizer::fromFile(missing.toStdString()); });
        VERIFY_CONTAINS(message, missing + ": cannot open CLIP BPE vocabulary");

        const QString plain = dir.filePath("plain.txt.gz");
        writeFile(plain, "#version: 0.2\ni n\n");
        message = test::errorOf([&] { ClipTokenizer::fromFile(plain.toStdString()); });
        VERIFY_CONTAINS(message, plain + ": byte 0: not a gzip file");

        const QString few = dir.filePath("few.txt.gz");
        writeGzip(few, "#version: 0.2\ni n\nt h\n");
        message = test::errorOf([&] { ClipTokenizer::fromFile(few.toStdString()); });
        VERIFY_CONTAINS(message, "expected 48894 BPE merges after the #version line, found 3");

        std::string malformed = "#version: 0.2\n";
        for (int i = 0; i < 48894; ++i)
            malformed += i == 99 ? "a b c\n" : "i n\n";
        const QString bad = dir.filePath("bad.txt.gz");
        writeGzip(bad, malformed);
        message = test::errorOf([&] { ClipTokenizer::fromFile(bad.toStdString()); });
        VERIFY_CONTAINS(message, bad + ": line 101: expected a BPE merge of two symbols, found 3");

        if (clipVocabPath().isEmpty())
            return;
        QFile real(clipVocabPath());
        QVERIFY(real.open(QIODevice::ReadOnly));
        const QString truncated = dir.filePath("truncated.txt.gz");
        writeFile(truncated, real.read(100000));
        message = test::errorOf([&] { ClipTokenizer::fromFile(truncated.toStdString()); });
        VERIFY_CONTAINS(message, truncated + ": byte ");
        VERIFY_CONTAINS(message, "corrupt gzip data");
    }

    void wordTokenizerGoldens() {
        QTemporaryDir dir;
        const QString path = dir.filePath("vocab.json");
        writeFile(path, "[\"<pad>\", \"<unk>\", \"what\", \"is\", \"the\", \"color\", \"of\", "
                        "\"chair\", \"?\", \"1234\", \"café\", \"σοφος\", \"'\", \"s\", "
                        "\"日本語\"]");
        const WordTokenizer words = WordTokenizer::fromFile(path.toStdString(), 6);
        QCOMPARE(words.vocabularySize(), std::size_t(15));
        QCOMPARE(words.contextLength(), 6);
        QCOMPARE(WordTokenizer::split("It's a Café,  1234!\n日本語😀 ΣΟΦΟΣ"),
                 (std::vector<std::string>{"it", "'", "s", "a", "café", ",", "1234", "!", "日本語",
                                           "😀", "σοφος"}));
        QCOMPARE(words.encode("What is the COLOUR of the chair?"),
                 (std::vector<std::int64_t>{2, 3, 4, 1, 6, 4, 7, 8}));
        const TokenBatch batch =
            words.tokenize({"What is the COLOUR of the chair?", "CAFÉ 1234", ""});
        QCOMPARE(batch.rows, 3);
        QCOMPARE(batch.cols, 6);
        QCOMPARE(batch.ids, (std::vector<std::int64_t>{2, 3, 4, 1, 6, 4,  //
                                                       10, 9, 0, 0, 0, 0, //
                                                       0, 0, 0, 0, 0, 0}));
        QCOMPARE(batch.mask, (std::vector<std::uint8_t>{1, 1, 1, 1, 1, 1, //
                                                        1, 1, 0, 0, 0, 0, //
                                                        0, 0, 0, 0, 0, 0}));
        QCOMPARE(words.word(10), std::string("café"));
    }

    void wordTokenizerAgreesWithPython() {
        if (scanQaPath().isEmpty())
            QSKIP("../shared/data/scanqa is absent");
        if (!QFileInfo::exists(kPython))
            QSKIP("/usr/bin/python3 is absent");
        // A vocabulary from the first 300 questions, so later ones meet unknown words.
        std::vector<std::string> questions = scanQaQuestions();
        std::vector<std::string> vocabulary = {"<pad>", "<unk>"};
        std::set<std::string> seen;
        for (std::size_t q = 0; q < 300; ++q)
            for (const std::string& token : WordTokenizer::split(questions[q]))
                if (seen.insert(token).second)
                    vocabulary.push_back(token);
        QTemporaryDir dir;
        const QString path = dir.filePath("vocab.json");
        writeFile(path, asciiJsonList(vocabulary));
        for (const std::string& text : edgeCases())
            questions.push_back(text);
        for (const std::string& text : randomTexts(300))
            questions.push_back(text);

        const WordTokenizer words = WordTokenizer::fromFile(path.toStdString(), 12);
        QString error;
        const auto expected =
            runReference({"word", "--vocab", path, "--context", "12"}, questions, error);
        QVERIFY2(expected, qPrintable(error));
        compareRows(words.tokenize(questions), *expected, questions);
    }

    void wordTokenizerErrors() {
        QTemporaryDir dir;
        auto errorFor = [&](const QByteArray& json) {
            const QString path = dir.filePath("v.json");
            writeFile(path, json);
            return test::errorOf([&] { WordTokenizer::fromFile(path.toStdString(), 8); });
        };
        const QString path = dir.filePath("v.json");
        VERIFY_CONTAINS(errorFor(R"({"<pad>": 0})"),
                        path + ": expected a JSON list of words, found a object");
        VERIFY_CONTAINS(errorFor(R"(["<pad>", "<unk>", 3])"),
                        path + ": entry 2: expected a string, found a number");
        VERIFY_CONTAINS(errorFor(R"(["<unk>", "<pad>"])"),
                        path + R"(: entry 0: expected "<pad>" at index 0, found "<unk>")");
        VERIFY_CONTAINS(errorFor(R"(["<pad>"])"),
                        path + R"(: entry 1: expected "<unk>" at index 1, the list is too short)");
        VERIFY_CONTAINS(errorFor(R"(["<pad>", "<unk>", "a", "b", "a"])"),
                        path + R"(: entry 4: duplicate word "a" (also entry 2))");
        VERIFY_CONTAINS(errorFor(R"(["<pad>", "<unk>", )"), path + ": byte ");
        VERIFY_CONTAINS(errorFor(R"(["<pad>", "<unk>", )"), "not JSON");
        const QString missing = dir.filePath("missing.json");
        VERIFY_CONTAINS(test::errorOf([&] { WordTokenizer::fromFile(missing.toStdString(), 8); }),
                        missing + ": cannot open the word vocabulary");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 WordTokenizer::fromWords({"<pad>", "<unk>"}, 0));
    }
};

QTEST_GUILESS_MAIN(TestClipTokenizer)
#include "test_clip_tokenizer.moc"
