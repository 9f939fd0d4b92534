/* Host unit tests of the cpio newc reader (kernel/fs/cpio.c), over
 * archives written by a small writer of the test's own. */
#include <stdlib.h>

#include "kernel/fs/cpio.h"
#include "kernel/tests/check.h"

#define HEADER_SIZE 110
/* Offsets of the header's hex fields: magic, then 13 fields of 8 digits. */
#define FIELD_AT(n) (6 + 8 * (n))
enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK
};

struct archive {
	uint8_t bytes[16384];
	size_t len;
};

static void put(struct archive *a, const void *data, size_t len)
{
	memcpy(a->bytes + a->len, data, len);
	a->len += len;
}

static void pad4(struct archive *a)
{
	while (a->len % 4)
		a->bytes[a->len++] = 0;
}

/* Appends one entry, returning the offset of its header. */
static size_t add_entry(struct archive *a, const char *name, uint32_t mode, const void *data, uint32_t size)
{
	size_t at = a->len;
	char header[HEADER_SIZE + 1];
	snprintf(header, sizeof header, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 7u, mode, 1000u,
	         100u, 1u, 0x5f5e100u, size, 0u, 0u, 0u, 0u, (unsigned)strlen(name) + 1, 0u);
	put(a, header, HEADER_SIZE);
	put(a, name, strlen(name) + 1);
	pad4(a);
	put(a, data, size);
	pad4(a);
	return at;
}

static size_t add_trailer(struct archive *a) { return add_entry(a, "TRAILER!!!", 0, "", 0); }

static void set_field(struct archive *a, size_t header_at, int field, const char *eight)
{
	memcpy(a->bytes + header_at + FIELD_AT(field), eight, 8);
}

/* A reader over an exact-size heap copy of the first len bytes, so that
 * ASan reports any read past the end. */
static struct cpio_reader reader_over(const struct archive *a, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, a->bytes, len);
	return (struct cpio_reader){.base = copy, .size = len, .pos = 0};
}

static void reader_free(struct cpio_reader *r) { free((void *)r->base); }

static bool name_is(const struct cpio_entry *e, const char *name)
{
	return e->name_len == strlen(name) && memcmp(e->name, name, e->name_len) == 0 && e->name[e->name_len] == 0;
}

static void test_empty_and_trailer_only(void)
{
	struct archive a = {0};
	struct cpio_entry e;
	struct cpio_reader r = reader_over(&a, 0);
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);

	add_trailer(&a);
	CHECK_EQ(a.len, 124);
	r = reader_over(&a, a.len);
	CHECK_EQ(cpio_next(&r, &e), 0);
	CHECK(name_is(&e, "TRAILER!!!"));
	/* The trailer does not advance: asking again gives the trailer again. */
	CHECK_EQ(cpio_next(&r, &e), 0);
	CHECK_EQ(r.pos, 0);
	reader_free(&r);
}

static void test_entries(void)
{
	struct archive a = {0};
	struct cpio_entry e;
	add_entry(&a, ".", 040755, "", 0);
	add_entry(&a, "bin", 040755, "", 0);
	add_entry(&a, "bin/hello", 0100755, "hello, world\n", 13);
	add_entry(&a, "etc/hostname", 0100644, "sole", 4);
	add_entry(&a, "bin/sh", 0120777, "hello", 5);
	add_trailer(&a);
	/* Real archives are padded to 512 bytes after the trailer. */
	while (a.len % 512)
		a.bytes[a.len++] = 0;

	struct cpio_reader r = reader_over(&a, a.len);
	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK(name_is(&e, "."));
	CHECK_EQ(e.mode, 040755);
	CHECK_EQ(e.size, 0);
	CHECK_EQ(r.pos, 112);

	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK(name_is(&e, "bin"));
	CHECK_EQ(r.pos, 112 + 116);

	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK(name_is(&e, "bin/hello"));
	CHECK_EQ(e.mode, 0100755);
	CHECK_EQ(e.uid, 1000);
	CHECK_EQ(e.gid, 100);
	CHECK_EQ(e.mtime, 0x5f5e100);
	CHECK_EQ(e.size, 13);
	CHECK(e.data == r.base + 228 + 120);
	CHECK(memcmp(e.data, "hello, world\n", 13) == 0);
	CHECK_EQ(r.pos, 228 + 120 + 16);

	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK(name_is(&e, "etc/hostname"));
	CHECK_EQ(e.mode, 0100644);
	CHECK_EQ(e.size, 4);
	CHECK(memcmp(e.data, "sole", 4) == 0);

	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK(name_is(&e, "bin/sh"));
	CHECK_EQ(e.mode, 0120777);
	CHECK(memcmp(e.data, "hello", 5) == 0);

	CHECK_EQ(cpio_next(&r, &e), 0);
	reader_free(&r);
}

/* Every combination of name and data length lines up on 4 bytes. */
static void test_padding(void)
{
	static const char digits[] = "0123456789abcdef";
	struct archive a = {0};
	struct cpio_entry e;
	char name[16];
	for (int n = 1; n <= 9; n++)
		for (int d = 0; d <= 9; d++) {
			memset(name, 'a' + n, (size_t)n);
			name[n] = 0;
			name[0] = (char)('0' + d);
			add_entry(&a, name, 0100644, digits, (uint32_t)d);
		}
	add_trailer(&a);

	struct cpio_reader r = reader_over(&a, a.len);
	for (int n = 1; n <= 9; n++)
		for (int d = 0; d <= 9; d++) {
			if (!CHECK_EQ(cpio_next(&r, &e), 1))
				goto out;
			CHECK_EQ(r.pos % 4, 0);
			CHECK_EQ(e.name_len, n);
			CHECK_EQ(e.name[0], '0' + d);
			CHECK_EQ(e.size, d);
			CHECK_EQ((size_t)(e.data - r.base) % 4, 0);
			CHECK(memcmp(e.data, digits, (size_t)d) == 0);
		}
	CHECK_EQ(cpio_next(&r, &e), 0);
out:
	reader_free(&r);
}

static void test_magic(void)
{
	struct archive a = {0};
	struct cpio_entry e;
	size_t h = add_entry(&a, "f", 0100644, "x", 1);
	add_trailer(&a);

	/* 070702 (newc with checksums) is read the same way. */
	memcpy(a.bytes + h, "070702", 6);
	struct cpio_reader r = reader_over(&a, a.len);
	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK_EQ(cpio_next(&r, &e), 0);
	reader_free(&r);

	static const char *const bad[] = {"070707", "070700", "070703", "170701", "07070 ", "\0\0\0\0\0\0"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(a.bytes + h, bad[i], 6);
		r = reader_over(&a, a.len);
		CHECK_EQ(cpio_next(&r, &e), -1);
		CHECK_EQ(r.pos, 0);
		reader_free(&r);
	}
}

static void test_hex_fields(void)
{
	struct cpio_entry e;
	static const int checked[] = {F_MODE, F_UID, F_GID, F_MTIME, F_FILESIZE, F_NAMESIZE};
	static const char *const bad[] = {"0000000g", "G0000000", " 0000001", "0000001 ", "-0000001",
	                                  "0x000001", "0000:000", "0000/000", "0000@000", "0000`000"};
	for (size_t f = 0; f < sizeof checked / sizeof checked[0]; f++)
		for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
			struct archive a = {0};
			size_t h = add_entry(&a, "f", 0100644, "x", 1);
			add_trailer(&a);
			set_field(&a, h, checked[f], bad[b]);
			struct cpio_reader r = reader_over(&a, a.len);
			if (!CHECK_EQ(cpio_next(&r, &e), -1))
				fprintf(stderr, "  field %d = \"%s\"\n", checked[f], bad[b]);
			reader_free(&r);
		}

	/* Fields the reader does not use may hold anything. */
	static const int unused[] = {F_INO, F_NLINK, F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_CHECK};
	for (size_t f = 0; f < sizeof unused / sizeof unused[0]; f++) {
		struct archive a = {0};
		size_t h = add_entry(&a, "f", 0100644, "x", 1);
		add_trailer(&a);
		set_field(&a, h, unused[f], "zzzzzzzz");
		struct cpio_reader r = reader_over(&a, a.len);
		CHECK_EQ(cpio_next(&r, &e), 1);
		CHECK_EQ(cpio_next(&r, &e), 0);
		reader_free(&r);
	}

	/* Lower and upper case digits, and the largest values. */
	struct archive a = {0};
	size_t h = add_entry(&a, "f", 0, "", 0);
	add_trailer(&a);
	set_field(&a, h, F_MODE, "000081a4");
	set_field(&a, h, F_UID, "FFFFFFFF");
	set_field(&a, h, F_GID, "ffffFFFF");
	set_field(&a, h, F_MTIME, "DeadBeef");
	struct cpio_reader r = reader_over(&a, a.len);
	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK_EQ(e.mode, 0100644);
	CHECK_EQ(e.uid, 0xffffffffu);
	CHECK_EQ(e.gid, 0xffffffffu);
	CHECK_EQ(e.mtime, 0xdeadbeefu);
	reader_free(&r);
}

static void test_names(void)
{
	struct cpio_entry e;
	struct archive a = {0};
	size_t h = add_entry(&a, "abc", 0100644, "data", 4);
	add_trailer(&a);

	/* namesize 0: not even the NUL. */
	struct archive bad = a;
	set_field(&bad, h, F_NAMESIZE, "00000000");
	struct cpio_reader r = reader_over(&bad, bad.len);
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);

	/* The name's last byte is not a NUL (namesize one short). */
	bad = a;
	set_field(&bad, h, F_NAMESIZE, "00000003");
	r = reader_over(&bad, bad.len);
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);

	/* The NUL overwritten. */
	bad = a;
	bad.bytes[h + HEADER_SIZE + 3] = 'd';
	r = reader_over(&bad, bad.len);
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);

	/* A namesize running past the end of the archive. */
	bad = a;
	set_field(&bad, h, F_NAMESIZE, "00010000");
	r = reader_over(&bad, bad.len);
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);
	bad = a;
	set_field(&bad, h, F_NAMESIZE, "FFFFFFFF");
	r = reader_over(&bad, bad.len);
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);

	/* A name of one NUL only: an entry with an empty name. */
	struct archive empty = {0};
	add_entry(&empty, "", 0100644, "", 0);
	add_trailer(&empty);
	r = reader_over(&empty, empty.len);
	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK_EQ(e.name_len, 0);
	CHECK_EQ(cpio_next(&r, &e), 0);
	reader_free(&r);

	/* Names close to the trailer's are ordinary entries. */
	static const char *const near[] = {"TRAILER!!", "TRAILER!!!!", "trailer!!!", "TRAILER!!!/x"};
	for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
		struct archive n = {0};
		add_entry(&n, near[i], 0100644, "", 0);
		add_trailer(&n);
		r = reader_over(&n, n.len);
		CHECK_EQ(cpio_next(&r, &e), 1);
		CHECK(name_is(&e, near[i]));
		CHECK_EQ(cpio_next(&r, &e), 0);
		reader_free(&r);
	}
	/* A NUL inside the name leaves it at namesize - 1 bytes. */
	struct archive nul = {0};
	h = add_entry(&nul, "TRAILER!!!", 0100644, "", 0);
	add_trailer(&nul);
	nul.bytes[h + HEADER_SIZE + 3] = 0;
	r = reader_over(&nul, nul.len);
	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK_EQ(e.name_len, 10);
	reader_free(&r);
}

static void test_filesize(void)
{
	struct cpio_entry e;
	struct archive a = {0};
	size_t h = add_entry(&a, "f", 0100644, "0123456789", 10);

	/* The data ends exactly at the end, without padding and trailer. */
	struct cpio_reader r = reader_over(&a, a.len - 2);
	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK_EQ(e.size, 10);
	CHECK_EQ(r.pos, r.size);
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);

	/* One byte of data missing. */
	r = reader_over(&a, a.len - 3);
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);

	/* Sizes larger than what is left. */
	set_field(&a, h, F_FILESIZE, "0000000D");
	r = reader_over(&a, a.len);
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);
	set_field(&a, h, F_FILESIZE, "FFFFFFFF");
	r = reader_over(&a, a.len);
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);
	set_field(&a, h, F_FILESIZE, "0000000C"); /* the padding counts as data */
	r = reader_over(&a, a.len);
	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK_EQ(e.size, 12);
	reader_free(&r);

	/* Without a trailer, the end of the archive after an entry is malformed. */
	struct archive b = {0};
	add_entry(&b, "g", 0100644, "abcd", 4);
	r = reader_over(&b, b.len);
	CHECK_EQ(cpio_next(&r, &e), 1);
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);
}

/* Every prefix of a valid archive: the entries read are those of the full
 * archive, then -1; the trailer only once it is whole. */
static void test_truncation(void)
{
	struct archive a = {0};
	struct cpio_entry e;
	add_entry(&a, "dir", 040755, "", 0);
	add_entry(&a, "dir/file", 0100644, "some file data", 14);
	add_entry(&a, "x", 0100600, "1", 1);
	size_t trailer_at = add_trailer(&a);
	size_t full = a.len;
	CHECK_EQ(trailer_at, 368); /* entries of 116, 136 and 116 bytes */

	for (size_t len = 0; len < full; len++) {
		struct cpio_reader r = reader_over(&a, len);
		int entries = 0, rc;
		while ((rc = cpio_next(&r, &e)) == 1) {
			CHECK(e.data + e.size <= r.base + len);
			CHECK(r.pos <= r.size);
			entries++;
		}
		/* An entry is complete once its data is (the data's padding may
		 * be cut, the name's may not). */
		int expect = 0;
		if (len >= 116)
			expect = 1;
		if (len >= 116 + 120 + 14)
			expect = 2;
		if (len >= 252 + 112 + 1)
			expect = 3;
		if (!CHECK_EQ(entries, expect) || !CHECK_EQ(rc, -1))
			fprintf(stderr, "  prefix of %zu bytes\n", len);
		reader_free(&r);
	}
	struct cpio_reader r = reader_over(&a, full);
	int entries = 0, rc;
	while ((rc = cpio_next(&r, &e)) == 1)
		entries++;
	CHECK_EQ(entries, 3);
	CHECK_EQ(rc, 0);
	reader_free(&r);
}

/* A reader whose position is already at or near the end. */
static void test_position(void)
{
	struct archive a = {0};
	struct cpio_entry e;
	add_entry(&a, "f", 0100644, "abc", 3);
	add_trailer(&a);
	struct cpio_reader r = reader_over(&a, a.len);
	r.pos = r.size;
	CHECK_EQ(cpio_next(&r, &e), -1);
	r.pos = r.size - 109;
	CHECK_EQ(cpio_next(&r, &e), -1);
	r.pos = 116; /* straight to the trailer */
	CHECK_EQ(cpio_next(&r, &e), 0);
	r.pos = 4; /* not at a header */
	CHECK_EQ(cpio_next(&r, &e), -1);
	reader_free(&r);
}

/* Random byte changes to a valid archive: whatever the reader returns lies
 * inside the archive (ASan watches the reads). Fixed seed. */
static void test_mutations(void)
{
	struct archive a = {0};
	struct cpio_entry e;
	add_entry(&a, "dir", 040755, "", 0);
	add_entry(&a, "dir/file", 0100644, "some file data", 14);
	add_entry(&a, "x", 0100600, "1", 1);
	add_trailer(&a);
	static const char alphabet[] = "0123456789abcdefABCDEF0712!\0";
	uint64_t seed = 0x853c49e6748fea9bull;
	for (int round = 0; round < 3000; round++) {
		struct archive m = a;
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			size_t at = (seed >> 33) % m.len;
			m.bytes[at] = (uint8_t)alphabet[(seed >> 17) % (sizeof alphabet - 1)];
		}
		size_t len = round % 3 ? m.len : (seed >> 40) % (m.len + 1);
		struct cpio_reader r = reader_over(&m, len);
		int rc, entries = 0;
		while ((rc = cpio_next(&r, &e)) == 1 && entries < 10) {
			const uint8_t *name = (const uint8_t *)e.name;
			CHECK(name >= r.base && name + e.name_len < r.base + len);
			CHECK(e.data >= r.base && e.data + e.size <= r.base + len);
			CHECK(r.pos <= r.size);
			entries++;
		}
		CHECK(rc == 1 || rc == 0 || rc == -1);
		CHECK(entries < 10);
		reader_free(&r);
	}
}

int main(void)
{
	test_empty_and_trailer_only();
	test_entries();
	test_padding();
	test_magic();
	test_hex_fields();
	test_names();
	test_filesize();
	test_truncation();
	test_position();
	test_mutations();
	return check_summary("test_cpio");
}
