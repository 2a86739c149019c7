package dev.resilienthttp.retry;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.fixtures.Responses;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The status table in the README is the code's: every row's statuses are judged as the row says, and "retried"
 * means transient. A row that names "other 5xx" or "other 4xx" is checked on the examples it gives.
 */
class StatusTableTest {
    private static final Pattern STATUS = Pattern.compile("\\b([1-5]\\d\\d)\\b");

    private static ResponseInfo info(int status, boolean retryAfter) {
        return retryAfter ? Responses.info(status, "Retry-After", "1") : Responses.info(status);
    }

    private static List<String[]> readmeRows() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int table = readme.indexOf("<!-- status-table -->");
        assertThat(table).as("the README's status table is marked").isNotNegative();
        List<String[]> rows = new ArrayList<>();
        for (String line : readme.substring(table).lines().skip(3).toList()) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|");
            rows.add(new String[] {cells[1].trim(), cells[2].trim().replace("`", ""), cells[3].trim()});
        }
        return rows;
    }

    @Test
    void everyRowOfTheReadmesStatusTableIsWhatThePolicyJudgesAndRetries() throws IOException {
        RetryPolicy policy = RetryPolicy.standard();
        List<String[]> rows = readmeRows();
        assertThat(rows).hasSize(7);
        for (String[] row : rows) {
            boolean withRetryAfter = row[0].contains("with `Retry-After`");
            Matcher statuses = STATUS.matcher(row[0]);
            int checked = 0;
            while (statuses.find()) {
                int status = Integer.parseInt(statuses.group(1));
                Optional<FailureKind> kind = policy.classify(info(status, withRetryAfter));
                if (row[1].equals("success")) {
                    assertThat(kind).as(row[0]).isEmpty();
                } else {
                    assertThat(kind).as("%s (%d)", row[0], status).hasValue(FailureKind.valueOf(row[1]));
                    boolean retried = row[2].startsWith("yes");
                    if (kind.get() != FailureKind.FORBIDDEN) {
                        assertThat(kind.get().isTransient()).as("%s: retried is transient", row[0]).isEqualTo(retried);
                    }
                }
                checked++;
            }
            if (row[0].startsWith("2xx")) {
                assertThat(policy.classify(info(204, false))).isEmpty();
                assertThat(policy.classify(info(302, false))).isEmpty();
                checked++;
            }
            assertThat(checked).as("row %s names statuses", row[0]).isPositive();
        }
    }

    @Test
    void aStatusMappedToARetriedKindIsRetriedAndOnlyStatusKindsMayBeMapped() {
        RetryPolicy policy = RetryPolicy.builder().statusKind(409, FailureKind.SERVER_ERROR).build();

        assertThat(policy.classify(info(409, false))).hasValue(FailureKind.SERVER_ERROR);
        assertThat(FailureKind.SERVER_ERROR.isTransient()).isTrue();
        assertThatThrownBy(() -> RetryPolicy.builder().statusKind(500, FailureKind.STALE_CONNECTION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STALE_CONNECTION is not a kind a status can be");
    }
}
