package dev.resilienthttp.examples.replay;

import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ScenarioTest {
    @Test
    void givesEachArticleItsUpdatesInIncreasingVersionsSpreadOverTheTraffic() {
        Scenario scenario = Scenario.draw(ReplayOptions.parse(new String[] {"--events", "10", "--bursts", "2",
                "--updates-per-article", "3"}));

        Map<String, List<Integer>> versions = versionsByArticle(scenario);
        assertThat(versions).hasSize(4);
        assertThat(versions.get("article-00001")).containsExactly(1, 2, 3);
        assertThat(versions.get("article-00002")).containsExactly(1, 2, 3);
        assertThat(versions.get("article-00003")).as("the last round is short").containsExactly(1, 2);
        assertThat(versions.get("article-00004")).containsExactly(1, 2);
        assertThat(scenario.events().subList(0, 4)).as("round 1 first").allMatch(e -> ArticleEvents.version(e) == 1);
    }

    @Test
    void withOneUpdatePerArticleEveryEventIsItsOwnArticlesFirstVersion() {
        Scenario scenario = Scenario.draw(ReplayOptions.parse(new String[] {"--events", "50"}));

        Map<String, List<Integer>> versions = versionsByArticle(scenario);
        assertThat(versions).hasSize(50).allSatisfy((article, v) -> assertThat(v).containsExactly(1));
    }

    @Test
    void deletesWholeArticlesSoEveryUpdateOfADeletedArticleMeetsA404() {
        Scenario scenario = Scenario.draw(ReplayOptions.parse(new String[] {"--events", "400", "--deleted-rate",
                "0.2", "--updates-per-article", "4"}));

        assertThat(scenario.deleted()).isNotEmpty().allMatch(id -> versionsByArticle(scenario).containsKey(id));
        assertThat(scenario.events().stream().filter(e -> scenario.deleted().contains(ArticleEvents.articleId(e))))
                .hasSize(4 * scenario.deleted().size());
    }

    private static Map<String, List<Integer>> versionsByArticle(Scenario scenario) {
        Map<String, List<Integer>> versions = new LinkedHashMap<>();
        for (GenericRecord event : scenario.events()) {
            versions.computeIfAbsent(ArticleEvents.articleId(event), id -> new ArrayList<>())
                    .add(ArticleEvents.version(event));
        }
        return versions;
    }
}
