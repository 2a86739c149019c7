#!/bin/bash
cd /tmp/async
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for jdk in 17 25; do
  JAVA=java; [ $jdk = 25 ] && JAVA=$J25
  for jar in before after; do
    JARF=/tmp/bench-$jar.jar; [ $jar = after ] && JARF=/tmp/bench-async.jar
    M='OverheadBenchmark.(rawJdkAsync|resilientStandardAsync)$'; [ $jar = after ] && M='OverheadBenchmark.(resilientStandardAsync)$'
    (uptime; date) >> run.log
    echo "== jdk$jdk $jar $M" >> run.log
    $JAVA -jar $JARF "$M" -t 1 -bm thrpt -prof gc -rf json -rff jdk$jdk-$jar-t1.json > jdk$jdk-$jar-t1.log 2>&1
  done
done
(uptime; date) >> run.log
echo DONE >> run.log
