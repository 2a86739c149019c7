package dev.resilienthttp.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.LimitData;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import eu.rekawek.toxiproxy.model.toxic.SlowClose;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Toxic CRUD and merge updates through toxiproxy-java (spec §2.8-2.10, §5.4 J9-J20, §5.1 A15-A24, A39). */
@ToxiproxyTest
class ToxicApiTest {
    private Proxy proxy;

    @BeforeEach
    void createProxy(ToxiproxyClient client) throws IOException {
        proxy = client.createProxy("toxic-api", "127.0.0.1:0", "127.0.0.1:1");
    }

    @Test
    void newProxyHasNoToxics() throws IOException {
        assertThat(proxy.toxics().getAll()).isEmpty();
    }

    @Test
    void bandwidthToxicReadsBackWithFullToxicityAndItsStream() throws IOException {
        proxy.toxics().bandwidth("my-toxic", ToxicDirection.DOWNSTREAM, 100);

        Bandwidth toxic = proxy.toxics().get("my-toxic", Bandwidth.class);

        assertThat(toxic.getRate()).isEqualTo(100);
        assertThat(toxic.getToxicity()).isEqualTo(1.0f);
        assertThat(toxic.getStream()).isEqualTo(ToxicDirection.DOWNSTREAM);
    }

    @Test
    void setToxicityKeepsTheAttributes() throws IOException {
        Bandwidth toxic = proxy.toxics().bandwidth("my-toxic", ToxicDirection.UPSTREAM, 100);

        toxic.setToxicity(0.1f);

        Bandwidth fetched = proxy.toxics().get("my-toxic", Bandwidth.class);
        assertThat(fetched.getToxicity()).isEqualTo(0.1f);
        assertThat(fetched.getRate()).isEqualTo(100);
    }

    @Test
    void toxicsAreListedUpstreamFirstEachInInsertionOrder() throws IOException {
        proxy.toxics().bandwidth("down-1", ToxicDirection.DOWNSTREAM, 100);
        proxy.toxics().bandwidth("up-1", ToxicDirection.UPSTREAM, 200);
        proxy.toxics().latency("down-2", ToxicDirection.DOWNSTREAM, 5);
        proxy.toxics().latency("up-2", ToxicDirection.UPSTREAM, 5);

        List<String> names = proxy.toxics().getAll().stream().map(Toxic::getName).collect(Collectors.toList());

        assertThat(names).containsExactly("up-1", "up-2", "down-1", "down-2");
    }

    @Test
    void removedToxicIsGone() throws IOException {
        Toxic toxic = proxy.toxics().timeout("gone", ToxicDirection.DOWNSTREAM, 100);
        assertThat(proxy.toxics().getAll()).hasSize(1);

        toxic.remove();

        assertThat(proxy.toxics().getAll()).isEmpty();
        assertThatThrownBy(() -> proxy.toxics().get("gone"))
                .isInstanceOf(IOException.class).hasMessageContaining("[404] toxic not found");
    }

    @Test
    void sameToxicNameInTheOtherDirectionGives409() throws IOException {
        proxy.toxics().latency("taken", ToxicDirection.DOWNSTREAM, 10);

        assertThatThrownBy(() -> proxy.toxics().bandwidth("taken", ToxicDirection.UPSTREAM, 10))
                .isInstanceOf(IOException.class).hasMessageContaining("[409] toxic already exists");
        assertThat(proxy.toxics().get("taken", Latency.class).getLatency()).isEqualTo(10);
    }

    @Test
    void latencyUpdatesMergeOneAttributeAtATime() throws IOException {
        Latency toxic = proxy.toxics().latency("lag", ToxicDirection.DOWNSTREAM, 100);
        assertThat(toxic.getJitter()).isZero();

        toxic.setLatency(200);
        toxic.setJitter(10);

        Latency fetched = proxy.toxics().get("lag", Latency.class);
        assertThat(fetched.getLatency()).isEqualTo(200);
        assertThat(fetched.getJitter()).isEqualTo(10);
    }

    @Test
    void slicerUpdatesMergeOneAttributeAtATime() throws IOException {
        Slicer toxic = proxy.toxics().slicer("cut", ToxicDirection.DOWNSTREAM, 100, 10);

        toxic.setAverageSize(200);
        toxic.setDelay(20);
        toxic.setSizeVariation(5);

        Slicer fetched = proxy.toxics().get("cut", Slicer.class);
        assertThat(fetched.getAverageSize()).isEqualTo(200);
        assertThat(fetched.getDelay()).isEqualTo(20);
        assertThat(fetched.getSizeVariation()).isEqualTo(5);
    }

    @Test
    void everyOtherTypeUpdatesItsSingleAttribute() throws IOException {
        Bandwidth bandwidth = proxy.toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, 100);
        SlowClose slowClose = proxy.toxics().slowClose("sc", ToxicDirection.DOWNSTREAM, 100);
        Timeout timeout = proxy.toxics().timeout("to", ToxicDirection.UPSTREAM, 100);
        LimitData limitData = proxy.toxics().limitData("ld", ToxicDirection.UPSTREAM, 100);
        ResetPeer resetPeer = proxy.toxics().resetPeer("rp", ToxicDirection.DOWNSTREAM, 100);

        bandwidth.setRate(200);
        slowClose.setDelay(200);
        timeout.setTimeout(200);
        limitData.setBytes(200);
        resetPeer.setTimeout(200);

        assertThat(proxy.toxics().get("bw", Bandwidth.class).getRate()).isEqualTo(200);
        assertThat(proxy.toxics().get("sc", SlowClose.class).getDelay()).isEqualTo(200);
        assertThat(proxy.toxics().get("to", Timeout.class).getTimeout()).isEqualTo(200);
        assertThat(proxy.toxics().get("ld", LimitData.class).getBytes()).isEqualTo(200);
        assertThat(proxy.toxics().get("rp", ResetPeer.class).getTimeout()).isEqualTo(200);
    }

    @Test
    void limitDataAndResetPeerReadBackAttributesAndStream() throws IOException {
        proxy.toxics().limitData("limit", ToxicDirection.UPSTREAM, 1234);
        proxy.toxics().resetPeer("reset", ToxicDirection.DOWNSTREAM, 42);

        LimitData limit = proxy.toxics().get("limit", LimitData.class);
        ResetPeer reset = proxy.toxics().get("reset", ResetPeer.class);

        assertThat(limit.getBytes()).isEqualTo(1234);
        assertThat(limit.getStream()).isEqualTo(ToxicDirection.UPSTREAM);
        assertThat(reset.getTimeout()).isEqualTo(42);
        assertThat(reset.getStream()).isEqualTo(ToxicDirection.DOWNSTREAM);
    }

    @Test
    void toxicOfAnUnknownProxyGives404() throws IOException {
        proxy.delete();

        assertThatThrownBy(() -> proxy.toxics().latency("late", ToxicDirection.DOWNSTREAM, 1))
                .isInstanceOf(IOException.class).hasMessageContaining("[404] proxy not found");
    }
}
