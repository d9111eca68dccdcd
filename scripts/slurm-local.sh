#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, for tests and for trying `nnexp slurm`:
#
#   scripts/slurm-local.sh start    install the Debian packages when missing (root), start munged,
#                                   slurmctld and slurmd, wait until the node is idle and a batch job
#                                   runs; a no-op (plus the probe job) when already running
#   scripts/slurm-local.sh stop     cancel every job, stop exactly the daemons `start` started (by pid)
#   scripts/slurm-local.sh status   say whether the cluster runs; exit 0 when it does, 1 when not
#
# Everything (config, munge key and socket, state, logs, pids) lives in one folder of its own:
# $SLURM_LOCAL_DIR, default .build/slurm-local in the repository. Nothing is written to /etc/slurm,
# no systemd, no cgroups; every address is 127.0.0.1 (ports $SLURM_LOCAL_PORT and the next one,
# default 6817/6818). Clients need `export SLURM_CONF=$SLURM_LOCAL_DIR/etc/slurm.conf`, which `start`
# prints and writes to $SLURM_LOCAL_DIR/env. Debian 12 (Slurm 22.05); background and measurements in
# docs/cluster.md.
set -euo pipefail
set +m  # with job control on, setsid forks and $! would not be the daemon

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${SLURM_LOCAL_DIR:-$ROOT/.build/slurm-local}"
PORT="${SLURM_LOCAL_PORT:-6817}"
PACKAGES=(slurmctld slurmd slurm-client munge)
DAEMONS=(munged slurmctld slurmd)

say() { echo "slurm-local: $*" >&2; }
die() { say "error: $*"; exit 1; }

# A pid is ours when it is alive and its command line is the daemon we started (a recycled pid is
# not); an empty command line is a zombie waiting to be reaped, so gone.
alive() {  # NAME PID
  local cmd
  [ -n "$2" ] && [ -r "/proc/$2/cmdline" ] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$2/cmdline" 2>/dev/null || true)"
  [ -n "$cmd" ] && [[ "$cmd" == *"$1"* ]] && [[ "$cmd" == *"$DIR"* ]]
}
pid_of() { cat "$DIR/run/$1.pid" 2>/dev/null || true; }
running() { local d; for d in "${DAEMONS[@]}"; do alive "$d" "$(pid_of "$d")" || return 1; done; }

export SLURM_CONF="$DIR/etc/slurm.conf"

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages ${missing[*]}; run as root (apt-get install -y --no-install-recommends ${missing[*]})"
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # The packages' postinst scripts start nothing without an init system (invoke-rc.d blocks it).
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
}

# Choices for a test cluster, beyond the defaults: batch_sched_delay=0 starts array tasks at once
# (not in waves 3 s apart); a requeued job may start only CredExpire (default 120 s) after, and then
# at a scheduling pass (main every 60 s, backfill every 30 s), so cred_expire=10, sched_interval=2
# and bf_interval=2 make a requeue take about 12 s instead of 2-2.5 minutes.
write_config() {
  local host node_line bind=""
  host="$(hostname)"
  # slurmd -C reports this machine's topology and memory; RealMemory above the real one drains the node.
  node_line="$(slurmd -C 2>/dev/null | grep -m1 '^NodeName=' | sed -E 's/ UpTime=.*//')"
  [ -n "$node_line" ] || die "slurmd -C printed no NodeName line"
  node_line="$(sed -E "s/^NodeName=[^ ]+/NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host/" <<<"$node_line")"
  # Listening on loopback only needs the host name to resolve to 127.x; otherwise the daemons would
  # fail to bind, so they listen on all addresses while every address in the config stays 127.0.0.1.
  if getent ahostsv4 "$host" 2>/dev/null | awk '{print $1}' | grep -q '^127\.'; then
    bind="CommunicationParameters=NoCtldInAddrAny,NoInAddrAny"
  fi
  cat >"$DIR/etc/slurm.conf" <<EOF
# Written by scripts/slurm-local.sh; a single-node cluster on 127.0.0.1.
ClusterName=nnexp-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
$bind
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/munge.socket.2,cred_expire=10
StateSaveLocation=$DIR/state/ctld
SlurmdSpoolDir=$DIR/state/slurmd
SlurmctldPidFile=$DIR/state/slurmctld.pid
SlurmdPidFile=$DIR/state/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.log
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,bf_interval=2,sched_interval=2
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
KillWait=5
MinJobAge=300
$node_line State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

# Starts a daemon in its own session; records the pid setsid's exec became (or the daemon's own
# pidfile, should setsid have forked).
launch() {  # NAME OWN_PIDFILE CMD...
  local name="$1" own="$2"; shift 2
  # The daemon gets no descriptor of ours beyond 0-2: a caller waiting for this script to end (Swift's
  # Process, a pipe to `make`) would otherwise wait for the daemons too, as they held its end open.
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"; [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
    done
    exec setsid "$@"
  ) </dev/null >>"$DIR/log/$name.out" 2>&1 &
  local pid=$! i
  # Up to 10 s: where setsid forks (its caller leads a process group, as under job control) the daemon is
  # found by its pidfile, which slurmctld writes only after loading its plugins — 0.9 s after launch on
  # a slow Zen 3 host, where the former 1 s wait gave up on a daemon that was starting.
  for i in $(seq 500); do
    alive "$name" "$pid" && break
    [ -s "$own" ] && alive "$name" "$(cat "$own")" && { pid="$(cat "$own")"; break; }
    sleep 0.02
  done
  echo "$pid" >"$DIR/run/$name.pid"
  alive "$name" "$pid" || { say "$name did not start; the end of $DIR/log/$name.out:"; tail -n 20 "$DIR/log/$name.out" >&2; return 1; }
}

probe_job() {
  local id i state
  id="$(sbatch --parsable -o /dev/null -e /dev/null -J slurm-local-probe --wrap true)" || return 1
  id="${id%%;*}"
  for i in $(seq 300); do  # 30 s; polling squeue returns at once, unlike sbatch --wait's backoff
    state="$(squeue -h -j "$id" -t all -o %T 2>/dev/null || true)"
    case "$state" in
      COMPLETED) return 0 ;;
      FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE) say "probe job $id ended $state"; return 1 ;;
    esac
    sleep 0.1
  done
  say "probe job $id did not finish within 30 s (state ${state:-unknown})"; return 1
}

wait_idle() {
  local i state
  for i in $(seq 300); do
    state="$(sinfo -h -N -o %t 2>/dev/null | head -n1 || true)"
    [ "$state" = idle ] && return 0
    case "$state" in inval*|drain*|down*) [ "$i" -gt 50 ] && break ;; esac
    sleep 0.1
  done
  say "the node is not idle (sinfo: ${state:-no answer}); see $DIR/log/slurmd.log and slurmctld.log"; return 1
}

failed_start() { stop_daemons quiet; die "start failed; the daemons it started are stopped (logs in $DIR/log)"; }

start() {
  local t0=$SECONDS
  if running; then
    probe_job || die "the cluster in $DIR runs but a batch job does not; try stop then start"
    say "already running ($DIR)"; echo "SLURM_CONF=$SLURM_CONF"; return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "must run as root (the daemons run as root; no systemd is used)"
  stop_daemons quiet  # a half-dead earlier start
  install_packages
  for p in "$PORT" $((PORT + 1)); do
    if ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then die "port $p is in use (set SLURM_LOCAL_PORT to another base port)"; fi
  done
  rm -rf "$DIR/state" "$DIR/run"
  mkdir -p "$DIR"/{etc,log,run,state/ctld,state/slurmd,munge/key}
  # munged accepts only: the socket's directory open to all (755), the key's private (700).
  chmod 755 "$DIR" "$DIR/munge"; chmod 700 "$DIR/munge/key"
  [ -s "$DIR/munge/key/munge.key" ] || mungekey --create --keyfile="$DIR/munge/key/munge.key" --force >/dev/null
  chmod 600 "$DIR/munge/key/munge.key"
  write_config
  echo "export SLURM_CONF=$SLURM_CONF" >"$DIR/env"
  launch munged "$DIR/run/munged.own.pid" munged --foreground --socket="$DIR/munge/munge.socket.2" \
    --key-file="$DIR/munge/key/munge.key" --pid-file="$DIR/run/munged.own.pid" \
    --seed-file="$DIR/munge/key/munged.seed" --log-file="$DIR/log/munged.log" || failed_start
  for i in $(seq 100); do [ -S "$DIR/munge/munge.socket.2" ] && break; sleep 0.02; done
  launch slurmctld "$DIR/state/slurmctld.pid" slurmctld -D -f "$SLURM_CONF" || failed_start
  launch slurmd "$DIR/state/slurmd.pid" slurmd -D -f "$SLURM_CONF" -N "$(hostname)" || failed_start
  wait_idle || failed_start
  probe_job || failed_start
  say "running in $DIR (ready in $((SECONDS - t0)) s); clients: export SLURM_CONF=$SLURM_CONF"
  echo "SLURM_CONF=$SLURM_CONF"
}

# Stops the daemons recorded in DIR/run (slurmd first, munged last): SIGTERM, then SIGKILL after 10 s.
stop_daemons() {
  local d pid i stopped=()
  for d in slurmd slurmctld munged; do
    pid="$(pid_of "$d")"
    if alive "$d" "$pid"; then kill -TERM "$pid" 2>/dev/null || true; stopped+=("$d:$pid"); fi
  done
  for d in "${stopped[@]}"; do
    pid="${d#*:}"
    for i in $(seq 100); do alive "${d%%:*}" "$pid" || break; sleep 0.1; done
    if alive "${d%%:*}" "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  rm -f "$DIR"/run/*.pid
  [ "${1:-}" = quiet ] || say "stopped${stopped[*]:+ ${stopped[*]}}"
}

stop() {
  # Jobs first, so no job step outlives slurmd (linuxproc tracks them; slurmd signals them on cancel).
  if running; then
    scancel --quiet --full --user=root 2>/dev/null || true
    local i; for i in $(seq 100); do [ -z "$(squeue -h -t R,CG -o %i 2>/dev/null)" ] && break; sleep 0.1; done
  fi
  stop_daemons
}

status() {
  if running; then
    say "running in $DIR (munged $(pid_of munged), slurmctld $(pid_of slurmctld), slurmd $(pid_of slurmd))"
    sinfo -h -N -o '%N %t %c CPUs' >&2 || true
    echo "SLURM_CONF=$SLURM_CONF"
  else
    say "not running ($DIR)"; return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status   (folder: \$SLURM_LOCAL_DIR, default .build/slurm-local)" >&2; exit 2 ;;
esac
