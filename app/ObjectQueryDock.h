#pragma once
// Open-vocabulary object search: the user types a description ("something to sit on"); the dock
// asks for the ranking (queryEntered) and lists the objects it gets, best first, with their
// cosine similarity. Choosing a row selects the object; double-click focuses the 3D camera on it.

#include <QDockWidget>
#include <QString>
#include <QVector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace scenelens {

class SelectionModel;

/// An object of the open scene and its similarity to the query.
struct RankedObject {
    int objectId = -1;
    QString label;
    float similarity = 0.f;
};

class ObjectQueryDock : public QDockWidget {
    Q_OBJECT
public:
    /// `selection` (not owned) is what choosing rows changes.
    ObjectQueryDock(SelectionModel* selection, QWidget* parent = nullptr);

    /// Shows the ranking for `query` and selects its best object.
    void setResults(const QString& query, const QVector<RankedObject>& objects);
    /// Shows why no ranking could be made (no model, no encoded objects, ...).
    void setMessage(const QString& message);

    QString query() const;
    /// Runs `text` as if typed and entered.
    void search(const QString& text);
    const QVector<RankedObject>& results() const { return results_; }
    bool colourBySimilarity() const;
    void setColourBySimilarity(bool on);
    /// Focuses the search field.
    void focusSearch();

Q_SIGNALS:
    void queryEntered(const QString& text);
    void colourBySimilarityToggled(bool on);
    void focusRequested(int objectId);

private:
    void selectRows();

    SelectionModel* selection_;
    QLineEdit* search_;
    QCheckBox* colour_;
    QLabel* status_;
    QTableWidget* table_;
    QVector<RankedObject> results_;
};

} // namespace scenelens
