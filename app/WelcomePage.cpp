#include "WelcomePage.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace scenelens {

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent), recentLayout_(new QVBoxLayout),
      recentTitle_(new QLabel(tr("<b>Recent scenes</b>"))) {
    setObjectName(QStringLiteral("WelcomePage"));
    auto* title = new QLabel(tr("<h1>SceneLens</h1>"
                                "<p>Explore 3D scenes, their objects and their embeddings.</p>"));
    auto* howTo = new QLabel(
        tr("<p>Open a ScanNet scene folder (<code>scans/sceneXXXX_XX</code>, holding "
           "<code>_vh_clean_2.ply</code> and its annotation files) or a lone <code>.ply</code> "
           "mesh:</p>"
           "<ul><li><b>File › Open Scene…</b> (Ctrl+O) for a folder, <b>File › Open Mesh…</b> "
           "(Ctrl+Shift+O) for a .ply</li>"
           "<li>drag a scene folder or .ply file onto this window</li>"
           "<li>from a terminal: <code>scenelens --scene DIR</code></li></ul>"
           "<p>In the 3D view: left drag rotates, middle or Shift+left drag pans, the wheel zooms, "
           "a click selects an object, a double click centres on a point, R resets the camera; "
           "1/2/3 colour by RGB, instance or NYU40 class; B shows object boxes.</p>"));
    howTo->setWordWrap(true);
    howTo->setTextFormat(Qt::RichText);

    auto* openFolder = new QPushButton(tr("Open Scene Folder…"));
    auto* openMesh = new QPushButton(tr("Open Mesh…"));
    connect(openFolder, &QPushButton::clicked, this, &WelcomePage::openFolderRequested);
    connect(openMesh, &QPushButton::clicked, this, &WelcomePage::openMeshRequested);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(openFolder);
    buttons->addWidget(openMesh);
    buttons->addStretch();

    auto* column = new QVBoxLayout;
    column->addWidget(title);
    column->addWidget(howTo);
    column->addLayout(buttons);
    column->addSpacing(16);
    column->addWidget(recentTitle_);
    column->addLayout(recentLayout_);
    column->addStretch();

    // Keep the text at a readable width in the middle of large windows.
    auto* content = new QWidget;
    content->setLayout(column);
    content->setMaximumWidth(720);
    auto* outer = new QHBoxLayout(this);
    outer->addStretch();
    outer->addWidget(content, 1);
    outer->addStretch();
    setRecentScenes({});
}

void WelcomePage::setRecentScenes(const QStringList& paths) {
    while (QLayoutItem* item = recentLayout_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    recentTitle_->setVisible(!paths.isEmpty());
    for (const QString& path : paths) {
        auto* link = new QCommandLinkButton(QFileInfo(path).fileName(), path);
        link->setObjectName(QStringLiteral("recent:") + path);
        connect(link, &QCommandLinkButton::clicked, this,
                [this, path] { Q_EMIT openPathRequested(path); });
        recentLayout_->addWidget(link);
    }
}

} // namespace scenelens
