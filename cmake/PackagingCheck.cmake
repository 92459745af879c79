# cmake/PackagingCheck.cmake: read by cpack before it builds a package
# (CPACK_PROJECT_CONFIG_FILE, set in cmake/Packaging.cmake). Refuses a Debian
# package whose binaries would look for their fonts and catalogs somewhere
# other than where the package puts them, or whose unit would name a missing
# /usr/bin/hiroba.
if(CPACK_GENERATOR STREQUAL "DEB" AND NOT CPACK_PACKAGING_INSTALL_PREFIX STREQUAL "/usr")
    message(FATAL_ERROR
        "hiroba: the Debian package installs to /usr, but this build tree was configured "
        "with CMAKE_INSTALL_PREFIX=${CPACK_PACKAGING_INSTALL_PREFIX}; the binaries would "
        "look for fonts.ini under that prefix. Configure again with "
        "-DCMAKE_INSTALL_PREFIX=/usr (the default) and rebuild.")
endif()
if(CPACK_GENERATOR STREQUAL "DEB" AND NOT CPACK_DEBIAN_PACKAGE_ARCHITECTURE)
    message(FATAL_ERROR "hiroba: no Debian architecture (dpkg --print-architecture failed); "
        "pass -DCPACK_DEBIAN_PACKAGE_ARCHITECTURE=amd64 or arm64")
endif()
