package dev.resilienthttp.examples.replay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API's check of update order: per article, the highest version it has accepted. An update with a lower version
 * than one already accepted arrived out of order: a pipeline let an older update overtake a newer one of the same
 * article (Kafka delivers an article's updates in order, keyed by article id, so the pipeline reordered them). The
 * API still accepts it, as an API that does not check versions would, and counts it. The same version again (a
 * retry, or a duplicate) is not out of order. Thread-safe.
 */
final class ArticleVersions {
    private final Map<String, Integer> highest = new ConcurrentHashMap<>();
    private final AtomicInteger outOfOrder = new AtomicInteger();

    /**
     * Accepts {@code version} of the article.
     *
     * @return false when a higher version of the article was accepted before: the update is counted out of order
     */
    boolean accept(String articleId, int version) {
        // merge is atomic: the result is the highest version of all accepted so far, this one included.
        if (highest.merge(articleId, version, Integer::max) > version) {
            outOfOrder.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Updates accepted after a higher version of the same article. */
    int outOfOrder() {
        return outOfOrder.get();
    }
}
