#pragma once

// Shows a core ProgressEvent on a QProgressBar the way every page does: a busy bar with the
// stage's name while the total is unknown, else "<stage>: N%" on a fine-grained scale.

#include "util/progress.h"

class QProgressBar;

namespace pecast::ui {

// The bars' range: finer than percent so that a 4 GiB copy moves visibly.
inline constexpr int kProgressBarScale = 1000;

// Returns the fraction done (0..1), or -1 when the total is unknown.
double showProgressEvent(QProgressBar *bar, const ProgressEvent &event);

} // namespace pecast::ui
