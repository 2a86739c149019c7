package dev.resilienthttp.faults.internal.toxic;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The toxic types the server knows, with their attribute names (Toxiproxy 2.12's registry, plus
 * our own {@code idle_reset}).
 */
public enum ToxicType {
    LATENCY("latency", LatencyStage::new, "latency", "jitter"),
    BANDWIDTH("bandwidth", BandwidthStage::new, "rate"),
    SLOW_CLOSE("slow_close", SlowCloseStage::new, "delay"),
    TIMEOUT("timeout", TimeoutStage::new, "timeout"),
    RESET_PEER("reset_peer", ResetPeerStage::new, "timeout"),
    SLICER("slicer", SlicerStage::new, "average_size", "size_variation", "delay"),
    LIMIT_DATA("limit_data", LimitDataStage::new, "bytes"),
    NOOP("noop", PassThroughStage::new),
    /**
     * Ours, not Toxiproxy's: a NAT gateway that forgets idle connections. Its effect needs both
     * directions, so the connection applies it (see the proxy package); its stage passes data.
     */
    IDLE_RESET("idle_reset", PassThroughStage::new, "idle_ms");

    private final String wireName;
    private final Supplier<Stage> stages;
    private final List<String> attributeNames;

    ToxicType(String wireName, Supplier<Stage> stages, String... attributeNames) {
        this.wireName = wireName;
        this.stages = stages;
        this.attributeNames = List.of(attributeNames);
    }

    /** Go looks types up in its registry by exact name. */
    public static Optional<ToxicType> byWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public String wireName() {
        return wireName;
    }

    public List<String> attributeNames() {
        return attributeNames;
    }

    /** Every attribute at zero, as Go's zeroed struct starts. */
    public Map<String, Long> zeroAttributes() {
        Map<String, Long> zeros = new LinkedHashMap<>();
        attributeNames.forEach(name -> zeros.put(name, 0L));
        return zeros;
    }

    public Stage newStage() {
        return stages.get();
    }

    /**
     * Values Go accepts but then crashes or hangs on; we refuse them with a 400 instead (a
     * documented deviation the spec allows). Empty when the attributes are usable.
     */
    public Optional<String> problem(Map<String, Long> attributes) {
        switch (this) {
            case SLICER: {
                long average = attributes.get("average_size");
                long variation = attributes.get("size_variation");
                if (average < 1) {
                    return Optional.of("slicer average_size must be at least 1, got " + average);
                }
                if (variation < 0 || variation >= average) {
                    return Optional.of("slicer size_variation must be at least 0 and less than average_size ("
                            + average + "), got " + variation);
                }
                return Optional.empty();
            }
            case BANDWIDTH:
                return attributes.get("rate") < 0
                        ? Optional.of("bandwidth rate must not be negative, got " + attributes.get("rate"))
                        : Optional.empty();
            case IDLE_RESET:
                return attributes.get("idle_ms") < 0
                        ? Optional.of("idle_reset idle_ms must not be negative, got " + attributes.get("idle_ms"))
                        : Optional.empty();
            default:
                return Optional.empty();
        }
    }
}
