#pragma once
// The objects the user has selected, shared by every view (SceneView, the Objects dock, and later
// EmbeddingView) so that selecting in one highlights in all.

#include <QObject>
#include <QSet>

namespace scenelens {

class SelectionModel : public QObject {
    Q_OBJECT
public:
    explicit SelectionModel(QObject* parent = nullptr);

    /// ScanNet objectIds of the selected objects.
    const QSet<int>& selectedObjects() const { return selected_; }
    bool isSelected(int objectId) const { return selected_.contains(objectId); }

    /// Replaces the selection; emits selectionChanged only when it differs.
    void setSelectedObjects(const QSet<int>& objectIds);
    void selectOnly(int objectId) { setSelectedObjects({objectId}); }
    void toggle(int objectId);
    void clear() { setSelectedObjects({}); }

Q_SIGNALS:
    void selectionChanged(const QSet<int>& objectIds);

private:
    QSet<int> selected_;
};

} // namespace scenelens
