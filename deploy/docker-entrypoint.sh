#!/bin/sh
# Runs a ferry command in the container. A cluster member must advertise an address the other members
# reach; in a container that is its own IP address, which differs for every replica of a scaled
# service, so it is found here unless FERRY_CLUSTER_HOST is set.
set -eu
if [ -z "${FERRY_CLUSTER_HOST:-}" ]; then
  FERRY_CLUSTER_HOST="$(hostname -i | awk '{print $1}')"
  export FERRY_CLUSTER_HOST
fi
# On two CPUs or fewer (the container's CPU quota counts) the serial garbage collector, unless
# FERRY_JAVA_OPTS names one: there G1's concurrent threads and barriers cost Ferry about a third of its CPU.
cpus="$(nproc 2>/dev/null || echo 4)"
if [ -r /sys/fs/cgroup/cpu.max ]; then
  read -r quota period < /sys/fs/cgroup/cpu.max || true
  if [ "${quota:-max}" != "max" ] && [ "${period:-0}" -gt 0 ]; then
    cpus=$(( (quota + period - 1) / period ))
  fi
fi
case "${FERRY_JAVA_OPTS:-}" in
  *-XX:+Use*GC*) ;;
  *) if [ "$cpus" -le 2 ]; then FERRY_JAVA_OPTS="-XX:+UseSerialGC ${FERRY_JAVA_OPTS:-}"; fi ;;
esac
# `cluster init --if-missing`-style: the compose file's one-off init service must not fail on a second `up`.
if [ "${1:-}" = "cluster-init-once" ]; then
  dir="${2:?usage: cluster-init-once DIR}"
  if [ -f "$dir/member.p12" ]; then
    echo "cluster credentials already in $dir"
    exit 0
  fi
  exec java -Dfile.encoding=UTF-8 ${FERRY_JAVA_OPTS:-} -jar /opt/ferry/ferry.jar cluster init --out "$dir"
fi
exec java -Dfile.encoding=UTF-8 ${FERRY_JAVA_OPTS:-} -jar /opt/ferry/ferry.jar "$@"
