#include "ObjectQueryDock.h"

#include "SelectionModel.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>

namespace scenelens {

ObjectQueryDock::ObjectQueryDock(SelectionModel* selection, QWidget* parent)
    : QDockWidget(tr("Find Objects"), parent), selection_(selection), search_(new QLineEdit),
      colour_(new QCheckBox(tr("&Colour the scene by similarity"))), status_(new QLabel),
      table_(new QTableWidget(0, 3)) {
    setObjectName(QStringLiteral("ObjectQueryDock"));
    search_->setPlaceholderText(tr("Describe an object, e.g. something to sit on"));
    search_->setClearButtonEnabled(true);
    status_->setWordWrap(true);
    table_->setHorizontalHeaderLabels({tr("Object"), tr("Label"), tr("Similarity")});
    table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* body = new QWidget;
    auto* layout = new QVBoxLayout(body);
    layout->addWidget(search_);
    layout->addWidget(colour_);
    layout->addWidget(status_);
    layout->addWidget(table_);
    setWidget(body);

    connect(search_, &QLineEdit::returnPressed, this, [this] {
        if (!search_->text().trimmed().isEmpty())
            Q_EMIT queryEntered(search_->text().trimmed());
    });
    connect(colour_, &QCheckBox::toggled, this, &ObjectQueryDock::colourBySimilarityToggled);
    connect(table_, &QTableWidget::itemSelectionChanged, this, &ObjectQueryDock::selectRows);
    connect(table_, &QTableWidget::cellDoubleClicked, this,
            [this](int row) { Q_EMIT focusRequested(results_[row].objectId); });
}

void ObjectQueryDock::setResults(const QString& query, const QVector<RankedObject>& objects) {
    search_->setText(query);
    results_ = objects;
    const QSignalBlocker blocker(table_);
    table_->setRowCount(int(objects.size()));
    for (int row = 0; row < objects.size(); ++row) {
        const RankedObject& o = objects[row];
        auto* id = new QTableWidgetItem;
        id->setData(Qt::DisplayRole, o.objectId);
        table_->setItem(row, 0, id);
        table_->setItem(row, 1, new QTableWidgetItem(o.label));
        table_->setItem(row, 2, new QTableWidgetItem(QString::number(o.similarity, 'f', 3)));
    }
    status_->setText(
        objects.isEmpty()
            ? tr("No encoded object of this scene to rank.")
            : tr("%n object(s), most similar to \"%1\" first", "", int(objects.size())).arg(query));
    if (!objects.isEmpty())
        table_->selectRow(0);
    selectRows();
}

void ObjectQueryDock::setMessage(const QString& message) {
    results_.clear();
    table_->setRowCount(0);
    status_->setText(message);
}

QString ObjectQueryDock::query() const {
    return search_->text().trimmed();
}

void ObjectQueryDock::search(const QString& text) {
    search_->setText(text);
    Q_EMIT search_->returnPressed();
}

bool ObjectQueryDock::colourBySimilarity() const {
    return colour_->isChecked();
}

void ObjectQueryDock::setColourBySimilarity(bool on) {
    colour_->setChecked(on);
}

void ObjectQueryDock::focusSearch() {
    show();
    raise();
    search_->setFocus();
    search_->selectAll();
}

void ObjectQueryDock::selectRows() {
    QSet<int> ids;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows())
        ids.insert(results_[index.row()].objectId);
    if (!ids.isEmpty())
        selection_->setSelectedObjects(ids);
}

} // namespace scenelens
