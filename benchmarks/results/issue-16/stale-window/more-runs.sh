#!/bin/bash
# Three more 1-thread runs of the jar built at 01f0a16, one after the other.
cd /tmp/jmh16b
# /tmp/bench-after.jar: benchmarks.jar built at 01f0a16
for r in 1 2 3; do
  (uptime; date) >> run.log
  java -jar /tmp/bench-after.jar 'OverheadBenchmark.(rawJdk|resilientStandard)$' -t 1 -bm thrpt -prof gc -rf json -rff run$r-t1.json > run$r-t1.log 2>&1
done
(uptime; date) >> run.log
echo DONE >> run.log
