/* Tests the cpio writer against an independent newc reader: headers, names,
 * 4-byte padding, the 4096-byte alignment of large files, replacement of a
 * path added twice, parents before children, the trailer, and the side
 * table of modification times newc cannot hold. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cpio_writer.h"

struct read_entry {
	char name[256];
	uint32_t mode;
	uint32_t uid, gid;
	uint32_t links;
	uint32_t mtime;
	uint64_t data_offset;
	const uint8_t *data;
	uint32_t size;
};

static uint32_t hex_field(const uint8_t *header, int index)
{
	char text[9];
	memcpy(text, header + 6 + 8 * index, 8);
	text[8] = '\0';
	return (uint32_t)strtoul(text, NULL, 16);
}

/* Reads every entry of archive[0..length); returns the count, -1 if malformed. */
static int read_archive(const uint8_t *archive, size_t length, struct read_entry *entries, int max)
{
	size_t offset = 0;
	int count = 0;

	while (offset + 110 <= length && count < max) {
		const uint8_t *header = archive + offset;
		struct read_entry *entry = &entries[count++];
		if (memcmp(header, "070701", 6) != 0 || offset % 4 != 0)
			return -1;
		entry->mode = hex_field(header, 1);
		entry->uid = hex_field(header, 2);
		entry->gid = hex_field(header, 3);
		entry->links = hex_field(header, 4);
		entry->mtime = hex_field(header, 5);
		entry->size = hex_field(header, 6);
		uint32_t name_size = hex_field(header, 11);
		if (name_size == 0 || name_size > sizeof(entry->name) || header[110 + name_size - 1] != '\0')
			return -1;
		memcpy(entry->name, header + 110, name_size);
		for (size_t pad = offset + 110 + name_size; pad % 4; pad++)
			if (archive[pad] != 0)
				return -1;
		entry->data_offset = (offset + 110 + name_size + 3) & ~(size_t)3;
		entry->data = archive + entry->data_offset;
		offset = (entry->data_offset + entry->size + 3) & ~(size_t)3;
		if (offset > length)
			return -1;
		if (strcmp(entry->name, "TRAILER!!!") == 0)
			return offset == length ? count : -1;
	}
	return -1;
}

static const struct read_entry *find(const struct read_entry *entries, int count, const char *name)
{
	const struct read_entry *found = NULL;
	for (int i = 0; i < count; i++)
		if (strcmp(entries[i].name, name) == 0) {
			CHECK(found == NULL); /* each path appears once */
			found = &entries[i];
		}
	return found;
}

static void check_structure(const struct read_entry *entries, int count)
{
	CHECK(strcmp(entries[count - 1].name, "TRAILER!!!") == 0);
	for (int i = 0; i < count; i++) {
		const struct read_entry *entry = &entries[i];
		CHECK(entry->name[0] != '/');
		if (S_ISREG(entry->mode) && entry->size >= CPIO_ALIGN_MIN_SIZE) {
			CHECK(entry->data_offset % CPIO_ALIGN == 0);
		}
		if (strcmp(entry->name, CPIO_PAD_NAME) == 0) {
			CHECK(i + 1 < count && entries[i + 1].size >= CPIO_ALIGN_MIN_SIZE);
			continue;
		}
		/* the parent comes first */
		char parent[256];
		strcpy(parent, entry->name);
		char *slash = strrchr(parent, '/');
		if (slash) {
			*slash = '\0';
			bool parent_before = false;
			for (int j = 0; j < i; j++)
				parent_before |= strcmp(entries[j].name, parent) == 0 && S_ISDIR(entries[j].mode);
			CHECK(parent_before);
		}
	}
}

static char *write_host_file(size_t size)
{
	char *path = strdup("/tmp/sole-test-cpio-XXXXXX");
	int fd = mkstemp(path);
	uint8_t *data = malloc(size);
	for (size_t i = 0; i < size; i++)
		data[i] = (uint8_t)(i * 7);
	CHECK(write(fd, data, size) == (ssize_t)size);
	close(fd);
	free(data);
	return path;
}

/* Writes archive to memory and reads it back into entries; the count. */
static int write_and_read(struct cpio_archive *archive, uint8_t **bytes, struct read_entry *entries, int max)
{
	int fd = memfd_create("archive", 0);
	CHECK(cpio_archive_write(archive, fd) == 0);
	cpio_archive_free(archive);
	off_t length = lseek(fd, 0, SEEK_END);
	*bytes = malloc((size_t)length);
	CHECK(pread(fd, *bytes, (size_t)length, 0) == length);
	close(fd);
	return read_archive(*bytes, (size_t)length, entries, max);
}

/* Times newc holds need no record; the others get one, in entry order,
 * in a table that comes first; a path added again loses its nanoseconds. */
static void test_mtime_table(void)
{
	struct cpio_archive *archive = cpio_archive_new();
	cpio_add_directory(archive, "/d", 0755, 5);
	cpio_set_mtime(archive, "/d", (struct timespec){-2, 500000000});
	cpio_add_file(archive, "/d/whole", 0644, 5, "w", 1);
	cpio_set_mtime(archive, "d/whole", (struct timespec){1700000000, 0});
	cpio_add_file(archive, "/d/fine", 0644, 5, "f", 1);
	cpio_set_mtime(archive, "/d/fine", (struct timespec){1700000000, 123456789});
	cpio_add_file(archive, "/replaced", 0644, 5, "r", 1);
	cpio_set_mtime(archive, "/replaced", (struct timespec){9, 1});
	cpio_add_file(archive, "/replaced", 0644, 6, "R", 1);
	cpio_set_mtime(archive, "/missing", (struct timespec){9, 1}); /* no such entry: no-op */
	uint8_t *bytes;
	struct read_entry entries[16];
	int count = write_and_read(archive, &bytes, entries, 16);
	static const char expected[] = "-2 500000000 d\0"
	                               "1700000000 123456789 d/fine";
	CHECK(count == 6);
	if (count == 6) {
		CHECK(strcmp(entries[0].name, CPIO_MTIMES_NAME) == 0);
		CHECK(entries[0].size == sizeof(expected) && memcmp(entries[0].data, expected, sizeof(expected)) == 0);
		CHECK(find(entries, count, "d")->mtime == 0); /* before 1970: only the table holds it */
		CHECK(find(entries, count, "d/whole")->mtime == 1700000000);
		CHECK(find(entries, count, "d/fine")->mtime == 1700000000);
		CHECK(find(entries, count, "replaced")->mtime == 6);
		CHECK(find(entries, count, "missing") == NULL);
	}
	free(bytes);

	archive = cpio_archive_new();
	cpio_add_file(archive, "/a", 0644, 5, "a", 1);
	count = write_and_read(archive, &bytes, entries, 16);
	CHECK(count == 2 && find(entries, count, CPIO_MTIMES_NAME) == NULL); /* nothing to carry: no table */
	free(bytes);
}

/* Entries are root's unless cpio_set_owner gives them the host's owner. */
static void test_owners(void)
{
	struct cpio_archive *archive = cpio_archive_new();
	cpio_add_directory(archive, "/data", 0700, 5);
	cpio_set_owner(archive, "/data", 1000, 1001);
	cpio_add_file(archive, "/data/mine", 0600, 5, "m", 1);
	cpio_set_owner(archive, "data/mine", 999, 998);
	cpio_add_file(archive, "/etc/passwd", 0644, 5, "p", 1);
	cpio_set_owner(archive, "/missing", 7, 7); /* no such entry: no-op */
	uint8_t *bytes;
	struct read_entry entries[16];
	int count = write_and_read(archive, &bytes, entries, 16);
	CHECK(count == 5); /* with etc, made for etc/passwd, and the trailer */
	if (count == 5) {
		const struct read_entry *data = find(entries, count, "data"), *mine = find(entries, count, "data/mine");
		const struct read_entry *passwd = find(entries, count, "etc/passwd");
		CHECK(data->uid == 1000 && data->gid == 1001);
		CHECK(mine->uid == 999 && mine->gid == 998);
		CHECK(passwd->uid == 0 && passwd->gid == 0);
	}
	free(bytes);
}

int main(void)
{
	static uint8_t large[20000];
	memset(large, 'L', sizeof(large));
	char *host_file = write_host_file(50001);

	struct cpio_archive *archive = cpio_archive_new();
	cpio_add_file(archive, "/etc/passwd", 0644, 1, "old\n", 4);
	cpio_add_directory(archive, "/tmp", 01777, 1);
	cpio_add_file(archive, "/a/b/small", 0600, 1, "abcde", 5);
	cpio_add_file(archive, "/a/big", 0755, 1, large, sizeof(large));
	cpio_add_file(archive, "/a/odd", 0644, 1, "x", 1);
	cpio_add_host_file(archive, "/usr/bin/app", 0755, 1, host_file);
	cpio_add_symlink(archive, "/usr/bin/link", 1, "app");
	cpio_add_file(archive, "/etc/passwd", 0600, 1, "new contents\n", 13);
	cpio_add_directory(archive, "/", 0755, 1); /* the root itself has no entry */

	int fd = memfd_create("archive", 0);
	CHECK(cpio_archive_write(archive, fd) == 0);
	cpio_archive_free(archive);
	off_t length = lseek(fd, 0, SEEK_END);
	uint8_t *bytes = malloc((size_t)length);
	CHECK(pread(fd, bytes, (size_t)length, 0) == length);
	close(fd);

	struct read_entry entries[64];
	int count = read_archive(bytes, (size_t)length, entries, 64);
	CHECK(count > 0);
	if (count > 0) {
		check_structure(entries, count);
		const struct read_entry *passwd = find(entries, count, "etc/passwd");
		CHECK(passwd && passwd->size == 13 && memcmp(passwd->data, "new contents\n", 13) == 0);
		CHECK(passwd && passwd->mode == (S_IFREG | 0600));
		const struct read_entry *tmp = find(entries, count, "tmp");
		CHECK(tmp && tmp->mode == (S_IFDIR | 01777) && tmp->links == 2);
		const struct read_entry *etc = find(entries, count, "etc");
		CHECK(etc && etc->mode == (S_IFDIR | 0755));
		CHECK(find(entries, count, "a/b") != NULL);
		const struct read_entry *small = find(entries, count, "a/b/small");
		CHECK(small && small->size == 5 && memcmp(small->data, "abcde", 5) == 0);
		const struct read_entry *big = find(entries, count, "a/big");
		CHECK(big && big->size == sizeof(large) && memcmp(big->data, large, sizeof(large)) == 0);
		const struct read_entry *app = find(entries, count, "usr/bin/app");
		CHECK(app && app->size == 50001 && app->data[50000] == (uint8_t)(50000 * 7));
		CHECK(app && app->mode == (S_IFREG | 0755));
		const struct read_entry *link = find(entries, count, "usr/bin/link");
		CHECK(link && link->mode == (S_IFLNK | 0777) && link->size == 3 &&
		      memcmp(link->data, "app", 3) == 0);
		CHECK(find(entries, count, "") == NULL);
	}

	/* a host file that disappeared is reported, not packed */
	archive = cpio_archive_new();
	cpio_add_host_file(archive, "/gone", 0644, 1, "/nonexistent/sole-test");
	fd = memfd_create("archive", 0);
	CHECK(cpio_archive_write(archive, fd) == -1);
	close(fd);
	cpio_archive_free(archive);

	test_mtime_table();
	test_owners();

	unlink(host_file);
	free(host_file);
	free(bytes);
	return check_summary("cpio_writer");
}
