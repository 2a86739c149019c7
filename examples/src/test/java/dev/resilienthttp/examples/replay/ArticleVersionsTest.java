package dev.resilienthttp.examples.replay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArticleVersionsTest {
    private final ArticleVersions versions = new ArticleVersions();

    @Test
    void countsAnUpdateOlderThanOneAlreadyAcceptedAsOutOfOrder() {
        assertThat(versions.accept("article-1", 1)).isTrue();
        assertThat(versions.accept("article-1", 3)).isTrue();

        assertThat(versions.accept("article-1", 2)).isFalse();

        assertThat(versions.outOfOrder()).isOne();
    }

    @Test
    void doesNotCountARetryOfTheVersionLastAccepted() {
        versions.accept("article-1", 1);
        versions.accept("article-1", 2);

        assertThat(versions.accept("article-1", 2)).isTrue();

        assertThat(versions.outOfOrder()).isZero();
    }

    @Test
    void keepsTheHighestVersionAcceptedSoAnOlderUpdateAfterAnOutOfOrderOneIsCountedToo() {
        versions.accept("article-1", 3);
        versions.accept("article-1", 1);

        assertThat(versions.accept("article-1", 2)).as("still older than 3").isFalse();
        assertThat(versions.accept("article-1", 4)).isTrue();

        assertThat(versions.outOfOrder()).isEqualTo(2);
    }

    @Test
    void checksEachArticleOnlyAgainstItsOwnVersions() {
        versions.accept("article-1", 5);

        assertThat(versions.accept("article-2", 1)).isTrue();

        assertThat(versions.outOfOrder()).isZero();
    }
}
