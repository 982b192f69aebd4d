# Every external library PEcast uses, found once, as imported targets.
find_package(Qt6 6.4 REQUIRED COMPONENTS Core Network Widgets Test LinguistTools)
find_package(PkgConfig REQUIRED)
# wimlib.pc requires fuse; Debian's libwim-dev does not pull libfuse-dev in, so link -lwim directly.
find_path(WIMLIB_INCLUDE_DIR wimlib.h REQUIRED)
find_library(WIMLIB_LIBRARY wim REQUIRED)
add_library(pecast::wimlib INTERFACE IMPORTED)
target_include_directories(pecast::wimlib INTERFACE ${WIMLIB_INCLUDE_DIR})
target_link_libraries(pecast::wimlib INTERFACE ${WIMLIB_LIBRARY})

pkg_check_modules(NTFS3G REQUIRED IMPORTED_TARGET libntfs-3g)
pkg_check_modules(GUESTFS REQUIRED IMPORTED_TARGET libguestfs)
find_package(LibArchive REQUIRED)
