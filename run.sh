#!/usr/bin/env bash
# The one entry point of the project.
#
#   ./run.sh [SERVER FLAGS]      build if needed, then run the server in the foreground (in memory, port 8080)
#   ./run.sh test                run every test (mvn -B verify), with 5 s of fuzzing per fuzz target
#   ./run.sh fuzz [DURATION]     fuzz each target (HTTP bodies, WebSocket frames) for DURATION (5m; 30s, 1h...)
#   ./run.sh stress-test [N]     the whole suite N times (4) from fresh clones of HEAD, idle and under CPU load in turn
#   ./run.sh chat [COMMAND ...]  the terminal client (chat --help lists its commands)
#   ./run.sh interop URL [OPTS]  check any server against spec/protocol.md (--help for options)
#   ./run.sh bench [OPTS]        start a fresh server and compare it with the anchors in ../shared/anchors
#                                that are running (OPTS go to ../shared/bench/compare.sh)
#   ./run.sh footprint [ARGS]    heap retained per idle session and per kept message (in-process)
#   ./run.sh fanout [N R S W]    WebSocket fan-out: N sockets (1000), R posts/s (100), S seconds (10), W s warm-up (5)
#   ./run.sh cluster [N]         Redis, N replicas (2) and HAProxy on loopback, until Ctrl-C (docs/SCALING.md)
#   ./run.sh scalebench [OPTS]   /post and /retrieve: in memory vs on Redis vs 2 replicas behind HAProxy
#   ./run.sh ratebench [OPTS]    /post from an exempt client vs one under (raised) rate limits, in memory and on Redis
#   ./run.sh help                this text; ./run.sh --help lists the server's flags
#
# Needs a JDK 17 and Maven (and for the tests and the cluster, tmux, redis-server and haproxy, and for the tests
# chromium and chromium-driver; for stress-test, stress-ng); on a Debian machine without them, they are installed
# with apt-get.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="$ROOT/.run"

die() { echo "run.sh: $*" >&2; exit 2; }

# ensure_commands COMMAND=PACKAGE ...: installs, with apt-get, the Debian package of each command that is missing
# (CI machines start bare).
ensure_commands() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null || missing+=("${pair#*=}")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  command -v apt-get >/dev/null || die "need ${missing[*]} on PATH (no apt-get to install them)"
  echo "run.sh: installing ${missing[*]} with apt-get" >&2
  local sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# A JDK 17+ and Maven.
ensure_toolchain() {
  ensure_commands javac=openjdk-17-jdk-headless mvn=maven
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
    # Debian's Maven 3.8 prints stray colour resets even in batch mode; drop them. The commit goes into the jar
    # (chat_build_info); "unknown" outside a git checkout.
    local commit
    commit="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
    (cd "$ROOT" && mvn -q -B -Dstyle.color=never -Dchat.commit="$commit" -pl "$module" -am package -DskipTests 2>&1 \
      | sed 's/\x1b\[0m//g' >&2)
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

# How every server this script starts runs: with a heap of a stated size (CHAT_HEAP, 1g unless set) rather than a
# quarter of the machine's memory, and ended at once by an OutOfMemoryError (exit 3, with a line in the log), so that a
# supervisor restarts it; without the flag a JVM whose IO threads died of it keeps its port and answers nothing.
SERVER_JAVA=(-Xmx"${CHAT_HEAP:-1g}" -XX:+ExitOnOutOfMemoryError)
# Every Redis this script starts holds at most CHAT_REDIS_MEMORY (1gb unless set) and, when full, refuses writes
# rather than evicting (noeviction): an evicted key would be a lost message, session or channel. The servers answer
# a refused post or create with LIMIT_REACHED, and reads go on (README, "Memory").
REDIS_MEMORY=(--maxmemory "${CHAT_REDIS_MEMORY:-1gb}" --maxmemory-policy noeviction)

run_server() {
  local jar="$ROOT/server/target/chat-server.jar"
  build_if_needed server "$jar"
  exec java "${SERVER_JAVA[@]}" -jar "$(runnable_copy "$jar")" "$@"
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
  ensure_commands wrk=wrk
  build_if_needed server "$jar"
  java "${SERVER_JAVA[@]}" -jar "$(runnable_copy "$jar")" --port "$port" >"$RUN_DIR/bench-server.log" 2>&1 &
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
  java "${SERVER_JAVA[@]}" -jar "$(runnable_copy "$jar")" --port "$port" >"$RUN_DIR/fanout-server.log" 2>&1 &
  MEASURED_SERVER_PID=$!
  trap stop_measured_server EXIT
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
  # The load client must not pause to collect garbage (its pause would count as the server's latency): it
  # allocates little, and with a young generation this large it does not collect at all during a run.
  java -XX:+UseSerialGC -Xms1g -Xmn768m -cp "$cp" chat.server.FanOutBenchmark "http://127.0.0.1:$port" "$@"
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

# Programs the tests drive: tmux runs the interactive client in a real pseudo-terminal; redis-server and haproxy
# are the real infrastructure of the scale-out tests; promtool and prometheus (Debian's prometheus package) check
# and scrape the metrics; chromium and its chromedriver (Debian's, so Selenium downloads no browser) show the chat
# page to the browser tests (web-tests/).
ensure_test_packages() {
  ensure_commands tmux=tmux redis-server=redis-server haproxy=haproxy promtool=prometheus chromium=chromium \
    chromedriver=chromium-driver
}

# The processes of ./run.sh cluster, stopped together on exit (Ctrl-C included).
CLUSTER_PIDS=()
stop_cluster() {
  local pid
  for pid in "${CLUSTER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${CLUSTER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "run.sh: cluster stopped (its Redis data stays in ${CLUSTER_DIR:-$RUN_DIR/cluster}/redis)" >&2
}

wait_for_port() {
  local port="$1" what="$2"
  for _ in $(seq 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  die "$what did not start listening on port $port; see the logs in ${CLUSTER_DIR:-$RUN_DIR/cluster}"
}

# Redis (with its append-only file), N replicas on it and HAProxy in front, all on loopback, in the foreground.
# Its ports and folder can be moved (CHAT_CLUSTER_*), so that a test runs one beside a developer's own.
run_cluster() {
  local replicas="${1:-2}" jar="$ROOT/server/target/chat-server.jar" copy port i
  local lb_port="${CHAT_CLUSTER_PORT:-8000}" redis_port="${CHAT_CLUSTER_REDIS_PORT:-6390}"
  local replica_ports="${CHAT_CLUSTER_REPLICA_PORTS:-18100}" metrics_ports="${CHAT_CLUSTER_METRICS_PORTS:-19100}"
  local stats_port="${CHAT_CLUSTER_STATS_PORT:-8404}"
  CLUSTER_DIR="${CHAT_CLUSTER_DIR:-$RUN_DIR/cluster}"
  local dir="$CLUSTER_DIR"
  [[ "$replicas" =~ ^[1-9]$ ]] || die "cluster: N is 1 to 9 replicas, got '$replicas'"
  ensure_toolchain
  ensure_commands redis-server=redis-server haproxy=haproxy
  build_if_needed server "$jar"
  copy="$(runnable_copy "$jar")"
  mkdir -p "$dir/redis"
  trap stop_cluster EXIT
  trap 'exit 0' INT TERM
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir/redis" --appendonly yes --appendfsync everysec \
    --save "" --daemonize no --logfile "$dir/redis.log" "${REDIS_MEMORY[@]}" &
  CLUSTER_PIDS+=($!)
  wait_for_port "$redis_port" "redis-server"
  cp "$ROOT/deploy/haproxy.cfg" "$dir/haproxy.cfg"
  for i in $(seq "$replicas"); do
    port=$((replica_ports + i))
    java "${SERVER_JAVA[@]}" -jar "$copy" --port "$port" --store "redis://127.0.0.1:$redis_port" \
      --trusted-proxies 127.0.0.1/32 --metrics-listen "127.0.0.1:$((metrics_ports + i))" --instance "replica$i" \
      --access-log "$dir/replica$i-access.log" >"$dir/replica$i.log" 2>&1 &
    CLUSTER_PIDS+=($!)
    echo "    server replica$i 127.0.0.1:$port check" >>"$dir/haproxy.cfg"
  done
  for i in $(seq "$replicas"); do wait_for_port $((replica_ports + i)) "replica $i"; done
  CHAT_LB_BIND="127.0.0.1:$lb_port" CHAT_LB_STATS="127.0.0.1:$stats_port" haproxy -f "$dir/haproxy.cfg" \
    >"$dir/haproxy.log" 2>&1 &
  CLUSTER_PIDS+=($!)
  wait_for_port "$lb_port" "haproxy"
  cat <<EOF
run.sh: cluster up: HAProxy on http://127.0.0.1:$lb_port -> $replicas replicas (ports $((replica_ports + 1))-$((replica_ports + replicas))) -> Redis on port $redis_port
  chat through it:  export CHAT_SERVER=http://127.0.0.1:$lb_port; ./run.sh chat logon alice; ./run.sh chat join general
  chat page:        http://127.0.0.1:$lb_port/
  balancer status:  http://127.0.0.1:$stats_port/  (replicas UP or DOWN by their /ready checks)
  metrics:          $(for i in $(seq "$replicas"); do printf 'http://127.0.0.1:%s/metrics ' $((metrics_ports + i)); done)
                    (prometheus --config.file=deploy/prometheus.yml scrapes them; deploy/grafana-dashboard.json)
  logs:             $dir/replica*.log, a line per request in $dir/replica*-access.log (CHAT_LOG_FORMAT=json for JSON)
Ctrl-C stops it all; the data stays in $dir/redis (delete that folder to start afresh).
EOF
  wait
}

# start_bench_redis PORT DIR: a Redis for a benchmark, persisting as production would (append-only, fsync every
# second), stopped with the cluster.
start_bench_redis() {
  local port="$1" dir="$2"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes --appendfsync everysec \
    --save "" --daemonize no --logfile "$dir/redis.log" "${REDIS_MEMORY[@]}" &
  CLUSTER_PIDS+=($!)
  wait_for_port "$port" "redis-server"
}

# Side by side, in one run: one replica in memory, one on Redis, two on Redis behind HAProxy (docs/SCALING.md).
# Then the Redis round trips of each call, counted with MONITOR.
run_scalebench() {
  local jar="$ROOT/server/target/chat-server.jar" dir="$RUN_DIR/scalebench" copy redis_port=16391 p
  local bench="$ROOT/../shared/bench"
  [[ -x "$bench/compare.sh" ]] || die "no benchmark harness at $bench"
  ensure_commands redis-server=redis-server haproxy=haproxy wrk=wrk
  build_if_needed server "$jar"
  copy="$(runnable_copy "$jar")"
  rm -rf "$dir" && mkdir -p "$dir"
  trap stop_cluster EXIT
  start_bench_redis "$redis_port" "$dir"
  java "${SERVER_JAVA[@]}" -jar "$copy" --port 18191 >"$dir/memory.log" 2>&1 &
  CLUSTER_PIDS+=($!)
  for p in 18192 18193 18194; do
    java "${SERVER_JAVA[@]}" -jar "$copy" --port "$p" --store "redis://127.0.0.1:$redis_port" \
      --trusted-proxies 127.0.0.1/32 >"$dir/replica-$p.log" 2>&1 &
    CLUSTER_PIDS+=($!)
  done
  cp "$ROOT/deploy/haproxy.cfg" "$dir/haproxy.cfg"
  printf '    server replica1 127.0.0.1:18193 check\n    server replica2 127.0.0.1:18194 check\n' >>"$dir/haproxy.cfg"
  for p in 18191 18192 18193 18194; do wait_for_port "$p" "replica on $p"; done
  CHAT_LB_BIND=127.0.0.1:18195 CHAT_LB_STATS=127.0.0.1:18196 haproxy -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
  CLUSTER_PIDS+=($!)
  wait_for_port 18195 "haproxy"
  sleep 3 # two rounds of health checks: both replicas UP
  "$bench/compare.sh" -p "${BENCH_PHASES:-post,retrieve}" "$@" memory=http://127.0.0.1:18191 \
    redis=http://127.0.0.1:18192 redis-2x-haproxy=http://127.0.0.1:18195
  redis_round_trips "$redis_port" 18192
  redis_cpu_per_call "${CLUSTER_PIDS[0]}" http://127.0.0.1:18192
}

# The cost of the rate limits, side by side in one run: /post from an exempt client and from one that is not
# (--client-limit-exempt "" and every limit raised above the load, so each call takes its tokens and none is
# refused), in memory and on Redis. Then the Redis round trips of each call of the limited replica: still one.
run_ratebench() {
  local jar="$ROOT/server/target/chat-server.jar" dir="$RUN_DIR/ratebench" copy redis_port=16392 p
  local bench="$ROOT/../shared/bench" raised=2000000000,1ms
  local limited=(--client-limit-exempt "" --rate-calls "$raised" --rate-posts "$raised" --rate-logons "$raised")
  [[ -x "$bench/compare.sh" ]] || die "no benchmark harness at $bench"
  ensure_commands redis-server=redis-server wrk=wrk
  build_if_needed server "$jar"
  copy="$(runnable_copy "$jar")"
  rm -rf "$dir" "$RUN_DIR/scalebench" && mkdir -p "$dir" "$RUN_DIR/scalebench"
  trap stop_cluster EXIT
  start_bench_redis "$redis_port" "$dir"
  java "${SERVER_JAVA[@]}" -jar "$copy" --port 18291 >"$dir/memory-exempt.log" 2>&1 &
  CLUSTER_PIDS+=($!)
  java "${SERVER_JAVA[@]}" -jar "$copy" --port 18292 "${limited[@]}" >"$dir/memory-limited.log" 2>&1 &
  CLUSTER_PIDS+=($!)
  java "${SERVER_JAVA[@]}" -jar "$copy" --port 18293 --store "redis://127.0.0.1:$redis_port" \
    >"$dir/redis-exempt.log" 2>&1 &
  CLUSTER_PIDS+=($!)
  java "${SERVER_JAVA[@]}" -jar "$copy" --port 18294 --store "redis://127.0.0.1:$redis_port" "${limited[@]}" \
    >"$dir/redis-limited.log" 2>&1 &
  CLUSTER_PIDS+=($!)
  for p in 18291 18292 18293 18294; do wait_for_port "$p" "server on $p"; done
  "$bench/compare.sh" -p "${BENCH_PHASES:-post}" "$@" memory-exempt=http://127.0.0.1:18291 \
    memory-limited=http://127.0.0.1:18292 redis-exempt=http://127.0.0.1:18293 redis-limited=http://127.0.0.1:18294
  redis_round_trips "$redis_port" 18294
}

# Redis's own CPU time per call (user + system, from /proc), under load from one replica: how many calls a
# second one Redis core carries, whatever the number of replicas.
redis_cpu_per_call() {
  local pid="$1" url="$2" phase before after line rps seconds=8
  for phase in post retrieve; do
    before="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
    line="$("$ROOT/../shared/bench/bench.sh" -p "$phase" -d "$seconds" -w 0 "$url" 2>/dev/null | grep '^bench')"
    after="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
    rps="$(sed 's/.*rps=\([0-9]*\).*/\1/' <<<"$line")"
    echo "redis cpu per $phase: $(( (after - before) * 10000 * 1000 / (rps * seconds) / 1000 )) us at $rps calls/s"
  done
}

# Counts the commands each call sends to Redis (MONITOR shows them; commands run inside a script are marked lua,
# and the PINGs are health checks). Each call is made once before, as a replica learns a session's user once.
redis_round_trips() {
  local redis_port="$1" url="http://127.0.0.1:$2" key call body monitor
  key="$(curl -s "$url/logon" -d '{"username":"roundtrips","password":"pw"}' | sed 's/.*"data":\([0-9]*\).*/\1/')"
  curl -s "$url/create" -d "{\"sesskey\":$key,\"channel\":\"roundtrips\"}" >/dev/null
  for call in post retrieve lastmessage list; do
    case "$call" in
      post) body="{\"sesskey\":$key,\"channel\":\"roundtrips\",\"message\":\"hi\"}" ;;
      retrieve) body="{\"sesskey\":$key,\"channel\":\"roundtrips\",\"first\":1,\"last\":100}" ;;
      lastmessage) body="{\"sesskey\":$key,\"channel\":\"roundtrips\"}" ;;
      list) body="{\"sesskey\":$key}" ;;
    esac
    curl -s "$url/$call" -d "$body" >/dev/null
    timeout 2 redis-cli -p "$redis_port" monitor >"$RUN_DIR/scalebench/monitor-$call.txt" &
    monitor=$!
    sleep 0.5
    curl -s "$url/$call" -d "$body" >/dev/null
    wait "$monitor" || true
    echo "redis round trips per $call: $(grep -v -e ' lua\]' -e '"PING"' "$RUN_DIR/scalebench/monitor-$call.txt" | grep -c '^[0-9]' || true)"
  done
}

# The whole suite N times, each from a fresh clone of HEAD (what CI and a newcomer get: nothing built, nothing
# left over), alternating an idle machine with one whose cores stress-ng keeps busy. Races hide in either: a test
# that posts before its subscribe is taken fails only when the server is fast, one that sleeps for a handshake
# only when it is slow. One line per run; non-zero if any run failed. Logs stay in .run/stress-test/.
STRESS_LOAD_PID=""
stop_stress_load() {
  [[ -n "$STRESS_LOAD_PID" ]] || return 0
  kill "$STRESS_LOAD_PID" 2>/dev/null || true
  wait "$STRESS_LOAD_PID" 2>/dev/null || true
  STRESS_LOAD_PID=""
}

# suite_counts LOG: "T tests, F failed, S skipped" over every module of a Maven run, and the classes that failed.
suite_counts() {
  local counts failing
  counts="$(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures' "$1" | grep -v ' -- in ' \
    | sed -E 's/.*Tests run: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+), Skipped: ([0-9]+).*/\1 \2 \3 \4/' \
    | awk '{t += $1; f += $2 + $3; s += $4} END {printf "%d tests, %d failed, %d skipped", t, f, s}')"
  failing="$(grep -E '<<< (FAILURE|ERROR)! -- in ' "$1" | sed -E 's/.* -- in //' | sort -u | paste -sd' ' -)"
  echo "$counts${failing:+ (failing: $failing)}"
}

run_stress_test() {
  local runs="${1:-4}" dir="$RUN_DIR/stress-test" i condition clone started seconds summary failed=0
  [[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "stress-test: N is a number of runs, got '$runs'"
  ensure_toolchain
  ensure_test_packages
  ensure_commands stress-ng=stress-ng
  [[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]] \
    || echo "run.sh: stress-test runs what is committed (HEAD); uncommitted changes are not in it" >&2
  rm -rf "$dir" && mkdir -p "$dir"
  trap stop_stress_load EXIT
  trap 'exit 130' INT TERM # Maven exits on Ctrl-C rather than dying by it: without this the next run would start
  for i in $(seq "$runs"); do
    condition=idle
    if (( i % 2 == 0 )); then
      condition="loaded"
      # Bounded by itself too (an hour), should this script be killed before it can stop it.
      stress-ng --cpu "$(nproc)" --timeout 3600 --quiet >/dev/null 2>&1 &
      STRESS_LOAD_PID=$!
    fi
    clone="$dir/clone-$i"
    git clone -q "$ROOT" "$clone"
    started=$SECONDS
    if (cd "$clone" && ./run.sh test) >"$dir/run-$i.log" 2>&1; then summary="passed"; else summary="FAILED"; failed=1; fi
    seconds=$((SECONDS - started))
    stop_stress_load
    summary+=" in ${seconds} s: $(suite_counts "$dir/run-$i.log")"
    echo "stress-test run $i/$runs ($condition): $summary (log: $dir/run-$i.log)"
    [[ "$summary" == passed* ]] && rm -rf "$clone"
  done
  return "$failed"
}

# The fuzz targets (Jazzer @FuzzTest), each fuzzed in its own JVM by a surefire execution of server/pom.xml, and the
# directories of their seeds, where Jazzer writes what it finds (crash-*, timeout-*) so that it replays as a seed.
FUZZ_INPUTS=(server/src/test/resources/chat/api/HttpBodyFuzzTestInputs/everyBodyIsAnsweredWithAnEnvelope
  server/src/test/resources/chat/ws/SocketFramesFuzzTestInputs/everyFrameIsAnsweredWithOneEnvelope)

fuzz_findings() {
  find "${FUZZ_INPUTS[@]}" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'slow-unit-*' -o -name 'oom-*' \) | sort
}

# Each target fuzzed for DURATION in turn (both run even when the first finds something); non-zero on a finding.
run_fuzz() {
  local duration="${1:-5m}" before after new
  [[ "$duration" =~ ^([0-9]+[smh])+$ ]] || die "fuzz: DURATION is a time such as 30s, 5m or 1h, got '$duration'"
  ensure_toolchain
  cd "$ROOT"
  before="$(fuzz_findings)"
  # -Dtest narrows the ordinary tests to the fuzz tests' seeds; the fuzzing executions name their own target.
  mvn -B -Dstyle.color=never -pl server verify -Dfuzz.duration="$duration" -Dmaven.test.failure.ignore=true \
    -Dtest='HttpBodyFuzzTest,SocketFramesFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false 2>&1 \
    | sed 's/\x1b\[0m//g' | grep -v '^INFO: Instrumented'
  after="$(fuzz_findings)"
  new="$(comm -13 <(echo "$before") <(echo "$after") | sed '/^$/d')"
  echo "run.sh: fuzzer logs (coverage, executions per second): server/target/fuzz-reports/*-output.txt" >&2
  if [[ -n "$new" ]] || grep -qE '(FAILURE|ERROR)!' server/target/fuzz-reports/*.txt 2>/dev/null; then
    echo "run.sh: FINDINGS (each replays as a seed in ./run.sh test; fix the bug, keep the input):" >&2
    [[ -z "$new" ]] || sed 's/^/  /' <<<"$new" >&2
    grep -h -A12 -E '(FAILURE|ERROR)!' server/target/fuzz-reports/*.txt >&2 || true
    return 1
  fi
  echo "run.sh: no finding in $duration per target" >&2
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
  cluster)
    shift
    run_cluster "$@"
    ;;
  scalebench)
    shift
    run_scalebench "$@"
    ;;
  ratebench)
    shift
    run_ratebench "$@"
    ;;
  stress-test)
    shift
    run_stress_test "$@"
    ;;
  fuzz)
    shift
    run_fuzz "$@"
    ;;
  test)
    shift
    ensure_toolchain
    ensure_test_packages
    cd "$ROOT" && exec mvn -B -Dstyle.color=never verify "$@"
    ;;
  help|-h)
    sed -n '2,21p' "$0"
    ;;
  server)
    shift
    run_server "$@"
    ;;
  *)
    run_server "$@"
    ;;
esac
