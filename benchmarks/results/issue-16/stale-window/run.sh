#!/bin/bash
cd /tmp/jmh16
# /tmp/bench-after.jar: benchmarks.jar built at 01f0a16; /tmp/bench-before.jar: built at 78c02d6
for t in 1 4; do
  (uptime; date) >> run.log
  java -jar /tmp/bench-after.jar 'OverheadBenchmark.(rawJdk|resilientStandard)$' -t $t -bm thrpt -prof gc -rf json -rff after-t$t.json > after-t$t.log 2>&1
  (uptime; date) >> run.log
  java -jar /tmp/bench-before.jar 'OverheadBenchmark.(resilientStandard)$' -t $t -bm thrpt -prof gc -rf json -rff before-t$t.json > before-t$t.log 2>&1
done
(uptime; date) >> run.log
echo DONE >> run.log
