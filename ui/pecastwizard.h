#pragma once

#include <QWizard>

namespace pecast::ui {

// The step-by-step flow from a WIM to a served image.
class PecastWizard : public QWizard
{
    Q_OBJECT
public:
    explicit PecastWizard(QWidget *parent = nullptr);
};

} // namespace pecast::ui
