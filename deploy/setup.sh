#!/bin/sh
# The compose setup's one-off job: once the control plane answers, creates the source and destination
# connections and the job shop -> shop_copy through the API (the ferry command line), unless a job
# named "shop" exists already. Needs FERRY_URL, FERRY_TOKEN, SOURCE_REPL_PASSWORD, DESTINATION_FERRY_PASSWORD.
set -eu
ferry() { java -Dfile.encoding=UTF-8 -jar /opt/ferry/ferry.jar "$@"; }
id_of() { sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' | head -n 1; }

tries=0
until ferry jobs list --json > /tmp/jobs.json 2> /tmp/jobs.err; do
  code=$?
  if [ "$code" -ne 3 ]; then # 3: not answering yet; anything else (a refused token: 2) will not change
    cat /tmp/jobs.err >&2
    exit "$code"
  fi
  tries=$((tries + 1))
  if [ "$tries" -gt 60 ]; then
    echo "the control plane at $FERRY_URL did not answer within 5 minutes" >&2
    exit 1
  fi
  sleep 5
done
if grep -q '"name" *: *"shop"' /tmp/jobs.json; then
  echo "job shop exists already"
  exit 0
fi
src=$(FERRY_CONNECTION_PASSWORD="$SOURCE_REPL_PASSWORD" ferry connections create --json --name mysql-source \
  --host source --port 3306 --user ferry_repl --tls required | id_of)
dst=$(FERRY_CONNECTION_PASSWORD="$DESTINATION_FERRY_PASSWORD" ferry connections create --json --name mysql-destination \
  --host destination --port 3306 --user ferry --tls required | id_of)
ferry connections check "$src"
ferry jobs create --name shop --source "$src" --destination "$dst" --include 'shop.*' --map shop=shop_copy
