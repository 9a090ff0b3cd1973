#!/usr/bin/env bash
# The `package` test (docs/install.md, "Tests"): the two .deb packages built from a Release
# build of the products, installed with ONE apt command into a bare Debian 12 root made by
# debootstrap (no build tree in it), then checked with the installed programs:
#   - systemd-analyze verify accepts both units;
#   - the files, users, groups, udev rule, the hub postinst made and the units' enablement;
#   - the installed `muster` makes an event and a device folder, and muster-kiosk-provision
#     installs it for the kiosk user (owner, modes), which the installed kiosk then opens;
#   - the installed server, started as its user with the unit's ExecStart line, sends READY=1
#     to a NOTIFY_SOCKET this test made (an abstract '@' socket), answers GET /v1/health over
#     loopback, and sends STOPPING=1 and exits 0 on SIGTERM.
#   - the kiosk's window comes up full screen under cage (the unit's ExecStart line) on
#     wlroots' headless output, through XWayland.
# What it cannot do here: boot systemd in the root (no PID 1 systemd or container manager in
# this sandbox), so the units' sandboxing, the login session and cage on tty1 are checked by
# systemd-analyze verify and by reading, not by running them; the server and cage run as the
# units' users with the units' command lines, without the units' namespaces.
#
# Usage: package_test.sh SOURCE_DIR WORK_DIR      (as root; needs Debian's mirror)
# WORK_DIR keeps the Release build, the debootstrapped base root (keyed by its inputs) and
# the downloaded .debs between runs, so a rerun builds and downloads nothing new.
set -euo pipefail
src=$(cd "$1" && pwd)
work=$2
mkdir -p "$work"
work=$(cd "$work" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
started=$SECONDS
step() { printf '[package %4ds] %s\n' $((SECONDS - started)) "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot)"
for tool in debootstrap chroot cpack dpkg-shlibdeps python3 curl; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/packages.txt)"
done

# ---- 2. A bare Debian 12 root: debootstrap --variant=minbase, cached by its inputs.
# The mirror is this machine's own (its apt sources), so the root gets what the host gets.
sources=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v "^[[:space:]]*#" || true)
mirror=$(printf '%s\n' "$sources" | grep -oE 'https?://[^ ]+' | grep -v security | head -n 1)
security=$(printf '%s\n' "$sources" | grep -oE 'https?://[^ ]+' | grep security | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}
security=${security:-http://deb.debian.org/debian-security}
recipe="bookworm minbase $mirror $security $(dpkg-query -W -f '${Version}' debootstrap) v1"
key=$(printf '%s' "$recipe" | sha256sum | cut -c1-12)
base=$work/base-$key

# Never delete a tree something is mounted in (its /proc).
unmount_all() {
    local root=$1
    { grep -F " $root/" /proc/mounts || true; } | cut -d' ' -f2 | sort -r | while read -r m; do umount -l "$m" || true; done
}
remove_tree() {
    unmount_all "$1"
    if grep -qF " $1/" /proc/mounts; then fail "still mounted under $1: not deleting it"; fi
    rm -rf --one-file-system "$1"
}

# Made in the background while the products build (it waits on the network, the build on
# the processors): that overlap is a few minutes off the test's first run.
make_base() {
    step "debootstrap --variant=minbase bookworm from $mirror (cached in $base)"
    for old in "$work"/base-*; do [ -d "$old" ] && remove_tree "$old"; done
    remove_tree "$base.tmp"
    debootstrap --variant=minbase bookworm "$base.tmp" "$mirror" >"$work/debootstrap.log" 2>&1 ||
        { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap failed (log: $work/debootstrap.log)"; }
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
        "$mirror" "$mirror" "$security" >"$base.tmp/etc/apt/sources.list"
    rm -f "$base.tmp"/var/cache/apt/archives/*.deb
    mv "$base.tmp" "$base"
}
base_pid=
if [ ! -d "$base" ]; then
    make_base &
    base_pid=$!
fi

# ---- 1. The packages, from a non-sanitized Release build of the products only.
# MUSTER_PACKAGE_BUILD_DIR: another build folder (e.g. one at the depth of an existing Release
# build, so ccache's base_dir-relative paths match and it is reused).
build=${MUSTER_PACKAGE_BUILD_DIR:-$work/build}
launcher=()
if [ -n "${MUSTER_PACKAGE_LAUNCHER:-}" ]; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER="$MUSTER_PACKAGE_LAUNCHER" -DCMAKE_C_COMPILER_LAUNCHER="$MUSTER_PACKAGE_LAUNCHER")
fi
step "building the packages in $build"
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMUSTER_PACKAGE=ON -DMUSTER_SANITIZE=OFF \
      -DMUSTER_BUILD_TESTS=OFF -DMUSTER_BUILD_BENCH=OFF -DMUSTER_WITH_SERVER=ON -DMUSTER_WITH_GUI=ON "${launcher[@]}" >/dev/null
cmake --build "$build" >/dev/null
rm -f "$build"/*.deb
(cd "$build" && cpack -G DEB >/dev/null)
hub_deb=$(ls "$build"/muster-hub_*.deb)
kiosk_deb=$(ls "$build"/muster-kiosk_*.deb)
for deb in "$hub_deb" "$kiosk_deb"; do
    step "$(basename "$deb"): $(stat -c %s "$deb") bytes; $(dpkg-deb -f "$deb" Depends | sed 's/^/Depends: /')"
done

if [ -n "$base_pid" ]; then
    wait "$base_pid" || fail "the base root could not be made"
fi

# Each run installs into a fresh copy of the base, so what it finds is the packages' doing.
root=$work/root
remove_tree "$root"
cleanup() { unmount_all "$root"; [ -n "${listener_pid:-}" ] && kill "$listener_pid" 2>/dev/null; true; }
trap cleanup EXIT
step "copying the base root"
cp -a "$base" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
# Owners by the root's own user names (the host's may give the same ids other names).
stat_in_root() { in_root stat -c "$1" "$2"; }

# ---- 3. One apt command installs both packages and everything they depend on. The .debs
# downloaded by an earlier run are offered to apt first (hard links: no copy).
archives=$work/apt-archives
mkdir -p "$archives"
find "$archives" -name '*.deb' -exec ln -f {} "$root/var/cache/apt/archives/" \;
cp "$hub_deb" "$kiosk_deb" "$root/tmp/"
step "apt-get update"
in_root apt-get update -qq >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get update in the root"; }
# The lists go back into the base: the next run's update then fetches only what changed.
cp -a "$root/var/lib/apt/lists/." "$base/var/lib/apt/lists/"
step "apt-get install -y /tmp/$(basename "$hub_deb") /tmp/$(basename "$kiosk_deb")"
in_root apt-get install -y "/tmp/$(basename "$hub_deb")" "/tmp/$(basename "$kiosk_deb")" >>"$work/apt.log" 2>&1 ||
    { tail -n 40 "$work/apt.log" >&2; fail "apt-get install of the two packages (log: $work/apt.log)"; }
find "$root/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -exec cp -ln {} "$archives/" \;
grep -E '^muster-hub: ' "$work/apt.log" || true
step "installed: $(in_root dpkg-query -W -f '${binary:Package} ${Installed-Size}KiB\n' muster-hub muster-kiosk | tr '\n' ' ')"

# ---- 4. What the packages put there.
step "checking files, users, udev rule and units"
for f in /usr/bin/muster /usr/bin/muster-sync-server /usr/bin/muster-kiosk /usr/sbin/muster-kiosk-provision; do
    [ -x "$root$f" ] || fail "$f is not installed"
done
for f in /usr/lib/systemd/system/muster-sync-server.service /usr/lib/systemd/system/muster-kiosk.service \
         /usr/lib/sysusers.d/muster-hub.conf /usr/lib/sysusers.d/muster-kiosk.conf \
         /usr/lib/udev/rules.d/60-muster-kiosk.rules /usr/share/muster/sounds/accepted.wav \
         /usr/share/doc/muster-hub/install.md; do
    [ -f "$root$f" ] || fail "$f is not installed"
done
# No build tree leaks in: the programs run from / and read nothing under the source tree.
if grep -qF "$src" "$root/usr/bin/muster-kiosk"; then fail "muster-kiosk names the source tree $src"; fi
in_root getent passwd muster >/dev/null || fail "no user muster"
in_root getent passwd muster-kiosk >/dev/null || fail "no user muster-kiosk"
kiosk_groups=" $(in_root id -nG muster-kiosk) "
for g in video audio dialout; do
    [[ $kiosk_groups == *" $g "* ]] || fail "muster-kiosk is not in group $g (groups:$kiosk_groups)"
done
for id in 072f:2200 04cc:2533 054c:02e1; do
    grep -q "ATTR{idVendor}==\"${id%:*}\", ATTR{idProduct}==\"${id#*:}\", GROUP:=\"muster-kiosk\"" \
        "$root/usr/lib/udev/rules.d/60-muster-kiosk.rules" || fail "the udev rule does not give NFC reader $id to muster-kiosk"
done
[ -L "$root/etc/systemd/system/multi-user.target.wants/muster-sync-server.service" ] || fail "muster-sync-server.service is not enabled"
[ -L "$root/etc/systemd/system/graphical.target.wants/muster-kiosk.service" ] || fail "muster-kiosk.service is not enabled"
# The hub postinst made, as the service user, and the config link the unit reads.
[ "$(stat_in_root '%U %a' /var/lib/muster/hub)" = "muster 700" ] || fail "/var/lib/muster/hub is not muster's alone"
[ "$(stat_in_root %U /var/lib/muster/hub/hub.db)" = muster ] || fail "hub.db is not muster's"
[ "$(readlink "$root/etc/muster/sync-server.toml")" = /var/lib/muster/hub/sync-server.toml ] ||
    fail "/etc/muster/sync-server.toml does not link to the hub's file"

step "systemd-analyze verify"
verify_out=$(in_root systemd-analyze verify /usr/lib/systemd/system/muster-sync-server.service \
             /usr/lib/systemd/system/muster-kiosk.service 2>&1) || { printf '%s\n' "$verify_out" >&2; fail "systemd-analyze verify refused a unit"; }
# Warnings about our own units count as failures too (unknown settings, bad paths).
if printf '%s\n' "$verify_out" | grep -E 'muster-(sync-server|kiosk)\.service' >&2; then fail "systemd-analyze verify warned"; fi

# ---- 5. A device folder from the installed admin tool, provisioned with one command.
step "a device folder from the installed muster, then muster-kiosk-provision"
as_hub() { in_root setpriv --reuid=muster --regid=muster --init-groups env MUSTER_HUB=/var/lib/muster/hub "$@"; }
as_hub /usr/bin/muster event create --programme ect-y1 --item conference-1 --cohort 2025 --date "$(date +%F)" \
       --venue "Package test" --rooms 1 >/dev/null
as_hub /usr/bin/muster device add --id entrance-1 --event 1 --pin 2468 --out /tmp/entrance-1 >/dev/null
provision_out=$(in_root /usr/sbin/muster-kiosk-provision /tmp/entrance-1)
step "$provision_out"
dev=/var/lib/muster-kiosk/device
[ "$(stat_in_root '%U %G %a' "$dev")" = "muster-kiosk muster-kiosk 700" ] || fail "device folder: $(stat_in_root '%U %G %a' "$dev")"
for f in device.toml device.db device.secret hub-public.pem server-cert.pem; do
    [ "$(stat_in_root '%U %a' "$dev/$f")" = "muster-kiosk 600" ] || fail "$f: $(stat_in_root '%U %a' "$dev/$f")"
done
in_root /usr/sbin/muster-kiosk-provision /tmp/entrance-1 >/dev/null 2>&1 && fail "provisioning twice without --replace was accepted"
# The installed kiosk opens the provisioned folder as its user (headless: no display here).
kiosk_log=$(printf '' | timeout 60 chroot "$root" setpriv --reuid=muster-kiosk --regid=muster-kiosk --init-groups \
            env HOME=/var/lib/muster-kiosk /usr/bin/muster-kiosk --headless \
            --config /var/lib/muster-kiosk/device/device.toml 2>&1 >/dev/null || true)
printf '%s\n' "$kiosk_log" | grep -q '"event":"ready"' || { printf '%s\n' "$kiosk_log" >&2; fail "the installed kiosk did not start on the provisioned folder"; }

# ---- 6. The installed server, as the unit starts it, with systemd's readiness protocol.
step "starting the installed server as muster with the unit's ExecStart line"
exec_start=$(sed -n 's/^ExecStart=//p' "$root/usr/lib/systemd/system/muster-sync-server.service")
[ -n "$exec_start" ] || fail "no ExecStart in the unit"
user=$(sed -n 's/^User=//p' "$root/usr/lib/systemd/system/muster-sync-server.service")
notify_name=muster-package-test-$$
notes=$work/notify.log
rm -f "$notes"
python3 "$here/notify_listener.py" "$notify_name" "$notes" 120 &
listener_pid=$!
deadline=$((SECONDS + 30))
until grep -qx bound "$notes" 2>/dev/null; do [ $SECONDS -lt $deadline ] || fail "notify listener did not bind"; sleep 0.05; done
server_log=$work/server.log
# --listen/--port: loopback and a free port instead of the hub's 0.0.0.0:8443 (CI machines).
# shellcheck disable=SC2086
chroot "$root" setpriv --reuid="$user" --regid="$user" --init-groups env -i NOTIFY_SOCKET="@$notify_name" \
    $exec_start --listen 127.0.0.1 --port 0 2>"$server_log" &
server_pid=$!
deadline=$((SECONDS + 30))
until grep -qx 'READY=1' "$notes"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$server_log" >&2; fail "the server exited before READY=1"; }
    [ $SECONDS -lt $deadline ] || { cat "$server_log" >&2; fail "no READY=1 within 30 s"; }
    sleep 0.05
done
port=$(grep -o '"event":"listening".*' "$server_log" | grep -o '"port":[0-9]*' | head -n 1 | cut -d: -f2)
[ -n "$port" ] || { cat "$server_log" >&2; fail "no port in the listening line"; }
health=$(curl -sS --max-time 10 --cacert "$root/var/lib/muster/hub/tls/server-cert.pem" "https://127.0.0.1:$port/v1/health") ||
    fail "GET /v1/health failed"
printf '%s\n' "$health" | grep -q '"status":"ok"' || fail "health answered: $health"
step "READY=1 received; GET https://127.0.0.1:$port/v1/health answered $health"
kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
[ "$rc" = 0 ] || { cat "$server_log" >&2; fail "the server exited $rc after SIGTERM"; }
wait "$listener_pid" || true
listener_pid=
grep -qx 'STOPPING=1' "$notes" || fail "no STOPPING=1 on SIGTERM"

# ---- 7. The kiosk's window under cage, the unit's ExecStart line, with no screen: wlroots'
# headless backend and its software renderer stand in for the tty's DRM output. cage starts
# XWayland, the kiosk draws its first frame through it full screen (the output's size), and
# logs ready with mode "window". (Not the unit itself: no logind session in a chroot.)
step "the kiosk's window under cage (headless output)"
kiosk_uid=$(in_root id -u muster-kiosk)
install -d -m 0700 "$root/run/user/$kiosk_uid"
in_root chown muster-kiosk:muster-kiosk "/run/user/$kiosk_uid"
install -d -m 1777 "$root/tmp/.X11-unix"
kiosk_exec=$(sed -n 's/^ExecStart=//p' "$root/usr/lib/systemd/system/muster-kiosk.service")
cage_log=$work/cage.log
# shellcheck disable=SC2086
chroot "$root" setpriv --reuid=muster-kiosk --regid=muster-kiosk --init-groups env -i HOME=/var/lib/muster-kiosk \
    XDG_RUNTIME_DIR="/run/user/$kiosk_uid" WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman \
    PATH=/usr/bin:/bin $kiosk_exec >"$cage_log" 2>&1 &
cage_pid=$!
deadline=$((SECONDS + 60))
until grep -q '"event":"ready","mode":"window"' "$cage_log"; do
    kill -0 "$cage_pid" 2>/dev/null || { tail -n 20 "$cage_log" >&2; fail "cage or the kiosk exited before the window was ready"; }
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$cage_log" >&2; fail "no kiosk window under cage within 60 s"; }
    sleep 0.1
done
step "$(grep -o '"event":"ready","mode":"window"[^}]*' "$cage_log")"
kill -TERM "$cage_pid" 2>/dev/null || true
wait "$cage_pid" 2>/dev/null || true  # cage 0.1.4 asserts on SIGTERM (wl_display_terminate): its exit code says nothing

step "passed in $((SECONDS - started)) s"
