# Private ZooKeeper for the demo: Debian's `zookeeper` package, loopback, its own data dir.
# Sourced by demo.sh. Tests use the C++ fixture in tests/support/ instead.

# zk_start DIR PORT [ADDRESS]: starts a single server with data in DIR on ADDRESS:PORT (default
# 127.0.0.1), waits until it answers, and prints its pid. Fails with the log tail if it does not
# come up in 30 s.
# ZK_TICK_MS (default 2000) sets tickTime; sessions may last 2 to 20 ticks, so tests that need an
# agent's death seen within a second lower it (e.g. ZK_TICK_MS=100 with --zookeeper-session-timeout 600).
zk_start() {
  local dir=$1 port=$2 addr=${3:-127.0.0.1}
  mkdir -p "$dir/data" "$dir/log"
  cat >"$dir/zoo.cfg" <<CFG
tickTime=${ZK_TICK_MS:-2000}
initLimit=10
syncLimit=5
dataDir=$dir/data
clientPort=$port
clientPortAddress=$addr
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr,stat,mntr
CFG
  local cp="/etc/zookeeper/conf:/usr/share/java/zookeeper.jar"
  for j in /usr/share/java/{slf4j-api,log4j-1.2,netty-handler,netty-common,netty-transport,netty-buffer,netty-codec,netty-resolver,netty-transport-native-unix-common,netty-transport-classes-epoll,jline,commons-cli,metrics-core,snappy-java,jetty-server,jetty-util,jetty-http,jetty-io,jetty-servlet,jetty-security,javax.servlet-api,jackson-databind,jackson-core,jackson-annotations,audience-annotations}.jar; do
    [ -f "$j" ] && cp="$cp:$j"
  done
  ZOO_LOG_DIR="$dir/log" nohup java -Dzookeeper.log.dir="$dir/log" -Dzookeeper.root.logger=INFO,CONSOLE \
    -cp "$cp" org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zoo.cfg" \
    >"$dir/log/zookeeper.out" 2>&1 &
  local pid=$!
  for _ in $(seq 1 150); do
    # Bounded: a server that accepts but does not answer yet must not hang the caller.
    if timeout 2 bash -c 'exec 3<>/dev/tcp/"$1"/"$2" && echo ruok >&3 && grep -q imok <&3' _ "$addr" "$port" 2>/dev/null; then
      echo "$pid"; return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "ZooKeeper did not start on $addr:$port; last lines of its log:" >&2
  tail -n 20 "$dir/log/zookeeper.out" >&2
  kill "$pid" 2>/dev/null
  return 1
}

# free_port: a TCP port nobody listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
