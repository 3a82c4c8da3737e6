#!/usr/bin/env bash
# The one entry point of the project.
#
#   ./run.sh [SERVER FLAGS]      build if needed, then run the server in the foreground (in memory, port 8080)
#   ./run.sh test                run every test (mvn -B verify)
#   ./run.sh help                this text; ./run.sh --help lists the server's flags
#
# Needs a JDK 17 and Maven; on a Debian machine without them, they are installed with apt-get.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="$ROOT/.run"

die() { echo "run.sh: $*" >&2; exit 2; }

# A JDK 17+ and Maven, installed from Debian's packages when missing (CI machines start bare).
ensure_toolchain() {
  if command -v javac >/dev/null && command -v mvn >/dev/null; then
    return
  fi
  command -v apt-get >/dev/null || die "need a JDK 17 and Maven on PATH (no apt-get to install them)"
  echo "run.sh: installing a JDK and Maven with apt-get" >&2
  local sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
}

# build_if_needed MODULE JAR: package the module when any of its sources (or a pom) is newer than the jar.
# Under a lock, so two run.sh started together do not run two Maven builds over one target/ folder.
build_if_needed() {
  local module="$1" jar="$2"
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/build.lock"
  flock 9
  if [[ ! -f "$jar" ]] || [[ -n "$(find "$ROOT/pom.xml" "$ROOT/$module/pom.xml" "$ROOT/$module/src" -newer "$jar" -print -quit)" ]]; then
    ensure_toolchain
    echo "run.sh: building $module" >&2
    (cd "$ROOT" && mvn -q -B -Dstyle.color=never -pl "$module" -am package -DskipTests)
  fi
  flock -u 9
}

# runnable_copy JAR: a copy named after its content, so a later build never replaces a jar under a running JVM.
runnable_copy() {
  local jar="$1" sum copy
  sum="$(sha1sum "$jar" | cut -c1-12)"
  copy="$RUN_DIR/jars/$(basename "$jar" .jar)-$sum.jar"
  if [[ ! -f "$copy" ]]; then
    mkdir -p "$RUN_DIR/jars"
    cp "$jar" "$copy.tmp.$$" && mv "$copy.tmp.$$" "$copy"
  fi
  echo "$copy"
}

run_server() {
  local jar="$ROOT/server/target/chat-server.jar"
  build_if_needed server "$jar"
  exec java -jar "$(runnable_copy "$jar")" "$@"
}

case "${1:-}" in
  test)
    shift
    ensure_toolchain
    cd "$ROOT" && exec mvn -B -Dstyle.color=never verify "$@"
    ;;
  help|-h)
    sed -n '2,9p' "$0"
    ;;
  server)
    shift
    run_server "$@"
    ;;
  *)
    run_server "$@"
    ;;
esac
