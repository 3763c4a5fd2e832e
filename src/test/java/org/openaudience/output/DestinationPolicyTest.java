package org.openaudience.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.testsupport.TestHostResolver;

/** The address rules of webhooks without Spring: ranges, literal forms, the operator's settings. */
class DestinationPolicyTest {

    final TestHostResolver dns = new TestHostResolver();
    final DestinationPolicy byDefault = new DestinationPolicy(dns, false, "");

    @Test
    void each_blocked_range_is_named_and_public_addresses_pass() throws Exception {
        Map<String, AddressRange> expected = Map.ofEntries(
                Map.entry("127.0.0.1", AddressRange.LOOPBACK), Map.entry("127.255.0.9", AddressRange.LOOPBACK),
                Map.entry("10.0.0.5", AddressRange.PRIVATE), Map.entry("172.16.0.1", AddressRange.PRIVATE),
                Map.entry("172.31.255.255", AddressRange.PRIVATE), Map.entry("192.168.1.1", AddressRange.PRIVATE),
                Map.entry("100.64.0.1", AddressRange.CARRIER_GRADE_NAT),
                Map.entry("100.127.255.254", AddressRange.CARRIER_GRADE_NAT),
                Map.entry("169.254.169.254", AddressRange.LINK_LOCAL), Map.entry("0.0.0.0", AddressRange.UNSPECIFIED),
                Map.entry("224.0.0.1", AddressRange.MULTICAST), Map.entry("255.255.255.255", AddressRange.RESERVED),
                Map.entry("::1", AddressRange.LOOPBACK), Map.entry("::", AddressRange.UNSPECIFIED),
                Map.entry("fc00::1", AddressRange.PRIVATE), Map.entry("fd12:3456::1", AddressRange.PRIVATE),
                Map.entry("fe80::1", AddressRange.LINK_LOCAL), Map.entry("ff02::1", AddressRange.MULTICAST),
                Map.entry("::ffff:10.0.0.5", AddressRange.PRIVATE),
                Map.entry("::ffff:169.254.169.254", AddressRange.LINK_LOCAL),
                Map.entry("::127.0.0.1", AddressRange.LOOPBACK),
                Map.entry("64:ff9b::a9fe:a9fe", AddressRange.LINK_LOCAL),
                Map.entry("2002:7f00:1::", AddressRange.LOOPBACK));
        for (var entry : expected.entrySet()) {
            assertThat(AddressRange.of(InetAddress.getByName(entry.getKey()))).as(entry.getKey())
                    .hasValue(entry.getValue());
        }
        for (String address : new String[] {"93.184.216.34", "172.32.0.1", "100.128.0.1", "203.0.113.7",
                "2606:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822"}) {
            assertThat(AddressRange.of(InetAddress.getByName(address))).as(address).isEmpty();
        }
    }

    @Test
    void numbers_in_every_form_inet_aton_reads_are_the_address_it_reads() {
        assertThat(literal("2130706433")).isEqualTo("127.0.0.1");
        assertThat(literal("0177.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(literal("0x7f.1")).isEqualTo("127.0.0.1");
        assertThat(literal("0x7f000001")).isEqualTo("127.0.0.1");
        assertThat(literal("127.1")).isEqualTo("127.0.0.1");
        assertThat(literal("10.1.65535")).isEqualTo("10.1.255.255");
        assertThat(literal("017700000001")).isEqualTo("127.0.0.1");
        assertThat(IpLiteral.parse("256.1.1.1")).isEmpty();
        assertThat(IpLiteral.parse("08.1.1.1")).as("8 is no octal digit").isEmpty();
        assertThat(IpLiteral.isLiteral("cafe.example")).isFalse();
        assertThat(IpLiteral.isLiteral("0xcafe")).isTrue();
        assertThat(IpLiteral.canonical("203.0.113.7")).isTrue();
        assertThat(IpLiteral.canonical("0177.0.0.1")).isFalse();
        assertThat(IpLiteral.normalize("[::1]")).isEqualTo("::1");
        assertThat(IpLiteral.normalize("Hooks.Example.COM.")).isEqualTo("hooks.example.com");
    }

    @Test
    void at_save_a_blocked_literal_or_a_name_resolving_there_is_refused_and_an_unknown_name_passes() {
        assertThatThrownBy(() -> byDefault.checkAtSave("0x7f.1")).isInstanceOfSatisfying(
                InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("url");
                    assertThat(e.getMessage()).startsWith("OpenAudience does not post to 0x7f.1: address 127.0.0.1"
                            + " is a loopback address.");
                });
        assertThatThrownBy(() -> byDefault.checkAtSave("0xCB.0.113.7")).hasMessageStartingWith(
                "Write the IP address as four decimal numbers, e.g. 203.0.113.7");
        dns.answer("intranet.test", java.util.List.of("203.0.113.7", "10.0.0.5"));
        assertThatThrownBy(() -> byDefault.checkAtSave("intranet.test")).hasMessage("OpenAudience does not post to"
                + " intranet.test: address 10.0.0.5 is in a private network. " + DestinationPolicy.SETTING_HINT);
        assertThatCode(() -> byDefault.checkAtSave("no-such-host.invalid")).doesNotThrowAnyException();
        assertThatCode(() -> byDefault.checkAtSave("203.0.113.7")).doesNotThrowAnyException();
    }

    @Test
    void at_send_every_address_of_one_lookup_is_checked_and_exactly_those_are_returned() throws Exception {
        dns.answer("rebinding.test", java.util.List.of("203.0.113.7"), java.util.List.of("203.0.113.7", "127.0.0.1"));
        assertThat(byDefault.addressesFor("rebinding.test")).extracting(InetAddress::getHostAddress)
                .containsExactly("203.0.113.7");
        assertThatThrownBy(() -> byDefault.addressesFor("rebinding.test"))
                .isInstanceOf(DestinationPolicy.RefusedDestination.class)
                .hasMessage("refused: address 127.0.0.1 is a loopback address");
        assertThat(dns.lookups("rebinding.test")).isEqualTo(2);
        assertThatThrownBy(() -> byDefault.addressesFor("[::ffff:169.254.169.254]"))
                .hasMessage("refused: address 169.254.169.254 is link-local (where cloud metadata services answer)");
        assertThatThrownBy(() -> byDefault.addressesFor("0177.0.0.1"))
                .hasMessage("refused: 0177.0.0.1 is not a plain IP address");
        assertThatThrownBy(() -> byDefault.addressesFor("[fd00::7]"))
                .hasMessage("refused: address fd00::7 is in a private network");
    }

    @Test
    void allowing_private_networks_opens_them_but_not_link_local_metadata() throws UnknownHostException {
        DestinationPolicy privateAllowed = new DestinationPolicy(dns, true, "");
        assertThat(privateAllowed.addressesFor("10.0.0.5")).hasSize(1);
        assertThat(privateAllowed.addressesFor("127.0.0.1")).hasSize(1);
        assertThat(privateAllowed.addressesFor("[fd00::7]")).hasSize(1);
        assertThatThrownBy(() -> privateAllowed.addressesFor("169.254.169.254"))
                .hasMessageContaining("link-local");
        assertThatThrownBy(() -> privateAllowed.checkAtSave("169.254.169.254")).isInstanceOf(
                InvalidRequestException.class);
    }

    @Test
    void the_allow_list_opens_named_hosts_addresses_and_ranges_only() throws UnknownHostException {
        DestinationPolicy listed = new DestinationPolicy(dns,
                false, " crm.internal.test , 10.1.0.0/16, ::1, 169.254.169.254 ");
        dns.answer("crm.internal.test", java.util.List.of("10.9.9.9"));
        assertThat(listed.addressesFor("crm.internal.test")).hasSize(1);
        assertThatCode(() -> listed.checkAtSave("CRM.internal.test.")).doesNotThrowAnyException();
        assertThat(listed.addressesFor("10.1.200.3")).hasSize(1);
        assertThat(listed.addressesFor("[::1]")).hasSize(1);
        assertThat(listed.addressesFor("169.254.169.254")).hasSize(1);
        assertThatThrownBy(() -> listed.addressesFor("10.2.0.1")).hasMessageContaining("private network");
        assertThatThrownBy(() -> listed.addressesFor("127.0.0.1")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> new DestinationPolicy(dns, false, "10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> new DestinationPolicy(dns, false, "0x0a.0.0.0/8"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipv6_addresses_are_shown_compressed() throws UnknownHostException {
        assertThat(DestinationPolicy.display(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(DestinationPolicy.display(InetAddress.getByName("fe80::1"))).isEqualTo("fe80::1");
        assertThat(DestinationPolicy.display(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(DestinationPolicy.display(InetAddress.getByName("2001:db8:0:1:0:0:0:5")))
                .isEqualTo("2001:db8:0:1::5");
    }

    private static String literal(String host) {
        return IpLiteral.parse(host).orElseThrow().getHostAddress();
    }
}
