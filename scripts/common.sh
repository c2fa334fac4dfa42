# Shared by scripts/demo and scripts/test: install Debian packages, configure and build.
# Sourced, not run. Honours SCENELENS_BUILD_DIR (default build/) and SCENELENS_SKIP_DEPS=1.

SCENELENS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCENELENS_BUILD_DIR="${SCENELENS_BUILD_DIR:-$SCENELENS_ROOT/build}"

scenelens_log() { printf '\033[1m[scenelens]\033[0m %s\n' "$*" >&2; }

# Installs what scripts/packages.txt lists and is missing; fast (no apt) when all are there.
scenelens_install_deps() {
    [ "${SCENELENS_SKIP_DEPS:-0}" = 1 ] && return 0
    local wanted missing=()
    wanted=$(grep -v -e '^#' -e '^[[:space:]]*$' "$SCENELENS_ROOT/scripts/packages.txt")
    for pkg in $wanted; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    scenelens_log "installing ${#missing[@]} Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Configures (first time) and builds incrementally into $SCENELENS_BUILD_DIR.
scenelens_build() {
    local generator=()
    command -v ninja >/dev/null && generator=(-G Ninja)
    if [ ! -f "$SCENELENS_BUILD_DIR/CMakeCache.txt" ]; then
        scenelens_log "configuring in $SCENELENS_BUILD_DIR"
        cmake -S "$SCENELENS_ROOT" -B "$SCENELENS_BUILD_DIR" "${generator[@]}" \
            -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
    fi
    scenelens_log "building"
    cmake --build "$SCENELENS_BUILD_DIR" -j "$(nproc)"
}
