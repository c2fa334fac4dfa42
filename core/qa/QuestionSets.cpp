#include "QuestionSets.h"

#include "../Error.h"
#include "../scene/PlyIO.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>

namespace scenelens::qa {

namespace {

using nlohmann::json;

json parseFile(const std::string& path) {
    const std::vector<char> text = readFileBytes(path);
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        throw FileError(path, "byte " + std::to_string(e.byte),
                        std::string("malformed JSON: ") + e.what());
    }
}

void writeFile(const std::string& path, const json& value) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const std::string text = value.dump(1, '\t') + "\n";
    if (!out || !out.write(text.data(), std::streamsize(text.size())))
        throw FileError(path, "", "cannot write the file");
}

template <typename T> const char* typeName();
template <> const char* typeName<std::string>() {
    return "a string";
}
template <> const char* typeName<long long>() {
    return "an integer";
}
template <> const char* typeName<float>() {
    return "a number";
}
template <> const char* typeName<std::vector<std::string>>() {
    return "a list of strings";
}
template <> const char* typeName<std::vector<int>>() {
    return "a list of integers";
}

/// `entry[key]` as T, or a FileError naming the entry and key.
template <typename T>
T field(const json& entry, const char* key, const std::string& path, const std::string& where) {
    const auto it = entry.is_object() ? entry.find(key) : entry.end();
    try {
        if (it != entry.end())
            return it->get<T>();
    } catch (const json::exception&) {
    }
    throw FileError(path, where + "." + key, std::string("expected ") + typeName<T>());
}

const json& requireArray(const json& root, const char* key, const std::string& path) {
    const json* array = &root;
    if (key) {
        if (!root.is_object() || !root.contains(key))
            throw FileError(path, "",
                            std::string("expected an object with an array '") + key + "'");
        array = &root.at(key);
    }
    if (!array->is_array())
        throw FileError(path, key ? key : "", "expected an array");
    return *array;
}

std::string entryName(std::size_t i) {
    return "[" + std::to_string(i) + "]";
}

json poseJson(const Eigen::Vector3f& position, const Eigen::Quaternionf& rotation) {
    return {
        {"position", {{"x", position.x()}, {"y", position.y()}, {"z", position.z()}}},
        {"rotation",
         {{"_w", rotation.w()}, {"_x", rotation.x()}, {"_y", rotation.y()}, {"_z", rotation.z()}}}};
}

AgentPose readPose(const json& entry, const std::string& path, const std::string& where) {
    if (!entry.is_object())
        throw FileError(path, where, "expected an object with position and rotation");
    const json position = entry.value("position", json::object());
    const json rotation = entry.value("rotation", json::object());
    // One key after the other, so that the first missing key is the one reported.
    const auto number = [&](const json& object, const char* key, const char* part) {
        return field<float>(object, key, path, where + part);
    };
    AgentPose pose;
    pose.position.x() = number(position, "x", ".position");
    pose.position.y() = number(position, "y", ".position");
    pose.position.z() = number(position, "z", ".position");
    pose.rotation.w() = number(rotation, "_w", ".rotation");
    pose.rotation.x() = number(rotation, "_x", ".rotation");
    pose.rotation.y() = number(rotation, "_y", ".rotation");
    pose.rotation.z() = number(rotation, "_z", ".rotation");
    return pose;
}

} // namespace

void writeScanQA(const std::string& path, const std::vector<ScanQAQuestion>& questions) {
    json list = json::array();
    for (const ScanQAQuestion& q : questions)
        list.push_back({{"answers", q.answers},
                        {"object_ids", q.objectIds},
                        {"object_names", q.objectNames},
                        {"question", q.question},
                        {"question_id", q.questionId},
                        {"scene_id", q.sceneId}});
    writeFile(path, list);
}

std::vector<ScanQAQuestion> readScanQA(const std::string& path) {
    const json root = parseFile(path);
    const json& list = requireArray(root, nullptr, path);
    std::vector<ScanQAQuestion> questions;
    questions.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json& entry = list[i];
        const std::string where = entryName(i);
        ScanQAQuestion q;
        q.questionId = field<std::string>(entry, "question_id", path, where);
        q.sceneId = field<std::string>(entry, "scene_id", path, where);
        q.question = field<std::string>(entry, "question", path, where);
        // The test split without objects has neither answers nor objects.
        if (entry.contains("answers"))
            q.answers = field<std::vector<std::string>>(entry, "answers", path, where);
        if (entry.contains("object_ids"))
            q.objectIds = field<std::vector<int>>(entry, "object_ids", path, where);
        if (entry.contains("object_names"))
            q.objectNames = field<std::vector<std::string>>(entry, "object_names", path, where);
        questions.push_back(std::move(q));
    }
    return questions;
}

void writeSqa3d(const std::string& questionsPath, const std::string& annotationsPath,
                const std::vector<Sqa3dQuestion>& questions) {
    json questionList = json::array(), annotationList = json::array();
    for (const Sqa3dQuestion& q : questions) {
        questionList.push_back({{"alternative_situation", json::array()},
                                {"question", q.question},
                                {"question_id", q.questionId},
                                {"scene_id", q.sceneId},
                                {"situation", q.situation}});
        json answers = json::array();
        for (std::size_t a = 0; a < q.answers.size(); ++a)
            answers.push_back(
                {{"answer", q.answers[a]}, {"answer_confidence", "yes"}, {"answer_id", a + 1}});
        json annotation = poseJson(q.position, q.rotation);
        annotation.update({{"answer_type", "other"},
                           {"answers", answers},
                           {"question_id", q.questionId},
                           {"question_type", q.questionType},
                           {"scene_id", q.sceneId}});
        annotationList.push_back(std::move(annotation));
    }
    writeFile(questionsPath,
              {{"questions", questionList}, {"task_type", "sqa3d"}, {"data_type", "scannetv2"}});
    writeFile(annotationsPath, {{"annotations", annotationList}, {"data_type", "scannetv2"}});
}

std::vector<Sqa3dQuestion> readSqa3d(const std::string& questionsPath,
                                     const std::string& annotationsPath) {
    const json questionRoot = parseFile(questionsPath);
    const json annotationRoot = parseFile(annotationsPath);
    const json& questionList = requireArray(questionRoot, "questions", questionsPath);
    const json& annotationList = requireArray(annotationRoot, "annotations", annotationsPath);

    std::map<long long, const json*> annotations;
    for (std::size_t i = 0; i < annotationList.size(); ++i)
        annotations[field<long long>(annotationList[i], "question_id", annotationsPath,
                                     "annotations" + entryName(i))] = &annotationList[i];

    std::vector<Sqa3dQuestion> questions;
    for (std::size_t i = 0; i < questionList.size(); ++i) {
        const json& entry = questionList[i];
        const std::string where = "questions" + entryName(i);
        Sqa3dQuestion q;
        q.questionId = field<long long>(entry, "question_id", questionsPath, where);
        q.sceneId = field<std::string>(entry, "scene_id", questionsPath, where);
        q.situation = field<std::string>(entry, "situation", questionsPath, where);
        q.question = field<std::string>(entry, "question", questionsPath, where);
        const auto found = annotations.find(q.questionId);
        if (found == annotations.end())
            throw FileError(annotationsPath, "",
                            "no annotation for question_id " + std::to_string(q.questionId) +
                                " of " + questionsPath);
        const json& annotation = *found->second;
        const std::string at = "annotation of question_id " + std::to_string(q.questionId);
        if (annotation.contains("question_type"))
            q.questionType = field<std::string>(annotation, "question_type", annotationsPath, at);
        const json answers = annotation.value("answers", json::array());
        for (std::size_t a = 0; a < answers.size(); ++a)
            q.answers.push_back(field<std::string>(answers[a], "answer", annotationsPath,
                                                   at + ".answers" + entryName(a)));
        const AgentPose pose = readPose(annotation, annotationsPath, at);
        q.position = pose.position;
        q.rotation = pose.rotation;
        questions.push_back(std::move(q));
        annotations.erase(found);
    }
    if (!annotations.empty())
        throw FileError(annotationsPath, "",
                        "annotation for question_id " + std::to_string(annotations.begin()->first) +
                            " has no question in " + questionsPath);
    return questions;
}

Eigen::Quaternionf headingRotation(float yaw) {
    return Eigen::Quaternionf(Eigen::AngleAxisf(yaw, Eigen::Vector3f::UnitZ()));
}

float headingOf(const Eigen::Quaternionf& rotation) {
    const Eigen::Vector3f facing = rotation * Eigen::Vector3f::UnitX();
    return std::atan2(facing.y(), facing.x());
}

void writeAgentPose(const std::string& path, const AgentPose& pose) {
    writeFile(path, poseJson(pose.position, pose.rotation));
}

AgentPose readAgentPose(const std::string& path) {
    return readPose(parseFile(path), path, "pose");
}

} // namespace scenelens::qa
