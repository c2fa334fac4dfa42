#include "ObjectsDock.h"

#include "SelectionModel.h"
#include "scene/Palettes.h"
#include "scene/Scene.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QPixmap>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

namespace scenelens {

namespace {

constexpr int kObjectIdRole = Qt::UserRole + 1;

QIcon swatch(const Rgb8& color) {
    QPixmap pixmap(12, 12);
    pixmap.fill(QColor(color[0], color[1], color[2]));
    return QIcon(pixmap);
}

QString groupName(const SceneObject& object) {
    return object.nyu40Class.empty() ? ObjectsDock::tr("(no NYU40 class)")
                                     : QString::fromStdString(object.nyu40Class);
}

} // namespace

ObjectsDock::ObjectsDock(SelectionModel* selection, QWidget* parent)
    : QDockWidget(tr("Objects"), parent), selection_(selection), filter_(new QLineEdit),
      tree_(new QTreeWidget) {
    setObjectName(QStringLiteral("ObjectsDock"));
    filter_->setPlaceholderText(tr("Filter by label or class…"));
    filter_->setClearButtonEnabled(true);
    tree_->setColumnCount(2);
    tree_->setHeaderLabels({tr("Object"), tr("Vertices")});
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->header()->setStretchLastSection(false);
    tree_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    tree_->setUniformRowHeights(true);

    auto* body = new QWidget;
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(filter_);
    layout->addWidget(tree_);
    setWidget(body);

    connect(filter_, &QLineEdit::textChanged, this, &ObjectsDock::applyFilter);
    connect(tree_, &QTreeWidget::itemSelectionChanged, this, &ObjectsDock::selectionFromTree);
    connect(tree_, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        const QVariant id = item->data(0, kObjectIdRole);
        if (id.isValid())
            Q_EMIT focusRequested(id.toInt());
    });
    connect(selection_, &SelectionModel::selectionChanged, this, &ObjectsDock::selectionToTree);
}

void ObjectsDock::setScene(const Scene* scene) {
    syncing_ = true;
    tree_->clear();
    syncing_ = false;
    if (!scene)
        return;
    // Groups sorted by class name; objects within a group by id.
    std::map<QString, std::vector<const SceneObject*>> groups;
    for (const SceneObject& object : scene->objects)
        groups[groupName(object)].push_back(&object);
    for (const auto& [name, objects] : groups) {
        auto* group = new QTreeWidgetItem(tree_);
        group->setText(0, QStringLiteral("%1 (%2)").arg(name).arg(objects.size()));
        group->setData(0, Qt::UserRole, name);
        group->setIcon(0, swatch(nyu40Color(objects.front()->nyu40Id)));
        std::size_t vertices = 0;
        for (const SceneObject* object : objects) {
            auto* item = new QTreeWidgetItem(group);
            item->setText(0, QStringLiteral("%1 #%2")
                                 .arg(QString::fromStdString(object->rawLabel))
                                 .arg(object->id));
            item->setText(1, QString::number(object->vertexIndices.size()));
            item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
            item->setIcon(0, swatch(instanceColor(object->id + 1)));
            item->setData(0, kObjectIdRole, object->id);
            item->setToolTip(0, tr("%1 — NYU40 %2 (%3), objectId %4")
                                    .arg(QString::fromStdString(object->rawLabel), name)
                                    .arg(object->nyu40Id)
                                    .arg(object->id));
            vertices += object->vertexIndices.size();
        }
        group->setText(1, QString::number(vertices));
        group->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
    tree_->resizeColumnToContents(1);
    applyFilter(filter_->text());
    selectionToTree(selection_->selectedObjects());
}

QTreeWidgetItem* ObjectsDock::groupItem(const QString& className) const {
    for (int i = 0; i < tree_->topLevelItemCount(); ++i)
        if (tree_->topLevelItem(i)->data(0, Qt::UserRole).toString() == className)
            return tree_->topLevelItem(i);
    return nullptr;
}

void ObjectsDock::selectionFromTree() {
    if (syncing_)
        return;
    // A selected group stands for all of its objects.
    QSet<int> ids;
    for (QTreeWidgetItem* item : tree_->selectedItems()) {
        const QVariant id = item->data(0, kObjectIdRole);
        if (id.isValid())
            ids.insert(id.toInt());
        else
            for (int c = 0; c < item->childCount(); ++c)
                ids.insert(item->child(c)->data(0, kObjectIdRole).toInt());
    }
    syncing_ = true;
    selection_->setSelectedObjects(ids);
    syncing_ = false;
}

void ObjectsDock::selectionToTree(const QSet<int>& objectIds) {
    if (syncing_)
        return;
    syncing_ = true;
    tree_->clearSelection();
    QTreeWidgetItem* first = nullptr;
    for (int g = 0; g < tree_->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = tree_->topLevelItem(g);
        for (int c = 0; c < group->childCount(); ++c) {
            QTreeWidgetItem* item = group->child(c);
            if (!objectIds.contains(item->data(0, kObjectIdRole).toInt()))
                continue;
            item->setSelected(true);
            group->setExpanded(true);
            first = first ? first : item;
        }
    }
    if (first)
        tree_->scrollToItem(first);
    syncing_ = false;
}

void ObjectsDock::applyFilter(const QString& text) {
    for (int g = 0; g < tree_->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = tree_->topLevelItem(g);
        const bool groupMatches = group->text(0).contains(text, Qt::CaseInsensitive);
        int visible = 0;
        for (int c = 0; c < group->childCount(); ++c) {
            QTreeWidgetItem* item = group->child(c);
            const bool show = groupMatches || item->text(0).contains(text, Qt::CaseInsensitive);
            item->setHidden(!show);
            visible += show;
        }
        group->setHidden(visible == 0);
        group->setExpanded(!text.isEmpty() && visible > 0);
    }
}

} // namespace scenelens
