package dev.resilienthttp.faults.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonFieldsTest {
    @Test
    void keysMatchCaseInsensitivelyWithAnExactMatchWinning() throws JsonException {
        JsonFields fields = JsonFields.of(JsonReader.parse("{\"NAME\":\"upper\",\"Listen\":\"l\",\"listen\":\"exact\"}"), "body");

        assertThat(fields.string("name")).contains("upper");
        assertThat(fields.string("listen")).contains("exact");
    }

    @Test
    void nullAndMissingBothMeanKeepTheDefault() throws JsonException {
        JsonFields fields = JsonFields.of(JsonReader.parse("{\"enabled\":null}"), "body");

        assertThat(fields.bool("enabled")).isEmpty();
        assertThat(fields.bool("other")).isEmpty();
    }

    @Test
    void wrongTypesAndFractionsAreRefusedNamingTheField() throws JsonException {
        JsonFields fields = JsonFields.of(JsonReader.parse("{\"enabled\":\"yes\",\"latency\":1.5}"), "body");

        assertThatThrownBy(() -> fields.bool("enabled")).hasMessage("field \"enabled\" must be a boolean, got string");
        assertThatThrownBy(() -> fields.integer("latency"))
                .hasMessageStartingWith("field \"latency\" must be an integer");
    }
}
