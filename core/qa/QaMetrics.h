#pragma once
// Answer metrics of 3D question answering, as ScanQA and SQA3D report them: exact match at 1 and
// 10, the captioning metrics of pycocoevalcap on the top answer (BLEU-1..4, ROUGE-L, CIDEr-D) and
// SQA3D's accuracy per question type. Pure functions of ranked answers and reference answers.
// Scores are fractions (CIDEr-D: 0..10, as pycocoevalcap returns it); reports print them x100.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace scenelens::qa {

/// The words of an answer as the n-gram metrics see them: lower-cased (ASCII), split at
/// whitespace and at every ASCII punctuation character except '-' and '\'' (which stay inside
/// words, as in "t-shirt" and "o'clock"); tokens made only of '-' and '\'' are dropped.
std::vector<std::string> answerTokens(const std::string& answer);

/// The answer compared by exact match: answerTokens without the articles "a", "an" and "the",
/// joined by single spaces ("The Brown chair." -> "brown chair").
std::string normalizeAnswer(const std::string& answer);

/// True when the normalised `answer` equals a normalised reference.
bool answerMatches(const std::string& answer, const std::vector<std::string>& references);

/// Fraction of questions where one of the first k ranked answers matches a reference (EM@k).
/// ranked[i] and references[i] belong to question i; throws std::invalid_argument when the
/// sizes differ or there is no question.
double exactMatchAt(const std::vector<std::vector<std::string>>& ranked,
                    const std::vector<std::vector<std::string>>& references, std::size_t k);

/// Corpus BLEU-1..4 of pycocoevalcap's Bleu(4) ("closest" reference length, brevity penalty over
/// the corpus, its 1e-15 / 1e-9 smoothing). candidates[i] is question i's top answer; every
/// question needs at least one reference.
std::array<double, 4> corpusBleu(const std::vector<std::string>& candidates,
                                 const std::vector<std::vector<std::string>>& references);

/// pycocoevalcap's ROUGE-L: per question the LCS precision and recall, each maximised over the
/// references, combined as F with beta 1.2; the mean over questions.
double rougeL(const std::vector<std::string>& candidates,
              const std::vector<std::vector<std::string>>& references);

/// pycocoevalcap's Cider (CIDEr-D): n = 1..4 tf-idf vectors with document frequencies over the
/// questions' reference sets, clipped cosine similarity, Gaussian length penalty (sigma 6, on
/// bigram counts as pycocoevalcap counts length), mean over n and references, x10; mean over
/// questions.
double ciderD(const std::vector<std::string>& candidates,
              const std::vector<std::vector<std::string>>& references);

/// Every ScanQA metric at once (METEOR needs Java and is not computed).
struct ScanQAScores {
    double exactMatch1 = 0.0;
    double exactMatch10 = 0.0;
    std::array<double, 4> bleu{};
    double rougeL = 0.0;
    double cider = 0.0;
};

/// The metrics of ranked answers (the candidate of the n-gram metrics is the top one).
ScanQAScores scanQAScores(const std::vector<std::vector<std::string>>& ranked,
                          const std::vector<std::vector<std::string>>& references);

/// SQA3D's question types, by the question's first letters (SQA3D's get_sqa_question_type).
enum class SqaQuestionType { What, Is, How, Can, Which, Others };
constexpr std::size_t kSqaQuestionTypes = 6;

/// The type of a question: after leading whitespace, a case-insensitive prefix "what", "is",
/// "how", "can" or "which", tested in that order; else Others. A prefix, not a word: "Isn't"
/// is Is, as in SQA3D's evaluation.
SqaQuestionType sqaQuestionType(const std::string& question);
/// "What", "Is", "How", "Can", "Which", "Others".
const char* sqaQuestionTypeName(SqaQuestionType type);

struct AccuracyCount {
    std::size_t questions = 0;
    std::size_t correct = 0;
    double accuracy() const { return questions ? double(correct) / double(questions) : 0.0; }
};

struct SqaAccuracy {
    AccuracyCount overall;
    std::array<AccuracyCount, kSqaQuestionTypes> perType; ///< indexed by SqaQuestionType
};

/// Top-1 accuracy (the top answer matches a reference) overall and per question type.
SqaAccuracy sqaAccuracy(const std::vector<std::string>& questions,
                        const std::vector<std::string>& topAnswers,
                        const std::vector<std::vector<std::string>>& references);

} // namespace scenelens::qa
