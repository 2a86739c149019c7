package dev.resilienthttp.faults.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void parsesObjectsArraysAndScalarsInDocumentOrder() throws JsonException {
        Object value = JsonReader.parse(" {\"b\": [1, -2.5e1, true, null], \"a\": \"x\\u00e9\\n\"} ");

        assertThat(value).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        assertThat(map.keySet()).containsExactly("b", "a");
        assertThat(map.get("b")).isEqualTo(Arrays.asList(new BigDecimal("1"), new BigDecimal("-2.5e1"), true, null));
        assertThat(map.get("a")).isEqualTo("x\u00e9\n");
    }

    @Test
    void emptyDocumentIsEofLikeGo() {
        assertThatThrownBy(() -> JsonReader.parse("  ")).isInstanceOf(JsonException.class).hasMessage("EOF");
    }

    @Test
    void errorsNameTheProblemAndItsPosition() {
        assertThatThrownBy(() -> JsonReader.parse("{\n  \"a\": x}"))
                .hasMessage("invalid character 'x' looking for the beginning of a value at line 2, column 8");
        assertThatThrownBy(() -> JsonReader.parse("{\"a\":1,}"))
                .hasMessage("expecting a string key, found '}' at line 1, column 8");
        assertThatThrownBy(() -> JsonReader.parse("{\"a\":1"))
                .hasMessageStartingWith("expecting ',' or '}' after an object value, found end of input");
    }

    @Test
    void rejectsWhatStrictJsonForbids() {
        for (String bad : List.of("[1,]", "01", "1.", "-", "{'a':1}", "[1] [2]", "\"tab\there\"", "\"\\x\"",
                "// comment\n{}", "NaN", "tru", "\"open")) {
            assertThatThrownBy(() -> JsonReader.parse(bad)).as(bad).isInstanceOf(JsonException.class);
        }
    }

    @Test
    void refusesNestingDeeperThanSixtyFourLevels() {
        assertThatThrownBy(() -> JsonReader.parse("[".repeat(65) + "]".repeat(65)))
                .hasMessageStartingWith("nesting deeper than 64 levels");
    }
}
