#pragma once
// What the main window does with loaded models: encodes scenes into embedding sets (objects,
// scenes, CLIP text of class prompts and free text, CLIP images of views) in the background and
// offers them for projection; ranks the open scene's objects by similarity to a text query; and
// colours the scene by object features or by that similarity.

#include "EncodeDialog.h"
#include "embed/EmbeddingSet.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

namespace scenelens {

class BackgroundJob;
class MainWindow;
class ModelLibrary;
class ObjectQueryDock;

class ModelWorkflow : public QObject {
    Q_OBJECT
public:
    ModelWorkflow(MainWindow* window, ModelLibrary* models);

    /// Runs the encoding; one job at a time.
    BackgroundJob* job() const { return job_; }
    ObjectQueryDock* queryDock() const { return queryDock_; }
    /// The dialog waiting for the user, or nullptr.
    EncodeDialog* encodeDialog() const { return dialog_; }

    /// Opens the encode dialog (window-modal, returns at once); Encode starts encode().
    void requestEncode();
    /// Encodes in the background; the new sets go to the window's EmbeddingWorkflow, which then
    /// asks how to project them. Needs a loaded scene encoder (and CLIP for text and images).
    void encode(const EncodeChoices& choices);

    /// Ranks the open scene's encoded objects by cosine similarity to the CLIP embedding of
    /// `text` and shows the ranking in queryDock(), selecting the best object.
    void query(const QString& text);
    /// Paints the open scene's encoded objects with the principal components of their embeddings
    /// (on) or restores the colour mode (off).
    void setColourByFeature(bool on);
    bool colourByFeature() const { return colourByFeature_; }

Q_SIGNALS:
    /// Encoding finished and added these sets.
    void encoded(const std::vector<std::shared_ptr<const embed::EmbeddingSet>>& sets);
    /// Something could not be done; the message is also shown to the user.
    void failed(const QString& message);
    void colourByFeatureChanged(bool on);

private:
    /// The newest object set with rows of the open scene, or nullptr.
    std::shared_ptr<const embed::EmbeddingSet> objectSetOfOpenScene() const;
    void refreshColours();
    void showError(const QString& title, const QString& message);

    MainWindow* window_;
    ModelLibrary* models_;
    BackgroundJob* job_;
    ObjectQueryDock* queryDock_;
    QPointer<EncodeDialog> dialog_;
    bool colourByFeature_ = false;
};

} // namespace scenelens
