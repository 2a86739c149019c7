package dev.resilienthttp.examples.replay;

import java.util.List;

/**
 * One run's topics, prefixed with the client's name so that the two runs never see each other's records: the
 * source topic of article updates, the error (retry) topic, the dead-letter topic, and the enriched articles the
 * pipeline produces for each event it processed.
 */
record Topics(String source, String error, String deadLetter, String enriched) {
    static Topics of(String client) {
        return new Topics(client + ".article-update", client + ".article-update-error",
                client + ".article-update-dlt", client + ".article-enriched");
    }

    List<String> all() {
        return List.of(source, error, deadLetter, enriched);
    }
}
