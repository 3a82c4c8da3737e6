#!/usr/bin/env bash
# The one entry point of the project.
#
#   ./run.sh [SERVER FLAGS]      build if needed, then run the server in the foreground (in memory, port 8080)
#   ./run.sh test                run every test (mvn -B verify)
#   ./run.sh chat [COMMAND ...]  the terminal client (chat --help lists its commands)
#   ./run.sh interop URL [OPTS]  check any server against spec/protocol.md (--help for options)
#   ./run.sh bench [OPTS]        start a fresh server and compare it with the anchors in ../shared/anchors
#                                that are running (OPTS go to ../shared/bench/compare.sh)
#   ./run.sh footprint [ARGS]    heap retained per idle session and per kept message (in-process)
#   ./run.sh fanout [N R S]      WebSocket fan-out: N sockets (1000), R posts/s (100), S seconds (10)
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
    # Debian's Maven 3.8 prints stray colour resets even in batch mode; drop them.
    (cd "$ROOT" && mvn -q -B -Dstyle.color=never -pl "$module" -am package -DskipTests 2>&1 | sed 's/\x1b\[0m//g' >&2)
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

# A fresh server on a spare port, compared side by side with whichever anchors answer.
# The pid of a server run.sh started for a measurement; stopped on exit (a global: the EXIT trap runs after the
# function that set it has returned).
MEASURED_SERVER_PID=""
stop_measured_server() {
  [[ -n "$MEASURED_SERVER_PID" ]] || return 0
  kill "$MEASURED_SERVER_PID" 2>/dev/null || true
  wait "$MEASURED_SERVER_PID" 2>/dev/null || true
}

run_bench() {
  local jar="$ROOT/server/target/chat-server.jar" port=18090 targets=() name url
  local bench="$ROOT/../shared/bench"
  [[ -x "$bench/compare.sh" ]] || die "no benchmark harness at $bench"
  build_if_needed server "$jar"
  java -jar "$(runnable_copy "$jar")" --port "$port" >"$RUN_DIR/bench-server.log" 2>&1 &
  MEASURED_SERVER_PID=$!
  trap stop_measured_server EXIT
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
  for name_url in undertow-raw=18011 chat=$port spring-peer=18020 node-peer=18030; do
    name="${name_url%%=*}" url="http://127.0.0.1:${name_url#*=}"
    if curl -s -o /dev/null -m 2 -X POST "$url/logon" -d '{}' 2>/dev/null; then
      targets+=("$name=$url")
    else
      echo "run.sh: $name is not running (../shared/anchors/run.sh start), left out" >&2
    fi
  done
  "$bench/compare.sh" "$@" "${targets[@]}"
}

# The server's test classpath, for the in-process measuring tools under server/src/test.
server_test_classpath() {
  ensure_toolchain
  cd "$ROOT"
  mvn -q -B -Dstyle.color=never -pl server -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$RUN_DIR/server-test.classpath" -Dmdep.includeScope=test 2>&1 | sed 's/\x1b\[0m//g' >&2
  echo "server/target/test-classes:server/target/classes:$(cat "$RUN_DIR/server-test.classpath")"
}

run_footprint() {
  local cp
  cp="$(server_test_classpath)"
  java -Xmx8g -cp "$cp" chat.server.MemoryFootprint "$@"
}

# A fresh server, then N WebSocket subscribers and a steady poster from a separate JVM (the load client).
run_fanout() {
  local jar="$ROOT/server/target/chat-server.jar" port=18095 cp
  build_if_needed server "$jar"
  cp="$(server_test_classpath)"
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  java -jar "$(runnable_copy "$jar")" --port "$port" >"$RUN_DIR/fanout-server.log" 2>&1 &
  MEASURED_SERVER_PID=$!
  trap stop_measured_server EXIT
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
  java -cp "$cp" chat.server.FanOutBenchmark "http://127.0.0.1:$port" "$@"
}

# The CLI starts often and runs briefly, so it gets start-up flags the server does not: the C1 compiler only,
# and an application class-data archive (AppCDS) written on its first run and mapped on every later one.
run_chat() {
  local jar="$ROOT/client-cli/target/chat-cli.jar" copy archive
  build_if_needed client-cli "$jar"
  copy="$(runnable_copy "$jar")"
  archive="${copy%.jar}.jsa"
  local flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xlog:cds=off -Xlog:cds+dynamic=off)
  if [[ -f "$archive" ]]; then
    flags+=(-XX:SharedArchiveFile="$archive" -Xshare:auto)
  else
    flags+=(-XX:ArchiveClassesAtExit="$archive")
  fi
  exec java "${flags[@]}" -jar "$copy" "$@"
}

run_interop() {
  local jar="$ROOT/interop-tests/target/chat-interop.jar"
  build_if_needed interop-tests "$jar"
  exec java -jar "$(runnable_copy "$jar")" "$@"
}

# Debian packages the tests drive (tmux runs the interactive client in a real pseudo-terminal).
ensure_test_packages() {
  command -v tmux >/dev/null && return
  command -v apt-get >/dev/null || die "the tests need tmux"
  local sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  echo "run.sh: installing tmux with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq tmux >/dev/null
}

case "${1:-}" in
  chat)
    shift
    run_chat "$@"
    ;;
  interop)
    shift
    run_interop "$@"
    ;;
  bench)
    shift
    run_bench "$@"
    ;;
  footprint)
    shift
    mkdir -p "$RUN_DIR"
    run_footprint "$@"
    ;;
  fanout)
    shift
    mkdir -p "$RUN_DIR"
    run_fanout "$@"
    ;;
  test)
    shift
    ensure_toolchain
    ensure_test_packages
    cd "$ROOT" && exec mvn -B -Dstyle.color=never verify "$@"
    ;;
  help|-h)
    sed -n '2,15p' "$0"
    ;;
  server)
    shift
    run_server "$@"
    ;;
  *)
    run_server "$@"
    ;;
esac
