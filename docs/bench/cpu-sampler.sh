#!/usr/bin/env bash
# Samples every 5 s, while a benchmark runs beside it: the time, the cumulative CPU seconds of mariadbd and of the
# benchmark's forked JVM (the app and its client), and InnoDB's buffer-pool page requests and fsyncs. Differences
# between two lines over a phase's window give cores used and work per second (docs/benchmarks.md, ingestion, ninth
# pass). Usage: docs/bench/cpu-sampler.sh > samples.txt &  (stop it with kill when the benchmark ends)
while true; do
  now=$(date +%s)
  mariadbd=$(ps -C mariadbd -o times= | awk '{s += $1} END {print s + 0}')
  jvm=$(ps -eo times=,args= | grep surefire | grep -v grep | awk '{s += $1} END {print s + 0}')
  status=$(mariadb -uroot -N -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_read_requests',
      'Innodb_data_fsyncs')" | awk '{printf "%s=%s ", $1, $2}')
  echo "$now mariadbd=$mariadbd jvm=$jvm $status"
  sleep 5
done
