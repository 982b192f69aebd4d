#pragma once

// Factories for the build's steps, one class per file in this directory, in the order they run.

#include "pipeline/step.h"

#include <memory>

namespace pecast::pipeline {

std::unique_ptr<Step> makeCheckOutputStep(); // refuse an existing target early; work directory
std::unique_ptr<Step> makeInspectSourceStep(); // inspect the WIM; pick the index; bootability
std::unique_ptr<Step> makeExtractBootFilesStep(); // bootmgr and boot.sdi (or the user's files)
std::unique_ptr<Step> makePrepareWimStep(); // export the chosen image alone, or use it as-is
std::unique_ptr<Step> makeAuthorBcdStep(); // the \boot\BCD hive for this disk
std::unique_ptr<Step> makeCreateDiskStep(); // size, sparse file, MBR and GRUB boot code
std::unique_ptr<Step> makeFormatNtfsStep(); // mkntfs into the partition; open the volume
std::unique_ptr<Step> makeCopyFilesStep(); // the four files, attributes, unmount
std::unique_ptr<Step> makeGzipStep(); // stream the raw image through gzip into the output
std::unique_ptr<Step> makeFinalizeStep(); // sha256 if asked, fsync, rename into place

} // namespace pecast::pipeline
