#pragma once
// Chooses what "Encode Scenes" makes: object and scene embeddings of the open scene (and of scene
// folders), CLIP text embeddings of class prompts and free text, CLIP image embeddings of the
// scenes' views. Starts from the values accepted last time (QSettings) and remembers them.

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QPlainTextEdit;

namespace scenelens {

struct EncodeChoices {
    bool openScene = true;
    QString sceneFolder; ///< a scene folder or a folder of them; "" for none
    bool objects = true;
    double minObjectness = 0.5;
    bool scenes = true;
    bool classPrompts = true;
    QStringList templates; ///< "{}" stands for the class
    QStringList classes;
    QStringList freeTexts;
    enum class Images { None, Frames, Renders };
    Images images = Images::Frames;
};

class EncodeDialog : public QDialog {
    Q_OBJECT
public:
    /// `openScene` names the open scene ("" when none); `classes` prefill the class list;
    /// `withClip` enables the text and image choices (they need a CLIP model).
    EncodeDialog(const QString& openScene, const QStringList& classes, bool withClip,
                 QWidget* parent = nullptr);

    EncodeChoices choices() const;

    /// Checks the choices (templates hold "{}", something to encode), saves them as next time's
    /// defaults, then closes with Accepted; otherwise says what is wrong and stays open.
    void accept() override;

private:
    QCheckBox* openScene_;
    QLineEdit* sceneFolder_;
    QCheckBox* objects_;
    QDoubleSpinBox* minObjectness_;
    QCheckBox* scenes_;
    QCheckBox* classPrompts_;
    QPlainTextEdit* templates_;
    QLineEdit* classes_;
    QPlainTextEdit* freeTexts_;
    QComboBox* images_;
};

} // namespace scenelens
