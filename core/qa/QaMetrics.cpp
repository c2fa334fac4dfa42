#include "QaMetrics.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>

namespace scenelens::qa {

namespace {

constexpr std::size_t kMaxOrder = 4;

bool separates(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 128)
        return false; // UTF-8 bytes belong to words
    return std::isspace(byte) || (std::ispunct(byte) && c != '-' && c != '\'');
}

bool onlyJoiners(const std::string& token) {
    return token.find_first_not_of("-'") == std::string::npos;
}

/// n-gram counts of one sentence, one map per order (index 0: unigrams); an n-gram is its words
/// joined by single spaces, which no token contains.
using NGramCounts = std::array<std::map<std::string, int>, kMaxOrder>;

NGramCounts countNGrams(const std::vector<std::string>& words) {
    NGramCounts counts;
    for (std::size_t order = 1; order <= kMaxOrder; ++order)
        for (std::size_t first = 0; first + order <= words.size(); ++first) {
            std::string gram = words[first];
            for (std::size_t i = first + 1; i < first + order; ++i)
                gram += ' ' + words[i];
            ++counts[order - 1][gram];
        }
    return counts;
}

void requireQuestions(std::size_t candidates, const std::vector<std::vector<std::string>>& refs,
                      bool needReferences) {
    if (candidates != refs.size())
        throw std::invalid_argument(std::to_string(candidates) + " predictions for " +
                                    std::to_string(refs.size()) + " reference lists");
    if (candidates == 0)
        throw std::invalid_argument("no questions to score");
    if (!needReferences)
        return;
    for (std::size_t i = 0; i < refs.size(); ++i)
        if (refs[i].empty())
            throw std::invalid_argument("question " + std::to_string(i) +
                                        " has no reference answer");
}

std::vector<std::vector<std::string>>
tokenizedReferences(const std::vector<std::vector<std::string>>& references, std::size_t question) {
    std::vector<std::vector<std::string>> tokens;
    for (const std::string& reference : references[question])
        tokens.push_back(answerTokens(reference));
    return tokens;
}

std::size_t longestCommonSubsequence(const std::vector<std::string>& a,
                                     const std::vector<std::string>& b) {
    std::vector<std::size_t> previous(b.size() + 1, 0), current(b.size() + 1, 0);
    for (const std::string& word : a) {
        for (std::size_t j = 1; j <= b.size(); ++j)
            current[j] =
                word == b[j - 1] ? previous[j - 1] + 1 : std::max(previous[j], current[j - 1]);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

/// pycocoevalcap's per-sentence CIDEr vector: tf-idf weights per order, their norms and the
/// "length" it penalises, which is the number of bigrams (its `if n == 1` counts order index 1).
struct CiderVector {
    std::array<std::map<std::string, double>, kMaxOrder> weights;
    std::array<double, kMaxOrder> norms{};
    double length = 0.0;
};

CiderVector ciderVector(const NGramCounts& counts, const std::map<std::string, int>& documents,
                        double logQuestions) {
    CiderVector vector;
    for (std::size_t order = 0; order < kMaxOrder; ++order) {
        double squares = 0.0;
        for (const auto& [gram, count] : counts[order]) {
            const auto found = documents.find(gram);
            const double frequency = found == documents.end() ? 0.0 : double(found->second);
            const double weight =
                double(count) * (logQuestions - std::log(std::max(1.0, frequency)));
            vector.weights[order][gram] = weight;
            squares += weight * weight;
            if (order == 1)
                vector.length += count;
        }
        vector.norms[order] = std::sqrt(squares);
    }
    return vector;
}

/// Clipped cosine similarity per order with the Gaussian length penalty (sigma 6), averaged over
/// the orders.
double ciderSimilarity(const CiderVector& candidate, const CiderVector& reference) {
    constexpr double kSigma = 6.0;
    const double delta = candidate.length - reference.length;
    const double penalty = std::exp(-(delta * delta) / (2.0 * kSigma * kSigma));
    double sum = 0.0;
    for (std::size_t order = 0; order < kMaxOrder; ++order) {
        double value = 0.0;
        for (const auto& [gram, weight] : candidate.weights[order]) {
            const auto found = reference.weights[order].find(gram);
            if (found != reference.weights[order].end())
                value += std::min(weight, found->second) * found->second;
        }
        if (candidate.norms[order] != 0.0 && reference.norms[order] != 0.0)
            value /= candidate.norms[order] * reference.norms[order];
        sum += value * penalty;
    }
    return sum / double(kMaxOrder);
}

} // namespace

std::vector<std::string> answerTokens(const std::string& answer) {
    std::vector<std::string> tokens(1);
    for (char c : answer) {
        if (separates(c)) {
            if (!tokens.back().empty())
                tokens.emplace_back();
            continue;
        }
        const auto byte = static_cast<unsigned char>(c);
        tokens.back() += byte < 128 ? char(std::tolower(byte)) : c;
    }
    tokens.erase(std::remove_if(tokens.begin(), tokens.end(), onlyJoiners), tokens.end());
    return tokens;
}

std::string normalizeAnswer(const std::string& answer) {
    static const std::set<std::string> kArticles = {"a", "an", "the"};
    std::string normalized;
    for (const std::string& token : answerTokens(answer))
        if (!kArticles.count(token))
            normalized += (normalized.empty() ? "" : " ") + token;
    return normalized;
}

bool answerMatches(const std::string& answer, const std::vector<std::string>& references) {
    const std::string normalized = normalizeAnswer(answer);
    return std::any_of(references.begin(), references.end(), [&](const std::string& reference) {
        return normalizeAnswer(reference) == normalized;
    });
}

double exactMatchAt(const std::vector<std::vector<std::string>>& ranked,
                    const std::vector<std::vector<std::string>>& references, std::size_t k) {
    requireQuestions(ranked.size(), references, false);
    std::size_t matched = 0;
    for (std::size_t q = 0; q < ranked.size(); ++q) {
        const std::size_t considered = std::min(k, ranked[q].size());
        matched +=
            std::any_of(ranked[q].begin(), ranked[q].begin() + std::ptrdiff_t(considered),
                        [&](const std::string& a) { return answerMatches(a, references[q]); });
    }
    return double(matched) / double(ranked.size());
}

std::array<double, 4> corpusBleu(const std::vector<std::string>& candidates,
                                 const std::vector<std::vector<std::string>>& references) {
    requireQuestions(candidates.size(), references, true);
    // pycocoevalcap's constants: they keep a zero count from zeroing the product and dividing.
    constexpr double kTiny = 1e-15, kSmall = 1e-9;
    std::array<double, kMaxOrder> correct{}, guessed{};
    double candidateLength = 0.0, referenceLength = 0.0;
    for (std::size_t q = 0; q < candidates.size(); ++q) {
        const std::vector<std::string> words = answerTokens(candidates[q]);
        const long long length = static_cast<long long>(words.size());
        NGramCounts maxCounts;
        long long closest = -1;
        for (const std::vector<std::string>& reference : tokenizedReferences(references, q)) {
            const NGramCounts counts = countNGrams(reference);
            for (std::size_t order = 0; order < kMaxOrder; ++order)
                for (const auto& [gram, count] : counts[order])
                    maxCounts[order][gram] = std::max(maxCounts[order][gram], count);
            // "closest": the reference length nearest the candidate's, the shorter on a tie.
            const long long r = static_cast<long long>(reference.size());
            if (closest < 0 || std::llabs(r - length) < std::llabs(closest - length) ||
                (std::llabs(r - length) == std::llabs(closest - length) && r < closest))
                closest = r;
        }
        const NGramCounts counts = countNGrams(words);
        for (std::size_t order = 0; order < kMaxOrder; ++order) {
            guessed[order] += double(std::max(0LL, length - static_cast<long long>(order)));
            for (const auto& [gram, count] : counts[order]) {
                const auto found = maxCounts[order].find(gram);
                if (found != maxCounts[order].end())
                    correct[order] += std::min(count, found->second);
            }
        }
        candidateLength += double(length);
        referenceLength += double(closest);
    }
    std::array<double, 4> bleu{};
    double product = 1.0;
    for (std::size_t order = 0; order < kMaxOrder; ++order) {
        product *= (correct[order] + kTiny) / (guessed[order] + kSmall);
        bleu[order] = std::pow(product, 1.0 / double(order + 1));
    }
    const double ratio = (candidateLength + kTiny) / (referenceLength + kSmall);
    if (ratio < 1.0)
        for (double& score : bleu)
            score *= std::exp(1.0 - 1.0 / ratio);
    return bleu;
}

double rougeL(const std::vector<std::string>& candidates,
              const std::vector<std::vector<std::string>>& references) {
    requireQuestions(candidates.size(), references, true);
    constexpr double kBeta = 1.2;
    double sum = 0.0;
    for (std::size_t q = 0; q < candidates.size(); ++q) {
        const std::vector<std::string> words = answerTokens(candidates[q]);
        double precision = 0.0, recall = 0.0;
        for (const std::vector<std::string>& reference : tokenizedReferences(references, q)) {
            const double common = double(longestCommonSubsequence(reference, words));
            if (!words.empty())
                precision = std::max(precision, common / double(words.size()));
            if (!reference.empty())
                recall = std::max(recall, common / double(reference.size()));
        }
        if (precision != 0.0 && recall != 0.0)
            sum +=
                (1.0 + kBeta * kBeta) * precision * recall / (recall + kBeta * kBeta * precision);
    }
    return sum / double(candidates.size());
}

double ciderD(const std::vector<std::string>& candidates,
              const std::vector<std::vector<std::string>>& references) {
    requireQuestions(candidates.size(), references, true);
    std::vector<std::vector<NGramCounts>> referenceCounts(candidates.size());
    std::map<std::string, int> documents; // reference sets holding each n-gram
    for (std::size_t q = 0; q < candidates.size(); ++q) {
        std::set<std::string> seen;
        for (const std::vector<std::string>& reference : tokenizedReferences(references, q)) {
            referenceCounts[q].push_back(countNGrams(reference));
            for (const auto& order : referenceCounts[q].back())
                for (const auto& entry : order)
                    seen.insert(entry.first);
        }
        for (const std::string& gram : seen)
            ++documents[gram];
    }
    const double logQuestions = std::log(double(candidates.size()));
    double sum = 0.0;
    for (std::size_t q = 0; q < candidates.size(); ++q) {
        const CiderVector candidate =
            ciderVector(countNGrams(answerTokens(candidates[q])), documents, logQuestions);
        double score = 0.0;
        for (const NGramCounts& reference : referenceCounts[q])
            score += ciderSimilarity(candidate, ciderVector(reference, documents, logQuestions));
        sum += 10.0 * score / double(referenceCounts[q].size());
    }
    return sum / double(candidates.size());
}

ScanQAScores scanQAScores(const std::vector<std::vector<std::string>>& ranked,
                          const std::vector<std::vector<std::string>>& references) {
    std::vector<std::string> top;
    for (const std::vector<std::string>& answers : ranked)
        top.push_back(answers.empty() ? std::string() : answers.front());
    ScanQAScores scores;
    scores.exactMatch1 = exactMatchAt(ranked, references, 1);
    scores.exactMatch10 = exactMatchAt(ranked, references, 10);
    scores.bleu = corpusBleu(top, references);
    scores.rougeL = rougeL(top, references);
    scores.cider = ciderD(top, references);
    return scores;
}

SqaQuestionType sqaQuestionType(const std::string& question) {
    std::string lower;
    for (char c :
         question.substr(std::min(question.size(), question.find_first_not_of(" \t\n\r\f\v"))))
        lower += char(std::tolower(static_cast<unsigned char>(c)));
    auto startsWith = [&lower](const char* prefix) { return lower.rfind(prefix, 0) == 0; };
    if (startsWith("what"))
        return SqaQuestionType::What;
    if (startsWith("is"))
        return SqaQuestionType::Is;
    if (startsWith("how"))
        return SqaQuestionType::How;
    if (startsWith("can"))
        return SqaQuestionType::Can;
    if (startsWith("which"))
        return SqaQuestionType::Which;
    return SqaQuestionType::Others;
}

const char* sqaQuestionTypeName(SqaQuestionType type) {
    static const char* const kNames[kSqaQuestionTypes] = {"What", "Is",    "How",
                                                          "Can",  "Which", "Others"};
    return kNames[std::size_t(type)];
}

SqaAccuracy sqaAccuracy(const std::vector<std::string>& questions,
                        const std::vector<std::string>& topAnswers,
                        const std::vector<std::vector<std::string>>& references) {
    requireQuestions(topAnswers.size(), references, false);
    if (questions.size() != topAnswers.size())
        throw std::invalid_argument(std::to_string(questions.size()) + " questions for " +
                                    std::to_string(topAnswers.size()) + " answers");
    SqaAccuracy accuracy;
    for (std::size_t q = 0; q < questions.size(); ++q) {
        const bool correct = answerMatches(topAnswers[q], references[q]);
        AccuracyCount& type = accuracy.perType[std::size_t(sqaQuestionType(questions[q]))];
        for (AccuracyCount* count : {&accuracy.overall, &type}) {
            ++count->questions;
            count->correct += correct;
        }
    }
    return accuracy;
}

} // namespace scenelens::qa
