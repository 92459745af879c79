# cmake/Packaging.cmake: the hiroba Debian package, built with CPack.
#
#   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
#   cmake --build build
#   (cd build && cpack -G DEB)      ->  build/hiroba_<version>_<arch>.deb
#
# <arch> is the build machine's Debian architecture (dpkg --print-architecture):
# amd64 on a PC, arm64 on a Raspberry Pi 4/5 running 64-bit Debian. A cross
# build passes -DCPACK_DEBIAN_PACKAGE_ARCHITECTURE=arm64 (and a toolchain
# whose libraries dpkg-shlibdeps can find). The package holds:
#   /usr/bin/hiroba, /usr/bin/hiroba-pack
#   /usr/share/hiroba/fonts/fonts.ini, /usr/share/hiroba/i18n/*.ini (the
#     rules are next to their sources: ui/CMakeLists.txt, app/CMakeLists.txt)
#   /lib/systemd/system/hiroba.service        kiosk-image/hiroba.service
#   /etc/hiroba/hiroba.conf (a conffile)      kiosk-image/hiroba.conf
# and its maintainer scripts (kiosk-image/debian/): postinst makes the hiroba
# system user and /var/lib/hiroba and enables the service; prerm stops it;
# postrm disables it, and on purge only deletes the data (see postrm).
# kiosk-image/check-rootfs.sh installs it into a clean Debian 12 root (the
# package.rootfs test).

# The unit goes where Debian 12's packages put theirs (not /usr/lib: bookworm's
# dpkg does not know that /lib is a link there, and systemd looks in both).
set(HIROBA_UNIT_DIR /lib/systemd/system)
# The kiosk reads this path when no --config is given (CONFIG_DEFAULT_PATH in
# app/core/config.h) and the unit names it: /etc whatever the prefix.
set(HIROBA_CONF_DIR /etc/hiroba)

install(FILES ${CMAKE_SOURCE_DIR}/kiosk-image/hiroba.service DESTINATION ${HIROBA_UNIT_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/kiosk-image/hiroba.conf DESTINATION ${HIROBA_CONF_DIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hiroba)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "hiroba maintainers <hiroba@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "touch kiosk and digital signage for community centres")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "touch kiosk and digital signage for community centres
 hiroba shows a community centre's signed content packs (signage loops,
 child-care pages, counter queues, room vacancy, emergency alerts) in
 Japanese, with furigana, and in English, Chinese, Korean and easy Japanese.
 It draws straight to the display with SDL's KMSDRM driver and runs as the
 systemd service hiroba.service. hiroba-pack is the staff tool that builds,
 signs, previews and publishes packs.")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# hiroba_<version>_<arch>.deb (no Debian revision: CPACK_DEBIAN_PACKAGE_RELEASE unset).
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)

# The architecture of the machine that built the binaries, never a fixed one.
if(NOT CPACK_DEBIAN_PACKAGE_ARCHITECTURE)
    find_program(HIROBA_DPKG dpkg)
    if(HIROBA_DPKG)
        execute_process(COMMAND ${HIROBA_DPKG} --print-architecture
            OUTPUT_VARIABLE CPACK_DEBIAN_PACKAGE_ARCHITECTURE
            OUTPUT_STRIP_TRAILING_WHITESPACE)
    endif()
endif()

# Shared libraries: computed by dpkg-shlibdeps from the binaries (libsdl2,
# libicu72, libsystemd0, ...), so the list cannot drift from what we link.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Plus what no binary links against but the kiosk needs at run time; CPack
# appends the shlibdeps to these:
#   adduser        postinst makes the system user (not in a minimal root)
#   fonts-*        the faces fonts/fonts.ini names (BIZ UDGothic, Noto CJK)
#   tzdata         schedules run in the pack's zone (app/core/tz.c)
#   libegl1, libgles2, libgl1-mesa-dri: SDL's KMSDRM driver (what the unit
#                  runs) draws through EGL and OpenGL ES, which SDL loads with
#                  dlopen, so dpkg-shlibdeps cannot see them; Mesa's drivers
#                  (vc4/v3d on the Pi, llvmpipe anywhere) do the drawing
#   vlc-plugin-base, libvlc-bin: libvlc's codecs (only a Recommends of
#                  libvlc5) and its plugin cache (start-up 3 ms, not 100 ms)
set(HIROBA_DEB_DEPENDS
    adduser
    fonts-morisawa-bizud-gothic
    fonts-noto-cjk
    tzdata
    libegl1
    libgles2
    libgl1-mesa-dri)
if(HIROBA_LIBVLC)
    list(APPEND HIROBA_DEB_DEPENDS vlc-plugin-base libvlc-bin)
endif()
list(JOIN HIROBA_DEB_DEPENDS ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
# deb-systemd-helper (init-system-helpers) is Priority: required, in every
# Debian root, so it is not listed; the scripts call it like debhelper's do.

set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/kiosk-image/debian/conffiles
    ${CMAKE_SOURCE_DIR}/kiosk-image/debian/postinst
    ${CMAKE_SOURCE_DIR}/kiosk-image/debian/prerm
    ${CMAKE_SOURCE_DIR}/kiosk-image/debian/postrm)
# Maintainer scripts 0755, conffiles 0644, whatever the checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Smaller on the Pi's SD card, as Debian's own packages are. To debug a crash,
# build RelWithDebInfo and run that binary from the build tree.
set(CPACK_STRIP_FILES ON)

# The binaries look for their data in the folder compiled in from
# CMAKE_INSTALL_PREFIX (HIROBA_DATADIR), so the package must put it there:
# the same prefix, which must be /usr (cmake/PackagingCheck.cmake refuses
# anything else when cpack runs).
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_SOURCE_DIR}/cmake/PackagingCheck.cmake)
include(CPack)
