#include "WelcomePage.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace scenelens {

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent), projects_{new QLabel(tr("<b>Recent projects</b>")), new QVBoxLayout},
      scenes_{new QLabel(tr("<b>Recent scenes</b>")), new QVBoxLayout} {
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
           "<p>A project (<code>.slh5</code>, <b>File › Save Project</b>, Ctrl+S) keeps the scene, "
           "its embeddings, projections, selection and views together: <b>File › Open "
           "Project…</b> (Ctrl+Alt+O) or <code>scenelens --project FILE</code>.</p>"
           "<p>In the 3D view: left drag rotates, middle or Shift+left drag pans, the wheel zooms, "
           "a click selects an object, a double click centres on a point, R resets the camera; "
           "1/2/3 colour by RGB, instance or NYU40 class; B shows object boxes.</p>"));
    howTo->setWordWrap(true);
    howTo->setTextFormat(Qt::RichText);

    auto* openFolder = new QPushButton(tr("Open Scene Folder…"));
    auto* openMesh = new QPushButton(tr("Open Mesh…"));
    auto* openProject = new QPushButton(tr("Open Project…"));
    connect(openFolder, &QPushButton::clicked, this, &WelcomePage::openFolderRequested);
    connect(openMesh, &QPushButton::clicked, this, &WelcomePage::openMeshRequested);
    connect(openProject, &QPushButton::clicked, this, &WelcomePage::openProjectRequested);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(openFolder);
    buttons->addWidget(openMesh);
    buttons->addWidget(openProject);
    buttons->addStretch();

    auto* column = new QVBoxLayout;
    column->addWidget(title);
    column->addWidget(howTo);
    column->addLayout(buttons);
    column->addSpacing(16);
    for (const RecentSection& section : {projects_, scenes_}) {
        column->addWidget(section.title);
        column->addLayout(section.links);
    }
    column->addStretch();

    // Keep the text at a readable width in the middle of large windows.
    auto* content = new QWidget;
    content->setLayout(column);
    content->setMaximumWidth(720);
    auto* outer = new QHBoxLayout(this);
    outer->addStretch();
    outer->addWidget(content, 1);
    outer->addStretch();
    setRecentProjects({});
    setRecentScenes({});
}

void WelcomePage::setRecentScenes(const QStringList& paths) {
    fillRecent(scenes_, paths);
}

void WelcomePage::setRecentProjects(const QStringList& paths) {
    fillRecent(projects_, paths);
}

void WelcomePage::fillRecent(RecentSection& section, const QStringList& paths) {
    while (QLayoutItem* item = section.links->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    section.title->setVisible(!paths.isEmpty());
    for (const QString& path : paths) {
        auto* link = new QCommandLinkButton(QFileInfo(path).fileName(), path);
        link->setObjectName(QStringLiteral("recent:") + path);
        connect(link, &QCommandLinkButton::clicked, this,
                [this, path] { Q_EMIT openPathRequested(path); });
        section.links->addWidget(link);
    }
}

} // namespace scenelens
