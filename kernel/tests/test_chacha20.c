/* Host unit tests of the ChaCha20 block function (kernel/crypto/chacha20.c)
 * against the test vectors of RFC 8439 (section 2.3.2 and appendix A.1). */
#include "kernel/crypto/chacha20.h"
#include "kernel/tests/check.h"

static void check_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12], const char *expected_hex)
{
	uint8_t out[CHACHA20_BLOCK_SIZE];
	char hex[2 * CHACHA20_BLOCK_SIZE + 1];
	chacha20_block(key, counter, nonce, out);
	for (int i = 0; i < CHACHA20_BLOCK_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	CHECK_STREQ(hex, expected_hex);
}

static void test_rfc8439_block(void)
{
	uint8_t key[32];
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	const uint8_t nonce[12] = {0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0};
	check_block(key, 1, nonce,
	            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
	            "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
}

static void test_zero_key(void)
{
	const uint8_t key[32] = {0}, nonce[12] = {0};
	check_block(key, 0, nonce,
	            "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	            "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
}

int main(void)
{
	test_rfc8439_block();
	test_zero_key();
	return check_summary("test_chacha20");
}
