package dev.resilienthttp.kafka.internal;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** A dotted path to a field inside nested Avro records, e.g. {@code event.fail_count}. */
final class AvroPath {
    private final String path;
    private final List<String> steps;

    private AvroPath(String path, List<String> steps) {
        this.path = path;
        this.steps = steps;
    }

    static AvroPath parse(String path) {
        Objects.requireNonNull(path, "path");
        List<String> steps = List.of(path.split("\\.", -1));
        if (steps.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("not a dotted field path: '" + path + "'");
        }
        return new AvroPath(path, steps);
    }

    String leaf() {
        return steps.get(steps.size() - 1);
    }

    @Override
    public String toString() {
        return path;
    }

    /** The schema of the leaf field (without a null branch), after checking every step exists in {@code root}. */
    Schema leafSchema(Schema root) {
        Schema record = root;
        for (int i = 0; i < steps.size(); i++) {
            Schema.Field field = record.getField(steps.get(i));
            if (field == null) {
                throw new IllegalArgumentException("schema " + record.getFullName() + " has no field '" + steps.get(i)
                        + "' on the path '" + path + "'; its fields are " + record.getFields().stream()
                        .map(Schema.Field::name).collect(Collectors.joining(", ")));
            }
            Schema type = withoutNull(field.schema());
            if (i == steps.size() - 1) {
                return type;
            }
            if (type.getType() != Schema.Type.RECORD) {
                throw new IllegalArgumentException("field '" + steps.get(i) + "' on the path '" + path
                        + "' must be a record, but is " + field.schema());
            }
            record = type;
        }
        throw new AssertionError("a path has at least one step");
    }

    /**
     * The record that holds the leaf field in {@code value}.
     *
     * @throws IllegalArgumentException if a record on the way is missing or null
     */
    GenericRecord parent(GenericRecord value) {
        GenericRecord record = value;
        for (int i = 0; i < steps.size() - 1; i++) {
            String step = steps.get(i);
            Object next = record.hasField(step) ? record.get(step) : null;
            if (!(next instanceof GenericRecord)) {
                throw new IllegalArgumentException("the value (" + value.getSchema().getFullName() + ") has no '"
                        + step + "' record" + (record.hasField(step) ? " (it is " + next + ")" : "")
                        + ", so it cannot carry '" + path + "'");
            }
            record = (GenericRecord) next;
        }
        if (!record.hasField(leaf())) {
            throw new IllegalArgumentException("the value (" + value.getSchema().getFullName() + ") has no field '"
                    + path + "'");
        }
        return record;
    }

    /** The one non-null branch of a {@code [null, T]} union, or the schema itself. */
    private static Schema withoutNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL)
                .collect(Collectors.toList());
        return branches.size() == 1 ? branches.get(0) : schema;
    }
}
