#include "EncodeDialog.h"

#include "ml/ModelEmbeddings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace scenelens {

namespace {

const QString kObjects = QStringLiteral("encode/objects");
const QString kMinObjectness = QStringLiteral("encode/minObjectness");
const QString kScenes = QStringLiteral("encode/scenes");
const QString kPrompts = QStringLiteral("encode/classPrompts");
const QString kTemplates = QStringLiteral("encode/templates");
const QString kImages = QStringLiteral("encode/images");

QStringList lines(const QPlainTextEdit* edit) {
    QStringList out;
    for (const QString& line : edit->toPlainText().split(QLatin1Char('\n')))
        if (!line.trimmed().isEmpty())
            out << line.trimmed();
    return out;
}

QStringList defaultTemplates() {
    QStringList out;
    for (const std::string& t : defaultPromptTemplates())
        out << QString::fromStdString(t);
    return out;
}

} // namespace

EncodeDialog::EncodeDialog(const QString& openScene, const QStringList& classes, bool withClip,
                           QWidget* parent)
    : QDialog(parent), openScene_(new QCheckBox), sceneFolder_(new QLineEdit),
      objects_(new QCheckBox(tr("&Object embeddings"))), minObjectness_(new QDoubleSpinBox),
      scenes_(new QCheckBox(tr("Sc&ene embeddings"))),
      classPrompts_(new QCheckBox(tr("CLIP text of &class prompts"))),
      templates_(new QPlainTextEdit), classes_(new QLineEdit), freeTexts_(new QPlainTextEdit),
      images_(new QComboBox) {
    setWindowTitle(tr("Encode Scenes"));
    setObjectName(QStringLiteral("EncodeDialog"));
    const QSettings settings;

    openScene_->setText(openScene.isEmpty() ? tr("No scene is open")
                                            : tr("The open scene (%1)").arg(openScene));
    openScene_->setChecked(!openScene.isEmpty());
    openScene_->setEnabled(!openScene.isEmpty());
    sceneFolder_->setPlaceholderText(tr("optional: a scene folder or a folder of scene folders"));
    auto* browse = new QPushButton(tr("&Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, tr("Scenes to Encode"), sceneFolder_->text());
        if (!folder.isEmpty())
            sceneFolder_->setText(folder);
    });
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(sceneFolder_);
    folderRow->addWidget(browse);

    objects_->setChecked(settings.value(kObjects, true).toBool());
    minObjectness_->setRange(0, 1);
    minObjectness_->setDecimals(2);
    minObjectness_->setSingleStep(0.05);
    minObjectness_->setValue(settings.value(kMinObjectness, 0.5).toDouble());
    minObjectness_->setToolTip(tr("Object tokens less likely than this to be an object are left "
                                  "out"));
    scenes_->setChecked(settings.value(kScenes, true).toBool());
    classPrompts_->setChecked(withClip && settings.value(kPrompts, true).toBool());
    templates_->setPlainText(
        settings.value(kTemplates, defaultTemplates()).toStringList().join(QLatin1Char('\n')));
    templates_->setToolTip(tr("One template per line; {} stands for the class"));
    templates_->setMaximumHeight(80);
    classes_->setText(classes.join(QStringLiteral(", ")));
    freeTexts_->setPlaceholderText(tr("one text per line, e.g. something to sit on"));
    freeTexts_->setMaximumHeight(60);
    images_->addItem(tr("None"), int(EncodeChoices::Images::None));
    images_->addItem(tr("Exported colour frames (when a scene has them)"),
                     int(EncodeChoices::Images::Frames));
    images_->addItem(tr("Multi-view renders of the open scene, made now"),
                     int(EncodeChoices::Images::Renders));
    images_->setCurrentIndex(
        images_->findData(settings.value(kImages, int(EncodeChoices::Images::Frames)).toInt()));
    for (QWidget* clipOnly :
         std::initializer_list<QWidget*>{classPrompts_, templates_, classes_, freeTexts_, images_})
        clipOnly->setEnabled(withClip);

    auto* form = new QFormLayout;
    form->addRow(tr("Scenes:"), openScene_);
    form->addRow(QString(), folderRow);
    form->addRow(objects_);
    form->addRow(tr("  Min. objectness:"), minObjectness_);
    form->addRow(scenes_);
    form->addRow(classPrompts_);
    form->addRow(tr("  &Templates:"), templates_);
    form->addRow(tr("  C&lasses:"), classes_);
    form->addRow(tr("&Free text:"), freeTexts_);
    form->addRow(tr("&Images:"), images_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Encode"));
    connect(buttons, &QDialogButtonBox::accepted, this, &EncodeDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    if (!withClip)
        layout->addWidget(new QLabel(tr("Load a CLIP bundle (Models › Load Bundle…) to embed text "
                                        "and images too.")));
    layout->addLayout(form);
    layout->addWidget(buttons);
}

EncodeChoices EncodeDialog::choices() const {
    EncodeChoices c;
    c.openScene = openScene_->isChecked();
    c.sceneFolder = sceneFolder_->text().trimmed();
    c.objects = objects_->isChecked();
    c.minObjectness = minObjectness_->value();
    c.scenes = scenes_->isChecked();
    c.classPrompts = classPrompts_->isEnabled() && classPrompts_->isChecked();
    c.templates = lines(templates_);
    for (const QString& name : classes_->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!name.trimmed().isEmpty())
            c.classes << name.trimmed();
    if (freeTexts_->isEnabled())
        c.freeTexts = lines(freeTexts_);
    c.images = images_->isEnabled() ? EncodeChoices::Images(images_->currentData().toInt())
                                    : EncodeChoices::Images::None;
    return c;
}

void EncodeDialog::accept() {
    const EncodeChoices c = choices();
    QString problem;
    if (!c.openScene && c.sceneFolder.isEmpty())
        problem = tr("Choose the open scene or a folder of scenes.");
    else if (!c.objects && !c.scenes && !c.classPrompts && c.freeTexts.isEmpty() &&
             c.images == EncodeChoices::Images::None)
        problem = tr("Choose at least one kind of embedding to make.");
    else if (c.classPrompts && c.classes.isEmpty())
        problem = tr("Class prompts need at least one class.");
    else if (c.classPrompts)
        for (const QString& t : c.templates)
            if (!t.contains(QStringLiteral("{}")))
                problem = tr("The template \"%1\" has no {} where the class goes.").arg(t);
    if (!problem.isEmpty()) {
        QMessageBox::warning(this, windowTitle(), problem);
        return;
    }
    QSettings settings;
    settings.setValue(kObjects, c.objects);
    settings.setValue(kMinObjectness, c.minObjectness);
    settings.setValue(kScenes, c.scenes);
    settings.setValue(kPrompts, c.classPrompts);
    settings.setValue(kTemplates, c.templates);
    settings.setValue(kImages, int(c.images));
    QDialog::accept();
}

} // namespace scenelens
