#!/usr/bin/env bash
# The benchmarks of docs/performance.md, side by side with Mosquitto.
#
#   bench/run.sh [options] [scenario ...]     scenarios: twin-get reported-patch desired desired-https twin-loss
#                                             methods connections bulk-create queries inspector dev-loop
#                                             (none or "all": every one, in that order)
#   --profile       record the hub and the generator with JFR during one extra run of twin-get and reported-patch
#   --with-verify   let dev-loop time a warm `./mvnw verify` (several minutes, measured once)
#   --runs N        rounds per figure (default 3: every figure is the median of 3 with min and max)
#   --seconds N     measured seconds per closed-loop run (default 5), --warmup N unmeasured seconds before (default 3)
#   --connections N devices the connections scenario connects at once (default 10000)
#   --hub-jar JAR   measure another build of the hub (before/after a change) instead of local-hub/target/local-hub.jar
#   --no-build      skip the Maven build
#   -Dname=value    a system property for the benchmarks, e.g. -Dbench.queryTwins=100000 (the twin counts of queries)
#
# Addresses: the hub on $BENCH_HUB_HOST (127.0.0.15), Mosquitto on $BENCH_MOSQUITTO_HOST (127.0.0.16), both on 8883.
# Mosquitto is installed from Debian packages when missing, started here with TLS (a CA this script makes) and
# stopped on exit. Every line starting with BENCH is a scenario's summary; lines starting with # are details.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HUB_HOST="${BENCH_HUB_HOST:-127.0.0.15}"
MOSQ_HOST="${BENCH_MOSQUITTO_HOST:-127.0.0.16}"
WORK="${BENCH_WORK:-$ROOT/bench/target/work}"
JAVA_OPTS=()
BUILD=1
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) JAVA_OPTS+=("-Dbench.profile=true") ;;
    --with-verify) JAVA_OPTS+=("-Dbench.verify=true") ;;
    --runs) JAVA_OPTS+=("-Dbench.runs=$2"); shift ;;
    --seconds) JAVA_OPTS+=("-Dbench.seconds=$2"); shift ;;
    --warmup) JAVA_OPTS+=("-Dbench.warmup=$2"); shift ;;
    --connections) JAVA_OPTS+=("-Dbench.connections=$2"); shift ;;
    --hub-jar) JAVA_OPTS+=("-Dbench.hubJar=$2"); shift ;;
    --no-build) BUILD=0 ;;
    -D*) JAVA_OPTS+=("$1") ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done

cd "$ROOT"
if [ "$BUILD" = 1 ]; then
  echo "# building: ./mvnw -q -Pbench -pl bench -am package -DskipTests"
  ./mvnw -q -o -Pbench -pl bench -am package -DskipTests 2>/dev/null \
    || ./mvnw -q -Pbench -pl bench -am package -DskipTests
fi

# 10,000 TLS connections need 10,000 descriptors in the hub, in Mosquitto and in the generator each
ulimit -n "$(ulimit -Hn)" || true
echo "# open files limit: $(ulimit -n)"

if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
  echo "# Mosquitto is not installed: installing it from Debian packages (apt-get install -y mosquitto)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto >/dev/null
fi
MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"

# Mosquitto's TLS: a CA of our own and a server certificate for its address, RSA 2048 like the hub's
TLS="$WORK/mosquitto"
mkdir -p "$TLS"
if [ ! -f "$TLS/server.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Device Twins Lab bench CA" \
    -keyout "$TLS/ca.key" -out "$TLS/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$MOSQ_HOST" -keyout "$TLS/server.key" -out "$TLS/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\n' "$MOSQ_HOST" > "$TLS/server.ext"
  openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" -CAcreateserial -days 30 \
    -extfile "$TLS/server.ext" -out "$TLS/server.pem" 2>/dev/null
  chmod 644 "$TLS/server.key" # a throw-away key; Mosquitto drops root for its own user before reading it
fi
cat > "$TLS/mosquitto.conf" <<EOF
# written by bench/run.sh: TLS only, no persistence, as few logs as possible
per_listener_settings false
allow_anonymous true
persistence false
connection_messages false
log_dest stderr
log_type error
log_type warning
max_connections -1
# like the hub: no Nagle delay on small packets (Mosquitto's default leaves it on)
set_tcp_nodelay true
listener 8883 $MOSQ_HOST
cafile $TLS/ca.pem
certfile $TLS/server.pem
keyfile $TLS/server.key
EOF
chmod -R a+rX "$TLS"
echo "# starting Mosquitto on $MOSQ_HOST:8883 (TLS)"
"$MOSQUITTO" -c "$TLS/mosquitto.conf" 2>>"$TLS/mosquitto.log" &
MOSQ_PID=$!
trap 'kill "$MOSQ_PID" 2>/dev/null; wait "$MOSQ_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  if (exec 3<>"/dev/tcp/$MOSQ_HOST/8883") 2>/dev/null; then break; fi
  sleep 0.1
done

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB, load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx3g -Xss512k -XX:+UseParallelGC \
  -cp "$ROOT/bench/target/bench.jar:$ROOT/bench/target/lib/*" \
  -Dbench.repo="$ROOT" -Dbench.work="$WORK" -Dlocalhub.host="$HUB_HOST" \
  -Dbench.mosquitto.host="$MOSQ_HOST" -Dbench.mosquitto.ca="$TLS/ca.pem" -Dbench.mosquitto.pid="$MOSQ_PID" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  "${JAVA_OPTS[@]}" lab.devicetwins.bench.Bench "${ARGS[@]}"
