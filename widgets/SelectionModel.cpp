#include "SelectionModel.h"

namespace scenelens {

SelectionModel::SelectionModel(QObject* parent) : QObject(parent) {}

void SelectionModel::setSelectedObjects(const QSet<int>& objectIds) {
    if (objectIds == selected_)
        return;
    selected_ = objectIds;
    Q_EMIT selectionChanged(selected_);
}

void SelectionModel::toggle(int objectId) {
    QSet<int> next = selected_;
    if (!next.remove(objectId))
        next.insert(objectId);
    setSelectedObjects(next);
}

} // namespace scenelens
