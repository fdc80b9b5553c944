// sources: lib/net/addr.c
// cflags: -Ilib/net/include -Ibase/arch/x86_64/include
/*
 * Host unit tests of lib/net's IPv4 addresses as text (lib/net/addr.c):
 * what net_ip_parse accepts and refuses, and that net_ip_format gives back
 * what it parsed.
 *
 * Area: NETADDR.
 */
#include <harness.h>
#include <net.h>

struct parse_row {
	TEST_ROW;
	const char *text;
	int ok;
	uint32_t ip;
};

static const struct parse_row parse_rows[] = {
	{ "NETADDR_0001", "a plain address", "10.0.2.15", 1, NET_IP4(10, 0, 2, 15) },
	{ "NETADDR_0002", "all zeros", "0.0.0.0", 1, 0 },
	{ "NETADDR_0003", "the broadcast address", "255.255.255.255", 1, 0xffffffffu },
	{ "NETADDR_0004", "leading zeros within three digits", "010.001.000.009", 1, NET_IP4(10, 1, 0, 9) },
	{ "NETADDR_0005", "a part above 255", "10.0.0.256", 0, 0 },
	{ "NETADDR_0006", "four digits in a part", "10.0.0.0001", 0, 0 },
	{ "NETADDR_0007", "three parts", "10.0.1", 0, 0 },
	{ "NETADDR_0008", "five parts", "10.0.0.1.2", 0, 0 },
	{ "NETADDR_0009", "an empty part", "10..0.1", 0, 0 },
	{ "NETADDR_0010", "a trailing dot", "10.0.0.1.", 0, 0 },
	{ "NETADDR_0011", "a space", "10.0.0.1 ", 0, 0 },
	{ "NETADDR_0012", "a sign", "10.0.-0.1", 0, 0 },
	{ "NETADDR_0013", "a name", "host.example", 0, 0 },
	{ "NETADDR_0014", "the empty string", "", 0, 0 },
	{ "NETADDR_0015", "hexadecimal", "0x0a.0.0.1", 0, 0 },
};

TEST_TABLE(NETADDR_0001, parse_rows, row)
{
	uint32_t ip = 0x12345678;
	char buf[NET_IP_STR];

	CHECK_EQ(net_ip_parse(row->text, &ip), row->ok);
	if (row->ok) {
		CHECK_EQ(ip, row->ip);
		/* formatted and parsed again: the same address */
		uint32_t back = 1;
		CHECK(net_ip_parse(net_ip_format(ip, buf), &back));
		CHECK_EQ(back, ip);
	}
}

TEST(NETADDR_0020, "net_ip_format writes the shortest dotted form, NULL is refused by parse")
{
	char buf[NET_IP_STR];

	CHECK(!strcmp(net_ip_format(NET_IP4(192, 168, 100, 7), buf), "192.168.100.7"));
	CHECK(!strcmp(net_ip_format(0, buf), "0.0.0.0"));
	CHECK(!strcmp(net_ip_format(0xffffffffu, buf), "255.255.255.255"));
	CHECK(!net_ip_parse(NULL, NULL));
	CHECK(net_ip_parse("1.2.3.4", NULL));
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
