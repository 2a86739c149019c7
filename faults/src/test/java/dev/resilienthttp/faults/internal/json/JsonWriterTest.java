package dev.resilienthttp.faults.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void writesCompactlyInMapOrder() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", 1L);
        map.put("a", Arrays.asList("q\"\\\n\u0001", true, null));

        assertThat(JsonWriter.write(map)).isEqualTo("{\"z\":1,\"a\":[\"q\\\"\\\\\\n\\u0001\",true,null]}");
    }

    @Test
    void floatsAreShortestWithoutFractionForWholeNumbersLikeGo() {
        assertThat(JsonWriter.write(1f)).isEqualTo("1");
        assertThat(JsonWriter.write(0.5f)).isEqualTo("0.5");
        assertThat(JsonWriter.write(0.1f)).isEqualTo("0.1");
        assertThat(JsonWriter.write(0f)).isEqualTo("0");
    }

    @Test
    void writtenTextReadsBackTheSame() throws JsonException {
        String text = "{\"name\":\"\u00e9t\u00e9 \\\"quoted\\\"\",\"list\":[1,2.5,false]}";

        assertThat(JsonWriter.write(JsonReader.parse(text))).isEqualTo(text);
    }
}
