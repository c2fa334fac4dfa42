#pragma once
// The Objects dock: the scene's annotated objects grouped by NYU40 class with counts, a filter,
// and selection linked both ways with the shared SelectionModel.

#include <QDockWidget>

class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace scenelens {

struct Scene;
class SelectionModel;

class ObjectsDock : public QDockWidget {
    Q_OBJECT
public:
    ObjectsDock(SelectionModel* selection, QWidget* parent = nullptr);

    /// Lists the objects of `scene` (nullptr clears). The scene must outlive the listing.
    void setScene(const Scene* scene);

    QTreeWidget* tree() const { return tree_; }
    /// The top-level group item of a class name, or nullptr.
    QTreeWidgetItem* groupItem(const QString& className) const;

Q_SIGNALS:
    /// The user double-clicked an object: frame it in 3D.
    void focusRequested(int objectId);

private:
    void selectionFromTree();
    void selectionToTree(const QSet<int>& objectIds);
    void applyFilter(const QString& text);

    SelectionModel* selection_;
    QLineEdit* filter_;
    QTreeWidget* tree_;
    bool syncing_ = false; // true while mirroring the model into the tree
};

} // namespace scenelens
