package dev.resilienthttp.kafka;

/**
 * One {@code KAFKA-NUMBERS} line per test with its counts (surefire writes stdout to
 * {@code target/surefire-reports/*-output.txt}). Printed before the assertions, so a failing run still says what it saw.
 */
final class KafkaNumbers {
    private KafkaNumbers() {
    }

    static void print(String test, String counts) {
        System.out.println("KAFKA-NUMBERS " + test + ": " + counts);
        System.out.flush();
    }
}
