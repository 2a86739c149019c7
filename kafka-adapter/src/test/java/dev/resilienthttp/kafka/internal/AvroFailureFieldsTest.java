package dev.resilienthttp.kafka.internal;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroFailureFieldsTest {
    private final AvroFailureFields fields = new AvroFailureFields(TestSchemas.ARTICLE, "event.fail_count",
            "event.fail_reason");

    @Test
    void readsTheCountOfTheNestedEventRecord() {
        assertThat(fields.failCount(TestSchemas.article("a", 2), new RecordHeaders())).isEqualTo(2);
    }

    @Test
    void writesCountAndReasonIntoACopyAndLeavesTheConsumedValueAlone() {
        GenericRecord consumed = TestSchemas.article("a", 1);
        GenericRecord routed = fields.write(consumed, new RecordHeaders(), 2, "SERVER_ERROR after 6 attempts");
        GenericRecord event = (GenericRecord) routed.get("event");
        assertThat(event.get("fail_count")).isEqualTo(2);
        assertThat(event.get("fail_reason")).hasToString("SERVER_ERROR after 6 attempts");
        assertThat(((GenericRecord) consumed.get("event")).get("fail_count")).isEqualTo(1);
        assertThat(GenericData.get().validate(TestSchemas.ARTICLE, routed)).isTrue();
    }

    @Test
    void aSchemaWithoutTheEventRecordIsRefusedNamingItsFields() {
        Schema noEvent = SchemaBuilder.record("ArticleUpdate").fields().requiredString("article_id")
                .requiredString("title").endRecord();
        assertThatThrownBy(() -> new AvroFailureFields(noEvent, "event.fail_count", "event.fail_reason"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema ArticleUpdate has no field 'event' on the path 'event.fail_count'; its fields are "
                        + "article_id, title");
    }

    @Test
    void anEventThatIsNotARecordIsRefused() {
        Schema flat = SchemaBuilder.record("ArticleUpdate").fields().requiredString("event").endRecord();
        assertThatThrownBy(() -> new AvroFailureFields(flat, "event.fail_count", "event.fail_reason"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'event' on the path 'event.fail_count' must be a record");
    }

    @Test
    void aCountThatIsNotANumberIsRefused() {
        Schema wrong = SchemaBuilder.record("A").fields().name("event").type().record("E").fields()
                .requiredString("fail_count").optionalString("fail_reason").endRecord().noDefault().endRecord();
        assertThatThrownBy(() -> new AvroFailureFields(wrong, "event.fail_count", "event.fail_reason"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'event.fail_count' in A must be an int or a long");
    }

    @Test
    void aLongCountAndTopLevelPathsWork() {
        Schema flat = SchemaBuilder.record("A").fields().requiredLong("fails").optionalString("why").endRecord();
        AvroFailureFields topLevel = new AvroFailureFields(flat, "fails", "why");
        GenericRecord value = new GenericData.Record(flat);
        value.put("fails", 4L);
        GenericRecord routed = topLevel.write(value, new RecordHeaders(), 5, "why not");
        assertThat(routed.get("fails")).isEqualTo(5L);
        assertThat(topLevel.failCount(routed, new RecordHeaders())).isEqualTo(5);
    }

    @Test
    void aValueWhoseEventIsNullCannotCarryTheFieldsAndSaysSo() {
        Schema optional = SchemaBuilder.record("ArticleUpdate").fields().requiredString("article_id")
                .name("event").type().optional().type(TestSchemas.ARTICLE.getField("event").schema()).endRecord();
        AvroFailureFields optionalFields = new AvroFailureFields(optional, "event.fail_count", "event.fail_reason");
        GenericRecord value = new GenericData.Record(optional);
        value.put("article_id", "a");
        assertThatThrownBy(() -> optionalFields.failCount(value, new RecordHeaders()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the value (ArticleUpdate) has no 'event' record (it is null), so it cannot carry "
                        + "'event.fail_count'");
        assertThatThrownBy(() -> optionalFields.failCount(null, new RecordHeaders()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tombstone");
    }
}
