#include "widgets/progressbars.h"

#include <QProgressBar>

namespace pecast::ui {

double showProgressEvent(QProgressBar *bar, const ProgressEvent &event)
{
    if (event.total <= 0) {
        bar->setRange(0, 0); // unknown total: a busy bar
        bar->setFormat(event.stage);
        return -1;
    }
    const double fraction = qBound(0.0, double(event.done) / double(event.total), 1.0);
    bar->setRange(0, kProgressBarScale);
    bar->setValue(int(fraction * kProgressBarScale));
    bar->setFormat(event.stage + QStringLiteral(": %p%"));
    return fraction;
}

} // namespace pecast::ui
