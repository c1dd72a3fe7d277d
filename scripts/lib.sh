# shellcheck shell=bash
# scripts/lib.sh - helpers shared by the run-time scripts (kafka, topics, cluster, submit,
# savepoint, run-local). Source it; do not run it:
#
#     . "$(dirname "$0")/lib.sh"
#
# What it provides:
#   - PROMO_ROOT (the repository root) and LOCAL_DIR (<repo>/.local, git-ignored)
#   - log / die / need_cmd, a Java 17+ check
#   - ensure_runtime_jars NAME: assembles <LOCAL_DIR>/lib/NAME/*.jar from Maven Central through
#     the standalone pom deploy/runtime/NAME/pom.xml, only when missing or when that pom changed
#   - pid files: pid_alive, stop_pid (SIGTERM, then SIGKILL after a grace period)
#   - launch_daemon: start a detached JVM, its pid recorded as-is (no wrapper subshell)
#   - wait_until: poll a condition with a timeout, failing early when the process died
#   - ports: port_open, describe_port_owner
#   - Kafka: kafka_tool (runs a Kafka CLI main class), create_topics / list_topics
#   - JSON: json_string, json_field (tiny sed-based extraction, no python needed)
#
# Everything logs to stderr, so that stdout carries only results (a job id, a path).

# ---------------------------------------------------------------------------------------------
# Locations
# ---------------------------------------------------------------------------------------------
PROMO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
LOCAL_DIR="${PROMO_LOCAL_DIR:-$PROMO_ROOT/.local}"
SCRIPT_NAME="$(basename "$0")"

# ---------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------
log() { printf '[%s] %s\n' "$SCRIPT_NAME" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit 1
}

# need_cmd CMD [HINT]: fail with a clear message when CMD is not on the PATH.
need_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not installed${2:+ ($2)}"
}

# Prints the java executable ($JAVA_HOME/bin/java if set, else java from the PATH) and checks
# that it is Java 17 or newer.
java_cmd() {
  local java
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    java="$JAVA_HOME/bin/java"
  else
    command -v java >/dev/null 2>&1 || die "java not found: install a JDK 17+ or set JAVA_HOME"
    java="java"
  fi
  if [[ -z "${_PROMO_JAVA_CHECKED:-}" ]]; then
    local version major
    version="$("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
    major="${version%%.*}"
    [[ "$major" == "1" ]] && major="$(echo "$version" | cut -d. -f2)"
    if [[ "$major" =~ ^[0-9]+$ ]] && ((major < 17)); then
      die "Java 17 or newer is required ($java is version $version)"
    fi
    _PROMO_JAVA_CHECKED=1
  fi
  printf '%s\n' "$java"
}

# ---------------------------------------------------------------------------------------------
# Small utilities
# ---------------------------------------------------------------------------------------------

# checksum FILE...: one SHA-256 over the given files (Linux sha256sum or macOS shasum).
checksum() {
  if command -v sha256sum >/dev/null 2>&1; then
    cat "$@" | sha256sum | cut -d' ' -f1
  else
    cat "$@" | shasum -a 256 | cut -d' ' -f1
  fi
}

# run_with_timeout SECONDS CMD...: coreutils `timeout` when present (not on stock macOS).
# CMD must be a program, not a shell function.
run_with_timeout() {
  local secs=$1
  shift
  if command -v timeout >/dev/null 2>&1; then
    timeout "$secs" "$@"
  else
    "$@"
  fi
}

# sed_escape VALUE: escapes VALUE for the replacement side of a sed s|...|...| command.
sed_escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

# render_template SRC DST NAME=VALUE...: copies SRC to DST replacing each @NAME@ by VALUE.
render_template() {
  local src=$1 dst=$2
  shift 2
  local args=() kv
  for kv in "$@"; do
    args+=(-e "s|@${kv%%=*}@|$(sed_escape "${kv#*=}")|g")
  done
  mkdir -p "$(dirname "$dst")"
  sed "${args[@]}" "$src" >"$dst.tmp"
  mv "$dst.tmp" "$dst"
}

# classpath_of DIR: every jar of DIR, sorted, joined with ':' (a stable order, unlike DIR/*).
classpath_of() {
  local dir=$1 cp="" jar
  for jar in "$dir"/*.jar; do
    [[ -e "$jar" ]] || continue
    cp="${cp:+$cp:}$jar"
  done
  printf '%s\n' "$cp"
}

# ---------------------------------------------------------------------------------------------
# Run-time jars from Maven Central (deploy/runtime/<name>/pom.xml -> .local/lib/<name>/)
# ---------------------------------------------------------------------------------------------

# ensure_runtime_jars NAME: makes sure LOCAL_DIR/lib/NAME holds the jars of
# deploy/runtime/NAME/pom.xml. They are (re)assembled by the repo's Maven wrapper only when the
# directory is missing or the pom changed since (its checksum is kept in a marker file). The new
# set is built next to the old one and swapped in, so a running process is not disturbed.
ensure_runtime_jars() {
  local name=$1
  local pom="$PROMO_ROOT/deploy/runtime/$name/pom.xml"
  local dir="$LOCAL_DIR/lib/$name"
  local marker="$dir/.assembled-from" sum
  [[ -f "$pom" ]] || die "missing $pom"
  sum="$(checksum "$pom")"
  if [[ -f "$marker" && "$(cat "$marker")" == "$sum" ]]; then
    return 0
  fi
  mkdir -p "$LOCAL_DIR/lib"
  # Two scripts assembling at once (e.g. `kafka start` and `run-local` in parallel) would race:
  # serialize them with flock when it is available.
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$LOCAL_DIR/lib/.$name.lock"
    flock 8
    if [[ -f "$marker" && "$(cat "$marker")" == "$sum" ]]; then
      exec 8>&-
      return 0
    fi
  fi
  local staging="$dir.new.$$" start=$SECONDS
  log "assembling the $name run-time jars from Maven Central into ${dir#"$PROMO_ROOT"/} (once)..."
  rm -rf "$staging"
  if ! "$PROMO_ROOT/mvnw" -B -q -f "$pom" -Druntime.lib.dir="$staging" package >&2; then
    rm -rf "$staging"
    die "could not assemble the $name jars (is Maven Central reachable? see the Maven output above)"
  fi
  printf '%s\n' "$sum" >"$staging/.assembled-from"
  rm -rf "$dir"
  mv "$staging" "$dir"
  log "$name jars ready: $(find "$dir" -name '*.jar' | wc -l | tr -d ' ') jars, $(du -sh "$dir" | cut -f1), in $((SECONDS - start)) s"
  if command -v flock >/dev/null 2>&1; then exec 8>&-; fi
}

# ---------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------

# pid_alive PIDFILE MARKER: prints the pid recorded in PIDFILE and succeeds when that process is
# alive AND its command line contains MARKER (so a recycled pid is not mistaken for ours).
pid_alive() {
  local pidfile=$1 marker=$2 pid args
  [[ -f "$pidfile" ]] || return 1
  pid="$(tr -d ' \n' <"$pidfile" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    args="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
  else
    args="$(ps -ww -p "$pid" -o args= 2>/dev/null)"
  fi
  [[ "$args" == *"$marker"* ]] || return 1
  printf '%s\n' "$pid"
}

# launch_daemon PIDFILE OUTFILE CMD...: starts CMD in the background, detached from the
# terminal (nohup, stdin from /dev/null, stdout+stderr appended to OUTFILE) and records its pid.
# CMD is started directly (no `cd && ...` wrapper), so $! is the JVM's own pid.
launch_daemon() {
  local pidfile=$1 out=$2
  shift 2
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$out")"
  nohup "$@" >>"$out" 2>&1 </dev/null &
  printf '%s\n' "$!" >"$pidfile"
}

# stop_pid PIDFILE MARKER NAME [GRACE_SECONDS]: stops the process of PIDFILE: SIGTERM, then
# SIGKILL when it is still alive after GRACE_SECONDS (default 30); removes the pid file.
# (A JVM whose port bind failed may ignore SIGTERM; kill -9 is the fallback.)
stop_pid() {
  local pidfile=$1 marker=$2 name=$3 grace=${4:-30} pid
  if ! pid="$(pid_alive "$pidfile" "$marker")"; then
    log "$name is not running"
    rm -f "$pidfile"
    return 0
  fi
  log "stopping $name (pid $pid)..."
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name (pid $pid) did not stop within ${grace} s: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && die "$name (pid $pid) survived SIGKILL"
  fi
  rm -f "$pidfile"
  log "$name stopped"
}

# wait_until TIMEOUT_SECONDS WATCH_PID DESCRIPTION CMD...: runs CMD every second until it
# succeeds (returns 0). Returns 1 on timeout and 2 as soon as WATCH_PID (if not empty) has died.
wait_until() {
  local timeout=$1 watch=$2 what=$3
  shift 3
  local deadline=$((SECONDS + timeout))
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [[ -n "$watch" ]] && ! kill -0 "$watch" 2>/dev/null; then
      log "process $watch exited while waiting for $what"
      return 2
    fi
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout} s waiting for $what"
      return 1
    fi
    sleep 1
  done
}

# tail_log FILE [LINES]: shows the end of a log file on stderr (for failure reports).
tail_log() {
  local file=$1 lines=${2:-30}
  [[ -f "$file" ]] || return 0
  printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
  tail -n "$lines" "$file" >&2
  printf -- '-----\n' >&2
}

# ---------------------------------------------------------------------------------------------
# Ports
# ---------------------------------------------------------------------------------------------

# port_open HOST PORT: succeeds when something accepts TCP connections on HOST:PORT.
port_open() {
  local host=$1 port=$2
  run_with_timeout 3 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}

# describe_port_owner PORT: best-effort description of the process listening on PORT.
describe_port_owner() {
  local port=$1 out=""
  if command -v ss >/dev/null 2>&1; then
    out="$(ss -ltnpH "sport = :$port" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p' | head -n 1)"
  fi
  if [[ -z "$out" ]] && command -v lsof >/dev/null 2>&1; then
    out="$(lsof -nP -iTCP:"$port" -sTCP:LISTEN 2>/dev/null | awk 'NR==2 {print $1" (pid "$2")"}')"
  fi
  printf '%s\n' "${out:-an unknown process}"
}

# require_port_free HOST PORT WHAT: dies with a clear message when PORT is already taken.
require_port_free() {
  local host=$1 port=$2 what=$3
  if port_open "$host" "$port"; then
    die "port $port ($what) is already in use by $(describe_port_owner "$port"); stop it, or choose another port (see --help)"
  fi
}

# ---------------------------------------------------------------------------------------------
# Kafka command-line tools (from .local/lib/kafka, assembled by deploy/runtime/kafka/pom.xml)
# ---------------------------------------------------------------------------------------------
KAFKA_LIB_DIR="$LOCAL_DIR/lib/kafka"

# kafka_tool MAIN_CLASS ARGS...: runs a Kafka CLI class (e.g. org.apache.kafka.tools.TopicCommand)
# in a short-lived JVM tuned for start-up time, logging warnings to stderr only. It is killed
# after KAFKA_TOOL_TIMEOUT seconds (default 60) where coreutils `timeout` exists.
kafka_tool() {
  ensure_runtime_jars kafka
  local java
  java="$(java_cmd)"
  run_with_timeout "${KAFKA_TOOL_TIMEOUT:-60}" \
    "$java" -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$PROMO_ROOT/deploy/kafka/log4j2-tools.properties" \
    -cp "$(classpath_of "$KAFKA_LIB_DIR")" "$@"
}

# Topic names and sizes; every one can be overridden from the environment.
PROMO_TOPIC_EVENTS="${PROMO_TOPIC_EVENTS:-promo.events}"
PROMO_TOPIC_CONTROL="${PROMO_TOPIC_CONTROL:-promo.control}"
PROMO_TOPIC_GRANTS="${PROMO_TOPIC_GRANTS:-promo.grants}"
PROMO_TOPIC_REJECTIONS="${PROMO_TOPIC_REJECTIONS:-promo.rejections}"
PROMO_TOPIC_STATUS="${PROMO_TOPIC_STATUS:-promo.campaign-status}"
PROMO_TOPIC_ALERTS="${PROMO_TOPIC_ALERTS:-promo.alerts}"
PROMO_TOPIC_DEAD_LETTERS="${PROMO_TOPIC_DEAD_LETTERS:-promo.dead-letters}"
EVENTS_PARTITIONS="${EVENTS_PARTITIONS:-4}"
OUTPUT_PARTITIONS="${OUTPUT_PARTITIONS:-4}"
TOPIC_REPLICATION_FACTOR="${TOPIC_REPLICATION_FACTOR:-1}"

# job_topic_args: the job options (`--topic.events NAME`, one word per line) for every topic name
# overridden through PROMO_TOPIC_* (the job's own defaults are the standard names).
job_topic_args() {
  [[ "$PROMO_TOPIC_EVENTS" == promo.events ]] || printf '%s\n' --topic.events "$PROMO_TOPIC_EVENTS"
  [[ "$PROMO_TOPIC_CONTROL" == promo.control ]] || printf '%s\n' --topic.control "$PROMO_TOPIC_CONTROL"
  [[ "$PROMO_TOPIC_GRANTS" == promo.grants ]] || printf '%s\n' --topic.grants "$PROMO_TOPIC_GRANTS"
  [[ "$PROMO_TOPIC_REJECTIONS" == promo.rejections ]] || printf '%s\n' --topic.rejections "$PROMO_TOPIC_REJECTIONS"
  [[ "$PROMO_TOPIC_STATUS" == promo.campaign-status ]] || printf '%s\n' --topic.campaign-status "$PROMO_TOPIC_STATUS"
  [[ "$PROMO_TOPIC_ALERTS" == promo.alerts ]] || printf '%s\n' --topic.alerts "$PROMO_TOPIC_ALERTS"
  [[ "$PROMO_TOPIC_DEAD_LETTERS" == promo.dead-letters ]] || printf '%s\n' --topic.dead-letters "$PROMO_TOPIC_DEAD_LETTERS"
  return 0
}

# set_topic_from_job_option OPTION NAME: `--topic.events x` given to a script -> PROMO_TOPIC_EVENTS=x
# (so the topics it creates are the ones the job will use). Fails for other options.
set_topic_from_job_option() {
  case "$1" in
    --topic.events) PROMO_TOPIC_EVENTS=$2 ;;
    --topic.control) PROMO_TOPIC_CONTROL=$2 ;;
    --topic.grants) PROMO_TOPIC_GRANTS=$2 ;;
    --topic.rejections) PROMO_TOPIC_REJECTIONS=$2 ;;
    --topic.campaign-status) PROMO_TOPIC_STATUS=$2 ;;
    --topic.alerts) PROMO_TOPIC_ALERTS=$2 ;;
    --topic.dead-letters) PROMO_TOPIC_DEAD_LETTERS=$2 ;;
    *) return 1 ;;
  esac
}

# topic_specs: one line per topic of the job: "NAME PARTITIONS [CONFIG=VALUE ...]".
topic_specs() {
  cat <<EOF
$PROMO_TOPIC_EVENTS $EVENTS_PARTITIONS
$PROMO_TOPIC_CONTROL 1 cleanup.policy=delete retention.ms=-1 retention.bytes=-1
$PROMO_TOPIC_GRANTS $OUTPUT_PARTITIONS
$PROMO_TOPIC_REJECTIONS $OUTPUT_PARTITIONS
$PROMO_TOPIC_STATUS $OUTPUT_PARTITIONS cleanup.policy=compact
$PROMO_TOPIC_ALERTS $OUTPUT_PARTITIONS
$PROMO_TOPIC_DEAD_LETTERS $OUTPUT_PARTITIONS
EOF
}

# bootstrap_reachable BOOTSTRAP: the first HOST:PORT of a bootstrap list accepts connections
# (a quick check before starting a Kafka tool that would otherwise retry for a minute).
bootstrap_reachable() {
  local first="${1%%,*}"
  port_open "${first%:*}" "${first##*:}"
}

# list_topics BOOTSTRAP: prints the broker's topic names, one per line.
list_topics() {
  bootstrap_reachable "$1" || {
    log "no Kafka broker answers at ${1%%,*}"
    return 1
  }
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$1" --list
}

# create_topics BOOTSTRAP: creates every topic of the job that does not exist yet, with its
# partitions and settings (`--if-not-exists`, so it is safe to run again and concurrently).
# Existing topics are left unchanged. One JVM lists the topics; the missing ones are then
# created by one TopicCommand JVM each, run in parallel.
create_topics() {
  local bootstrap=$1 existing name partitions cfg c
  if ! existing="$(list_topics "$bootstrap")"; then
    die "cannot list the topics of the broker at $bootstrap (is it running? scripts/kafka start)"
  fi
  ensure_runtime_jars kafka
  local tmp pids=() names=() i failed=0
  tmp="$(mktemp -d)"
  while read -r name partitions cfg; do
    [[ -n "$name" ]] || continue
    if grep -qxF -- "$name" <<<"$existing"; then
      continue
    fi
    local args=(--bootstrap-server "$bootstrap" --create --if-not-exists --topic "$name"
      --partitions "$partitions" --replication-factor "$TOPIC_REPLICATION_FACTOR")
    for c in $cfg; do args+=(--config "$c"); done
    log "creating topic $name (partitions $partitions${cfg:+, $cfg})"
    kafka_tool org.apache.kafka.tools.TopicCommand "${args[@]}" >"$tmp/${#names[@]}.log" 2>&1 &
    pids+=("$!")
    names+=("$name")
  done < <(topic_specs)
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      warn "could not create topic ${names[$i]}: $(cat "$tmp/$i.log")"
      failed=$((failed + 1))
    fi
  done
  rm -rf "$tmp"
  ((failed == 0)) || die "$failed topic(s) could not be created at $bootstrap"
  log "topics ready at $bootstrap (${#names[@]} created, $(($(topic_specs | wc -l) - ${#names[@]})) already there)"
}

# ---------------------------------------------------------------------------------------------
# JSON helpers (enough for Flink's REST API; no python/jq required)
# ---------------------------------------------------------------------------------------------

# json_string VALUE: VALUE as a JSON string literal, quotes included.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# json_field NAME < JSON: the string value of the first "NAME": "..." in JSON. Enough for the
# values read here (ids, file paths, status names), which never contain a double quote.
json_field() {
  tr -d '\n' | sed -e 's/"'"$1"'"[[:space:]]*:[[:space:]]*"/\
@@/' | sed -n 's/^@@\([^"]*\)".*/\1/p' | head -n 1
}

# json_number NAME < JSON: the first numeric value of "NAME": 123 in JSON.
json_number() {
  tr -d '\n' | sed -e 's/"'"$1"'"[[:space:]]*:[[:space:]]*/\
@@/' | sed -n 's/^@@\(-\{0,1\}[0-9][0-9]*\).*/\1/p' | head -n 1
}

# ---------------------------------------------------------------------------------------------
# Flink REST (scripts/cluster, submit, savepoint)
# ---------------------------------------------------------------------------------------------
FLINK_REST_URL="${FLINK_REST_URL:-http://localhost:${FLINK_REST_PORT:-8081}}"

# flink_rest METHOD PATH [JSON_BODY]: calls the REST API, prints the response body, and fails
# (printing the body on stderr) unless the HTTP status is 2xx.
flink_rest() {
  local method=$1 path=$2 body=${3:-} tmp code
  need_cmd curl
  tmp="$(mktemp)"
  if [[ -n "$body" ]]; then
    code="$(curl -sS -o "$tmp" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' \
      --data "$body" "$FLINK_REST_URL$path")" || {
      rm -f "$tmp"
      return 1
    }
  else
    code="$(curl -sS -o "$tmp" -w '%{http_code}' -X "$method" "$FLINK_REST_URL$path")" || {
      rm -f "$tmp"
      return 1
    }
  fi
  if [[ "$code" != 2* ]]; then
    # Flink answers {"errors":["...java stack trace..."]}: show its first line and the
    # "Caused by:" lines; keep the whole answer in a file.
    local saved="$LOCAL_DIR/flink/last-rest-error.json"
    mkdir -p "$LOCAL_DIR/flink" && cp "$tmp" "$saved"
    printf '[%s] %s %s -> HTTP %s:\n' "$SCRIPT_NAME" "$method" "$path" "$code" >&2
    sed -e 's/\\n/\
/g' -e 's/\\t/    /g' "$tmp" | grep -v '^    at \|^    \.\.\. [0-9]* more' |
      grep -v '^[[:space:]]*$' | head -n 12 | sed 's/^/    /' >&2
    printf '    (full answer in %s)\n' "${saved#"$PROMO_ROOT"/}" >&2
    rm -f "$tmp"
    return 1
  fi
  cat "$tmp"
  rm -f "$tmp"
}

# flink_rest_up: succeeds when the JobManager's REST API answers.
flink_rest_up() { curl -sf -o /dev/null --max-time 3 "$FLINK_REST_URL/config"; }
