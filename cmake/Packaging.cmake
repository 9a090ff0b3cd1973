# The two .deb packages (docs/install.md), built with `cpack -G DEB` from a Release build
# configured with -DMUSTER_PACKAGE=ON (tests/package/ does exactly that):
#   muster-hub    muster, muster-sync-server, its systemd unit and system user;
#   muster-kiosk  muster-kiosk under cage on tty1, its user, udev rule and muster-kiosk-provision.
# One CMake component per package. Depends: the shared libraries each binary links, found by
# dpkg-shlibdeps (so the versions are Debian 12's own), plus what the units and scripts run.
if(NOT MUSTER_WITH_SERVER OR NOT MUSTER_WITH_GUI)
  message(FATAL_ERROR "MUSTER_PACKAGE needs MUSTER_WITH_SERVER and MUSTER_WITH_GUI: the packages hold the server and the kiosk's window")
endif()

set(muster_dc ${PROJECT_SOURCE_DIR}/device-config)

# muster-hub
install(TARGETS muster muster-sync-server RUNTIME DESTINATION bin COMPONENT hub)
install(FILES ${muster_dc}/systemd/muster-sync-server.service DESTINATION lib/systemd/system COMPONENT hub)
install(FILES ${muster_dc}/systemd/muster-hub.sysusers DESTINATION lib/sysusers.d RENAME muster-hub.conf COMPONENT hub)
install(FILES ${muster_dc}/sync-server.example.toml docs/install.md
        DESTINATION share/doc/muster-hub COMPONENT hub)

# muster-kiosk
install(TARGETS muster-kiosk RUNTIME DESTINATION bin COMPONENT kiosk)
install(PROGRAMS ${muster_dc}/muster-kiosk-provision DESTINATION sbin COMPONENT kiosk)
install(FILES ${muster_dc}/systemd/muster-kiosk.service DESTINATION lib/systemd/system COMPONENT kiosk)
install(FILES ${muster_dc}/systemd/muster-kiosk.sysusers DESTINATION lib/sysusers.d RENAME muster-kiosk.conf COMPONENT kiosk)
install(FILES ${muster_dc}/udev/60-muster-kiosk.rules DESTINATION lib/udev/rules.d COMPONENT kiosk)
# The chimes, where the packaged kiosk looks for them (MUSTER_ASSETS_DIR = /usr/share/muster).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/sounds DESTINATION share/muster COMPONENT kiosk FILES_MATCHING PATTERN "*.wav")
install(FILES docs/install.md docs/kiosk.md DESTINATION share/doc/muster-kiosk COMPONENT kiosk)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME muster)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Muster maintainers <muster@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL hub kiosk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # muster-hub_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)

set(CPACK_DEBIAN_HUB_PACKAGE_NAME muster-hub)
set(CPACK_COMPONENT_HUB_DESCRIPTION "Muster attendance hub: admin tool and sync server\n The hub's admin tool (muster) and its sync server (muster-sync-server) as a\n sandboxed systemd service, with a hub made in /var/lib/muster/hub on install.")
# systemd: the unit, systemd-sysusers in postinst. runuser (util-linux) is essential.
set(CPACK_DEBIAN_HUB_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_HUB_PACKAGE_CONTROL_EXTRA
    ${muster_dc}/debian/muster-hub/postinst ${muster_dc}/debian/muster-hub/prerm ${muster_dc}/debian/muster-hub/postrm)

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME muster-kiosk)
set(CPACK_COMPONENT_KIOSK_DESCRIPTION "Muster attendance kiosk, full screen at boot\n The kiosk (muster-kiosk) started on tty1 under the cage Wayland kiosk\n compositor through XWayland, its user, a udev rule for NFC readers and\n cameras, and muster-kiosk-provision to install a device folder from the hub.")
# cage + xwayland: the compositor and the X server GLFW 3.3 draws through; libpam-systemd: the
# login session that gives cage the seat; udev: the rule; fonts-dejavu-core: the default font
# (read at run time, so no shared library dependency says so); Mesa's drivers for the GL window.
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "systemd, udev, libpam-systemd, cage, xwayland, fonts-dejavu-core, libgl1-mesa-dri")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    ${muster_dc}/debian/muster-kiosk/postinst ${muster_dc}/debian/muster-kiosk/prerm ${muster_dc}/debian/muster-kiosk/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
