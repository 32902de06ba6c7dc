/* SHA-256 against the FIPS 180-2 appendix B vectors, streaming splits and files. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"
#include "check_run.h"

static const char abc_hex[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char v448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char v448_hex[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
static const char mill_hex[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
static const char empty_hex[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

START_TEST(test_abc)
{
	char hex[TG_SHA256_HEX_LEN + 1];
	tg_sha256_buf_hex("abc", 3, hex);
	ck_assert_str_eq(hex, abc_hex);
}
END_TEST

START_TEST(test_448)
{
	char hex[TG_SHA256_HEX_LEN + 1];
	ck_assert_uint_eq(strlen(v448) * 8, 448);
	tg_sha256_buf_hex(v448, strlen(v448), hex);
	ck_assert_str_eq(hex, v448_hex);
}
END_TEST

START_TEST(test_million_a)
{
	/* streamed in odd-sized chunks that straddle block boundaries */
	char chunk[997];
	memset(chunk, 'a', sizeof chunk);
	tg_sha256 c;
	tg_sha256_init(&c);
	size_t left = 1000000;
	while (left > 0) {
		size_t k = left < sizeof chunk ? left : sizeof chunk;
		tg_sha256_update(&c, chunk, k);
		left -= k;
	}
	unsigned char d[TG_SHA256_DIGEST_LEN];
	char hex[TG_SHA256_HEX_LEN + 1];
	tg_sha256_final(&c, d);
	tg_sha256_hex(d, hex);
	ck_assert_str_eq(hex, mill_hex);
}
END_TEST

START_TEST(test_empty)
{
	char hex[TG_SHA256_HEX_LEN + 1];
	tg_sha256_buf_hex("", 0, hex);
	ck_assert_str_eq(hex, empty_hex);
}
END_TEST

/* Every split point, and byte-at-a-time, give the one-shot digest (lengths 0..200). */
START_TEST(test_streaming_splits)
{
	unsigned char data[200];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 37 + 11);
	for (size_t len = 0; len <= sizeof data; len++) {
		char want[TG_SHA256_HEX_LEN + 1], got[TG_SHA256_HEX_LEN + 1];
		unsigned char d[TG_SHA256_DIGEST_LEN];
		tg_sha256_buf_hex(data, len, want);
		for (size_t cut = 0; cut <= len; cut++) {
			tg_sha256 c;
			tg_sha256_init(&c);
			tg_sha256_update(&c, data, cut);
			tg_sha256_update(&c, data + cut, len - cut);
			tg_sha256_final(&c, d);
			tg_sha256_hex(d, got);
			ck_assert_msg(strcmp(got, want) == 0, "len %zu cut %zu", len, cut);
		}
		tg_sha256 c;
		tg_sha256_init(&c);
		for (size_t i = 0; i < len; i++)
			tg_sha256_update(&c, data + i, 1);
		tg_sha256_final(&c, d);
		tg_sha256_hex(d, got);
		ck_assert_msg(strcmp(got, want) == 0, "bytewise len %zu", len);
	}
}
END_TEST

static Suite *sha256_suite(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_abc);
	tcase_add_test(tc, test_448);
	tcase_add_test(tc, test_million_a);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_streaming_splits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(sha256_suite());
}
