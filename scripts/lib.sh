# Shared by scripts/test and scripts/demo: install what is missing, build. Sourced, not run.
# shellcheck shell=bash

FEDSYNC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FEDSYNC_BUILD=${FEDSYNC_BUILD:-$FEDSYNC_ROOT/build}

# Debian 12 packages the build, the tests and the demo need (see ../shared/ENVIRONMENT.md).
FEDSYNC_APT_PACKAGES=(
    cmake ninja-build g++ make python3 pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-webengine-dev qt6-webengine-dev-tools qt6-svg-dev
    qtkeychain-qt6-dev qt6-tools-dev qt6-l10n-tools qt6-httpserver-dev qt6-websockets-dev
    libsqlite3-dev libssl-dev openssl
    xvfb xauth dbus gnome-keyring libsecret-tools keyutils libgl1-mesa-dri fonts-dejavu-core xdotool
    desktop-file-utils appstream
    nodejs npm awscli
)

say() { printf '%s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
    local missing=()
    local pkg
    for pkg in "${FEDSYNC_APT_PACKAGES[@]}"; do
        # node and npm may come from elsewhere than Debian (nodesource, nvm): accept the commands.
        if [ "$pkg" = nodejs ] && command -v node >/dev/null; then continue; fi
        if [ "$pkg" = npm ] && command -v npm >/dev/null; then continue; fi
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "Installing ${#missing[@]} missing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_sandbox_deps() {
    local dir=$FEDSYNC_ROOT/sandbox
    [ -f "$dir/package-lock.json" ] || return 0
    local stamp=$dir/node_modules/.fedsync-lock-hash
    local hash
    hash=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then return 0; fi
    say "Installing the sandbox's npm packages (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$hash" >"$stamp"
}

build_fedsync() {
    local werror=ON
    if [ ! -f "$FEDSYNC_BUILD/build.ninja" ]; then
        say "Configuring the build in $FEDSYNC_BUILD"
        cmake -S "$FEDSYNC_ROOT" -B "$FEDSYNC_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DFEDSYNC_WERROR=$werror >/dev/null
    fi
    local log
    log=$(mktemp)
    if ! cmake --build "$FEDSYNC_BUILD" -j"$(nproc)" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        say "The build failed (full output above)."
        return 1
    fi
    rm -f "$log"
}
