/* TCP initial sequence numbers, as RFC 6528 and Linux pick them: M + F,
 * where M is a clock ticking every 4 us and F a keyed pseudorandom
 * function of the connection's addresses and ports, the key drawn once
 * per VM from the kernel's random generator. An off-path attacker cannot
 * guess them (lwIP's own counter adds the timer tick count to the last
 * one), and for one 4-tuple they grow with time, so that a later SYN
 * lands after a TIME_WAIT connection's window (tcp_timewait.c).
 *
 * F is a cascade of ChaCha20 blocks: each input block, 12 bytes as the
 * nonce, runs under a key that is the previous block's output, starting
 * from the secret key. */
#include <stdbool.h>
#include <string.h>

#include "kernel/crypto/chacha20.h"
#include "kernel/crypto/wipe.h"
#include "kernel/random.h"
#include "kernel/time.h"
/* lwIP's headers last: its arch.h brings in libc's PAGE_SIZE. */
#include "kernel/net/lwip_hooks.h"

#define ISN_CLOCK_NS 4000 /* RFC 6528's 4 us */

static uint8_t isn_key[CHACHA20_KEY_SIZE];
static bool isn_key_ready;

/* Appends an address: 4 bytes for IPv4, 16 and the zone for IPv6. */
static size_t put_address(uint8_t *out, const ip_addr_t *address)
{
	if (IP_IS_V6(address)) {
		const ip6_addr_t *v6 = ip_2_ip6(address);
		memcpy(out, v6->addr, sizeof v6->addr);
		out[16] = ip6_addr_zone(v6);
		return 17;
	}
	memcpy(out, &ip_2_ip4(address)->addr, 4);
	return 4;
}

u32_t tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip, u16_t remote_port)
{
	if (!isn_key_ready) {
		random_fill(isn_key, sizeof isn_key);
		isn_key_ready = true;
	}
	uint8_t tuple[4 * CHACHA20_NONCE_SIZE] = {0}; /* IPv6: 17 + 17 + 4 bytes */
	size_t len = put_address(tuple, local_ip);
	len += put_address(tuple + len, remote_ip);
	tuple[len++] = (uint8_t)(local_port >> 8);
	tuple[len++] = (uint8_t)local_port;
	tuple[len++] = (uint8_t)(remote_port >> 8);
	tuple[len++] = (uint8_t)remote_port;

	uint8_t key[CHACHA20_KEY_SIZE], block[CHACHA20_BLOCK_SIZE];
	memcpy(key, isn_key, sizeof key);
	for (size_t at = 0; at < len; at += CHACHA20_NONCE_SIZE) {
		chacha20_block(key, (uint32_t)len, tuple + at, block);
		memcpy(key, block, sizeof key);
	}
	u32_t hash;
	memcpy(&hash, block + CHACHA20_KEY_SIZE, sizeof hash);
	wipe(key, sizeof key);
	wipe(block, sizeof block);
	return hash + (u32_t)(time_monotonic_ns() / ISN_CLOCK_NS);
}
