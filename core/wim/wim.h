#pragma once

// Convenience: the whole public API of the wim module.

#include "wim/bootfiles.h"
#include "wim/wimarchive.h"
#include "wim/wimerror.h"
#include "wim/wimexport.h"
#include "wim/wiminfo.h"
#include "wim/wiminspect.h"
