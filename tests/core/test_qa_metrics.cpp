// QA metrics (core/qa/QaMetrics) on small examples computed by hand, following pycocoevalcap's
// Bleu, Rouge and Cider scorers step by step; answer normalisation; SQA3D accuracy per question
// type; ScanQA box corners; and the real ScanQA sample file read completely.

#include "TestData.h"

#include "qa/QaEvaluation.h"
#include "qa/QaMetrics.h"
#include "qa/QuestionSets.h"

#include <QFileInfo>
#include <QtTest>

#include <cmath>
#include <set>
#include <stdexcept>

using namespace scenelens::qa;
using Strings = std::vector<std::string>;

namespace {

bool near(double actual, double expected, double tolerance = 1e-8) {
    return std::abs(actual - expected) <= tolerance;
}

} // namespace

#define COMPARE_NEAR(actual, expected)                                                             \
    QVERIFY2(near((actual), (expected)), qPrintable(QString("%1 is %2, expected %3")               \
                                                        .arg(#actual)                              \
                                                        .arg(double(actual), 0, 'g', 12)           \
                                                        .arg(double(expected), 0, 'g', 12)))

class TestQaMetrics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void normalisesAnswers() {
        QCOMPARE(answerTokens("  The Brown chair. "), (Strings{"the", "brown", "chair"}));
        // Hyphens and apostrophes stay inside words; tokens of only those are dropped.
        QCOMPARE(answerTokens("t-shirt, 3 o'clock -- left!"),
                 (Strings{"t-shirt", "3", "o'clock", "left"}));
        QCOMPARE(answerTokens("on/under (the) table?"), (Strings{"on", "under", "the", "table"}));
        QCOMPARE(answerTokens("...!"), Strings{});
        QCOMPARE(normalizeAnswer("The Brown chair."), std::string("brown chair"));
        QCOMPARE(normalizeAnswer("  an  old, wooden TABLE!! "), std::string("old wooden table"));
        // Articles are whole words only.
        QCOMPARE(normalizeAnswer("the theatre"), std::string("theatre"));
        QCOMPARE(normalizeAnswer("A"), std::string());
        QVERIFY(answerMatches("A chair", {"table", "chair"}));
        QVERIFY(answerMatches("Dark-brown", {"dark-brown"}));
        QVERIFY(!answerMatches("chairs", {"chair"}));
        QVERIFY(!answerMatches("dark brown", {"dark-brown"}));
        // Numbers are compared as written, as ScanQA's score.py does.
        QVERIFY(!answerMatches("2", {"two"}));
    }

    void exactMatchAtOneAndTen() {
        const std::vector<Strings> ranked = {
            {"Brown", "dark brown"},
            {"black", "white", "gray"},
            {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "table"},
            {"kitchen"}};
        const std::vector<Strings> references = {
            {"dark brown", "brown"}, {"white"}, {"the table"}, {"bathroom"}};
        // Top answer matches in question 0 only: 1/4. Within 10: questions 0 and 1 (the 11th
        // answer of question 2 is not considered): 2/4. Within 11: 3/4.
        QCOMPARE(exactMatchAt(ranked, references, 1), 0.25);
        QCOMPARE(exactMatchAt(ranked, references, 10), 0.5);
        QCOMPARE(exactMatchAt(ranked, references, 11), 0.75);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, exactMatchAt({}, {}, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, exactMatchAt(ranked, {{"x"}}, 1));
    }

    void bleuAsPycocoevalcap() {
        // Question 1: "brown wooden chair" vs {"brown wooden chair", "chair"}: closest reference
        //   length 3; matched / candidate n-grams: 1-grams 3/3, 2-grams 2/2, 3-grams 1/1, 4-grams
        //   0/0.
        // Question 2: "on the table" vs {"on top of the table"}: reference length 5; 1-grams 3/3,
        //   2-grams 1/2 ("the table"; "on the" is not in the reference), 3-grams 0/1, 4-grams 0/0.
        // Corpus: p1 = 6/6, p2 = 3/4, p3 = 1/2, p4 = (0 + 1e-15) / (0 + 1e-9) = 1e-6;
        //   candidate length 6 < reference length 3 + 5 = 8: BP = exp(1 - 8/6) = exp(-1/3).
        // BLEU-1 = BP = 0.716531310; BLEU-2 = sqrt(3/4) BP = 0.620534318;
        // BLEU-3 = (3/8)^(1/3) BP = 0.516708487; BLEU-4 = (3/8 * 1e-6)^(1/4) BP = 0.0177313985.
        const std::array<double, 4> bleu =
            corpusBleu({"brown wooden chair", "On the table."},
                       {{"brown wooden chair", "chair"}, {"on top of the table"}});
        const double bp = std::exp(-1.0 / 3.0);
        COMPARE_NEAR(bleu[0], bp);
        COMPARE_NEAR(bleu[1], std::sqrt(0.75) * bp);
        COMPARE_NEAR(bleu[2], std::cbrt(0.375) * bp);
        COMPARE_NEAR(bleu[3], std::pow(0.375e-6, 0.25) * bp);
        COMPARE_NEAR(bleu[3], 0.0177313985);

        // "closest" takes the shorter reference on a tie: "the brown chair" (3 words) vs
        // {"brown chair" (2), "the old brown chair" (4)} -> reference length 2, no penalty; the
        // maximum count over the references clips: 1-grams 3/3, 2-grams 1/2 ("brown chair").
        const std::array<double, 4> tie =
            corpusBleu({"the brown chair"}, {{"brown chair", "the old brown chair"}});
        COMPARE_NEAR(tie[0], 1.0);
        COMPARE_NEAR(tie[1], std::sqrt(0.5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, corpusBleu({"chair"}, {{}}));
    }

    void rougeLAsPycocoevalcap() {
        // 1: "the brown chair" vs "brown chair": LCS 2, P 2/3, R 2/2; vs "the old brown chair":
        //    LCS 3, P 3/3, R 3/4. pycocoevalcap maximises P and R separately: P 1, R 1 -> F 1.
        // 2: "table" vs "on the table": LCS 1, P 1, R 1/3:
        //    F = (1 + 1.2^2) P R / (R + 1.2^2 P) = 2.44 / 3 / (1/3 + 1.44) = 0.458646617.
        // 3: "kitchen" vs "bathroom": 0. Mean (1 + 0.458646617 + 0) / 3 = 0.486215539.
        const double rouge =
            rougeL({"the brown chair", "table", "kitchen"},
                   {{"brown chair", "the old brown chair"}, {"on the table"}, {"bathroom"}});
        COMPARE_NEAR(rouge, (1.0 + (2.44 / 3.0) / (1.0 / 3.0 + 1.44)) / 3.0);
        COMPARE_NEAR(rouge, 0.486215539);
    }

    void ciderDAsPycocoevalcap() {
        // Three questions: log N = ln 3 = L3. Document frequencies over the reference sets: "chair"
        // is in two sets (weight ln 3 - ln 2 = ln 1.5 = L15), every other n-gram in one (L3).
        // pycocoevalcap's "length" is the number of bigrams; penalty exp(-delta^2 / 72).
        const double l3 = std::log(3.0), l15 = std::log(1.5), pen = std::exp(-1.0 / 72.0);
        const double unigramNorm = std::sqrt(l3 * l3 + l15 * l15); // of {brown, chair}
        // 1: "brown chair" vs "brown chair": cosine 1 for 1- and 2-grams, 0 for 3- and 4-grams
        //    (no n-grams: no division) -> mean over n = 2/4. Vs "chair": 1-grams
        //    L15^2 / (unigramNorm L15), times pen (1 bigram vs 0) -> mean over n = that / 4.
        //    Score = 10 * (0.5 + L15 / unigramNorm * pen / 4) / 2 references = 2.92683235.
        const double first = 10.0 * (0.5 + l15 / unigramNorm * pen / 4.0) / 2.0;
        // 2: "chair" vs "black chair": the same unigram cosine L15 / unigramNorm, pen -> / 4 x 10.
        const double second = 10.0 * (l15 / unigramNorm * pen / 4.0);
        // 3: "table" vs "white table": 1-grams L3^2 / (L3 * sqrt(2) L3) = 1/sqrt(2), pen.
        const double third = 10.0 * (pen / std::sqrt(2.0) / 4.0);
        const double cider = ciderD({"brown chair", "chair", "table"},
                                    {{"brown chair", "chair"}, {"black chair"}, {"white table"}});
        COMPARE_NEAR(first, 2.92683235);
        COMPARE_NEAR(cider, (first + second + third) / 3.0);
        COMPARE_NEAR(cider, 1.8412938);

        // A perfect two-word answer scores 5 (only two of the four n-gram orders exist), and a
        // corpus of one question scores 0 (every idf is ln 1 - ln 1).
        COMPARE_NEAR(ciderD({"brown chair", "white table"}, {{"brown chair"}, {"white table"}}),
                     5.0);
        COMPARE_NEAR(ciderD({"brown chair"}, {{"brown chair"}}), 0.0);
    }

    void scanQAScoresUseTheTopAnswer() {
        const ScanQAScores scores = scanQAScores(
            {{"table", "brown chair"}, {"kitchen", "bathroom"}}, {{"brown chair"}, {"bathroom"}});
        QCOMPARE(scores.exactMatch1, 0.0);
        QCOMPARE(scores.exactMatch10, 1.0);
        COMPARE_NEAR(scores.rougeL, rougeL({"table", "kitchen"}, {{"brown chair"}, {"bathroom"}}));
        COMPARE_NEAR(scores.cider, 0.0); // no top answer shares an n-gram with its references
        QCOMPARE(scores.bleu, corpusBleu({"table", "kitchen"}, {{"brown chair"}, {"bathroom"}}));
    }

    void sqaAccuracyPerQuestionType() {
        QCOMPARE(sqaQuestionType("  what is on my left?"), SqaQuestionType::What);
        QCOMPARE(sqaQuestionType("Isn't the lamp on?"), SqaQuestionType::Is); // a prefix rule
        QCOMPARE(sqaQuestionType("HOW many chairs?"), SqaQuestionType::How);
        QCOMPARE(sqaQuestionType("Where is the sink?"), SqaQuestionType::Others);
        QCOMPARE(sqaQuestionType(""), SqaQuestionType::Others);
        QCOMPARE(std::string(sqaQuestionTypeName(SqaQuestionType::Which)), std::string("Which"));

        const Strings questions = {
            "What is on my left?",   "  is the door open?",
            "Isn't the lamp on?",    "How many chairs are behind me?",
            "Can I sit on the bed?", "Which direction should I go to reach the sink?",
            "Where is the table?"};
        const Strings top = {"chair", "yes", "Yes.", "2", "yes", "left", "the kitchen"};
        const std::vector<Strings> references = {{"chair"}, {"no"},    {"yes"},    {"two"},
                                                 {"yes"},   {"right"}, {"kitchen"}};
        const SqaAccuracy accuracy = sqaAccuracy(questions, top, references);
        QCOMPARE(accuracy.overall.questions, std::size_t(7));
        QCOMPARE(accuracy.overall.correct, std::size_t(4)); // What, Isn't, Can, Where
        auto of = [&](SqaQuestionType type) { return accuracy.perType[std::size_t(type)]; };
        QCOMPARE(of(SqaQuestionType::What).correct, std::size_t(1));
        QCOMPARE(of(SqaQuestionType::Is).questions, std::size_t(2));
        QCOMPARE(of(SqaQuestionType::Is).accuracy(), 0.5);
        QCOMPARE(of(SqaQuestionType::How).accuracy(), 0.0); // "2" is not "two"
        QCOMPARE(of(SqaQuestionType::Can).accuracy(), 1.0);
        QCOMPARE(of(SqaQuestionType::Which).accuracy(), 0.0);
        QCOMPARE(of(SqaQuestionType::Others).accuracy(), 1.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 sqaAccuracy({"What?"}, {"a", "b"}, {{"a"}, {"b"}}));
    }

    void boxCornersAsScanQA() {
        const BoxCorners corners = boxCorners({1.f, 2.f, 3.f}, {2.f, 4.f, 6.f});
        const BoxCorners expected = {{{2, 4, 6},
                                      {2, 0, 6},
                                      {0, 0, 6},
                                      {0, 4, 6},
                                      {2, 4, 0},
                                      {2, 0, 0},
                                      {0, 0, 0},
                                      {0, 4, 0}}};
        QCOMPARE(corners, expected);
    }

    void readsTheRealScanQASample() {
        const QString path =
            scenelens::test::sharedDataDir() + "/scanqa/ScanQA_v1.0_val_sample.json";
        if (scenelens::test::sharedDataDir().isEmpty() || !QFileInfo(path).isFile())
            QSKIP("../shared/data/scanqa/ScanQA_v1.0_val_sample.json is absent");
        const std::vector<ScanQAQuestion> questions = readScanQA(path.toStdString());
        QCOMPARE(questions.size(), std::size_t(748));
        std::set<std::string> scenes;
        for (const ScanQAQuestion& q : questions) {
            scenes.insert(q.sceneId);
            QVERIFY(!q.answers.empty());
            QCOMPARE(q.objectIds.size(), q.objectNames.size());
        }
        QCOMPARE(scenes, (std::set<std::string>{"scene0011_00", "scene0015_00", "scene0019_00",
                                                "scene0025_00", "scene0030_00", "scene0046_00",
                                                "scene0050_00", "scene0063_00"}));
        const ScanQAQuestion& first = questions.front();
        QCOMPARE(first.questionId, std::string("val-scene0011-0"));
        QCOMPARE(first.sceneId, std::string("scene0011_00"));
        QCOMPARE(first.question, std::string("What color is the chair in the kitchen?"));
        QCOMPARE(first.answers, (Strings{"dark brown", "brown"}));
        QCOMPARE(first.objectIds, (std::vector<int>{4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
        QCOMPARE(first.objectNames, Strings(10, "chair"));
        const ScanQAQuestion& last = questions.back();
        QCOMPARE(last.questionId, std::string("val-scene0063-69"));
        QCOMPARE(last.objectIds, std::vector<int>{14});
        QCOMPARE(last.answers, (Strings{"refrigerator", "fridge"}));
        QCOMPARE(questions[100].objectIds, (std::vector<int>{2, 3, 6, 7, 10, 33, 34}));

        // Every question answered with its own first reference: EM@1 is 1 by definition.
        std::vector<Strings> ranked, references;
        for (const ScanQAQuestion& q : questions) {
            ranked.push_back({q.answers.front()});
            references.push_back(q.answers);
        }
        QCOMPARE(exactMatchAt(ranked, references, 1), 1.0);
        const ScanQAScores scores = scanQAScores(ranked, references);
        COMPARE_NEAR(scores.bleu[0], 1.0); // every word of the top answer is in a reference
        COMPARE_NEAR(scores.rougeL, 1.0);
    }
};

QTEST_GUILESS_MAIN(TestQaMetrics)
#include "test_qa_metrics.moc"
