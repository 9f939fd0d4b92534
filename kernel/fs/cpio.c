/* cpio newc parsing, see cpio.h. Each entry: a 110-byte ASCII header
 * ("070701" and 13 eight-digit hex fields), the name, padding to 4 bytes,
 * the data, padding to 4 bytes. */
#include "kernel/fs/cpio.h"

#include <string.h>

#define HEADER_SIZE 110
#define FIELD(n) (6 + 8 * (n))
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_NAMESIZE = 11 };

static int parse_hex(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

static size_t align4(size_t x) { return (x + 3) & ~(size_t)3; }

int cpio_next(struct cpio_reader *r, struct cpio_entry *e)
{
	if (r->size - r->pos < HEADER_SIZE)
		return -1;
	const uint8_t *h = r->base + r->pos;
	if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6))
		return -1;
	uint32_t mode, uid, gid, mtime, filesize, namesize;
	if (parse_hex(h + FIELD(F_MODE), &mode) || parse_hex(h + FIELD(F_UID), &uid) ||
	    parse_hex(h + FIELD(F_GID), &gid) || parse_hex(h + FIELD(F_MTIME), &mtime) ||
	    parse_hex(h + FIELD(F_FILESIZE), &filesize) || parse_hex(h + FIELD(F_NAMESIZE), &namesize))
		return -1;
	size_t name_at = r->pos + HEADER_SIZE;
	if (namesize == 0 || namesize > r->size - name_at || r->base[name_at + namesize - 1] != 0)
		return -1;
	size_t data_at = align4(name_at + namesize);
	if (data_at > r->size || filesize > r->size - data_at)
		return -1;
	e->name = (const char *)r->base + name_at;
	e->name_len = namesize - 1;
	if (e->name_len == 10 && !memcmp(e->name, "TRAILER!!!", 10))
		return 0;
	e->mode = mode;
	e->uid = uid;
	e->gid = gid;
	e->mtime = mtime;
	e->data = r->base + data_at;
	e->size = filesize;
	size_t next = align4(data_at + filesize);
	r->pos = next < r->size ? next : r->size;
	return 1;
}
