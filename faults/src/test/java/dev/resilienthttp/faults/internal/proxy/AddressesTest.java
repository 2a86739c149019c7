package dev.resilienthttp.faults.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void localhostResolvesToIpv4Loopback() throws Exception {
        assertThat(Addresses.resolvedForm("localhost:3310")).isEqualTo("127.0.0.1:3310");
        assertThat(Addresses.resolvedForm("127.0.0.1:0")).isEqualTo("127.0.0.1:0");
    }

    @Test
    void boundAddressesPrintLikeGo() throws Exception {
        assertThat(Addresses.print(InetAddress.getByName("0.0.0.0"), 8080)).isEqualTo("[::]:8080");
        assertThat(Addresses.print(InetAddress.getByName("::1"), 8080)).isEqualTo("[::1]:8080");
        assertThat(Addresses.print(InetAddress.getByName("127.0.0.1"), 8080)).isEqualTo("127.0.0.1:8080");
        assertThat(Addresses.print(InetAddress.getByName("fe80:0:0:0:1:0:0:2"), 1)).isEqualTo("[fe80::1:0:0:2]:1");
        assertThat(Addresses.print(InetAddress.getByName("2001:db8:0:0:0:0:0:0"), 1)).isEqualTo("[2001:db8::]:1");
    }

    @Test
    void addressesWithoutPortOrWithTooManyColonsAreRefusedWithGosText() {
        assertThatThrownBy(() -> Addresses.forListen("local373")).hasMessage("address local373: missing port in address");
        assertThatThrownBy(() -> Addresses.forListen("::1:80")).hasMessage("address ::1:80: too many colons in address");
        assertThatThrownBy(() -> Addresses.forListen("127.0.0.1:99999")).hasMessageContaining("invalid port");
    }
}
