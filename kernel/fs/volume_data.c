/* A volume's file data, see volume.h: the page cache in the inode's pages,
 * filled from the host a run of pages at a time, written through to the
 * host, and bounded: past a quarter of the VM's memory, the files used
 * least recently lose their cached pages (all clean, as writes go through;
 * files with MAP_SHARED areas keep theirs, which those areas map). */
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/ninep.h"
#include "kernel/fs/volume.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"

#define READ_AHEAD_PAGES 128 /* 512 KiB per fill from the host, in one Tread */

static struct inode *lru_oldest, *lru_newest;
static size_t cached_pages;

static struct ninep_channel *channel_of(const struct inode *ino) { return ino->volume->volume->channel; }

static void lru_remove(struct inode *ino)
{
	struct volume_inode *vi = ino->volume;
	if (vi->lru_prev)
		vi->lru_prev->volume->lru_next = vi->lru_next;
	else if (lru_oldest == ino)
		lru_oldest = vi->lru_next;
	if (vi->lru_next)
		vi->lru_next->volume->lru_prev = vi->lru_prev;
	else if (lru_newest == ino)
		lru_newest = vi->lru_prev;
	vi->lru_prev = vi->lru_next = NULL;
}

static void lru_touch(struct inode *ino)
{
	if (lru_newest == ino)
		return;
	lru_remove(ino);
	ino->volume->lru_prev = lru_newest;
	if (lru_newest)
		lru_newest->volume->lru_next = ino;
	else
		lru_oldest = ino;
	lru_newest = ino;
}

void volume_cache_drop(struct inode *ino)
{
	for (size_t i = 0; i < ino->file.npages; i++) {
		if (!ino->file.pages[i])
			continue;
		page_free(virt_to_phys(ino->file.pages[i]), 1);
		ino->file.pages[i] = NULL;
		cached_pages--;
	}
	lru_remove(ino);
}

static size_t cache_budget(void) { return page_total_count() / 4; }

static void make_room(struct inode *keep, size_t want)
{
	for (struct inode *victim = lru_oldest; victim && cached_pages + want > cache_budget();) {
		struct inode *next = victim->volume->lru_next;
		if (victim != keep && !victim->shared_mappings)
			volume_cache_drop(victim);
		victim = next;
	}
}

/* The fid open for I/O, opened at first use; read-write when the host
 * lets us, so one fid serves both. */
static int volume_io_fid(struct inode *ino, bool write, uint32_t *fid)
{
	struct volume_inode *vi = ino->volume;
	if (vi->io_fid && (vi->io_writable || !write)) {
		*fid = vi->io_fid;
		return 0;
	}
	if (write && vi->volume->read_only)
		return -EROFS;
	struct ninep_channel *c = channel_of(ino);
	uint32_t f;
	int err = ninep_walk(c, vi->fid, NULL, 0, &f);
	if (err)
		return err;
	bool writable = !vi->volume->read_only && !ninep_lopen(c, f, 02 /* O_RDWR */);
	err = writable ? 0 : write ? -EACCES : ninep_lopen(c, f, 0 /* O_RDONLY */);
	if (err) {
		ninep_clunk(c, f);
		return err;
	}
	if (vi->io_fid)
		ninep_clunk(c, vi->io_fid);
	vi->io_fid = f;
	vi->io_writable = writable;
	*fid = f;
	return 0;
}

/* Brings the page at index into the cache, with the missing pages after it
 * up to the read-ahead, as one read from the host; for_mapping when a
 * fault of the app's waits for it. */
static int fill(struct inode *ino, size_t index, bool for_mapping)
{
	size_t file_pages = PAGE_ALIGN_UP(ino->size) / PAGE_SIZE;
	size_t ahead = ninep_io_max(channel_of(ino)) / PAGE_SIZE; /* one Tread, whatever msize the host took */
	ahead = ahead < READ_AHEAD_PAGES ? ahead : READ_AHEAD_PAGES;
	size_t limit = index + ahead < file_pages ? index + ahead : file_pages;
	if (limit <= index || inode_reserve_pages(ino, limit))
		limit = index + 1; /* past the end (a mapping), or no room to read ahead */
	size_t count = 1;
	while (index + count < limit && !ino->file.pages[index + count])
		count++;
	make_room(ino, count);
	uint8_t *pages[READ_AHEAD_PAGES];
	size_t got_pages = 0;
	for (; got_pages < count; got_pages++) {
		uint64_t phys = page_alloc(1);
		if (!phys)
			break;
		pages[got_pages] = phys_to_virt(phys);
	}
	if (!got_pages)
		return -ENOMEM;
	int err = 0;
	if (index < file_pages) {
		uint32_t fid;
		long n = volume_io_fid(ino, false, &fid);
		if (!n)
			n = ninep_read_pages(channel_of(ino), fid, (uint64_t)index * PAGE_SIZE, pages, got_pages,
			                     for_mapping);
		err = n < 0 ? (int)n : 0;
	}
	/* The read may have slept (ninep.h), and another thread filled some
	 * of these pages meanwhile: theirs stay, as they may be mapped. */
	for (size_t i = 0; i < got_pages; i++) {
		if (err || ino->file.pages[index + i]) {
			page_free(virt_to_phys(pages[i]), 1);
			continue;
		}
		ino->file.pages[index + i] = pages[i];
		cached_pages++;
	}
	if (err)
		return err;
	lru_touch(ino);
	return 0;
}

/* The cached page at index, filled when missing. */
static int cached_page(struct inode *ino, size_t index, uint8_t **page, bool for_mapping)
{
	int err = inode_reserve_pages(ino, index + 1);
	if (!err && !ino->file.pages[index])
		err = fill(ino, index, for_mapping);
	if (err)
		return err;
	*page = ino->file.pages[index];
	return 0;
}

/* Past the cache, or out of memory for it: straight from the host into dst. */
static long read_uncached(struct inode *ino, uint64_t off, struct iobuf dst, size_t len)
{
	uint32_t fid;
	long n = volume_io_fid(ino, false, &fid);
	return n ? n : ninep_read(channel_of(ino), fid, off, dst, len);
}

/* A file larger than the whole cache would only push itself (and every
 * other file) out as it is read: it is read past the cache, straight from
 * the host, as Linux's v9fs does. Without MAP_SHARED areas, its cached
 * pages are clean copies of the host's, so both ways read the same. */
static bool read_past_cache(const struct inode *ino)
{
	return !ino->shared_mappings && PAGE_ALIGN_UP(ino->size) / PAGE_SIZE > cache_budget();
}

long volume_read(struct inode *ino, uint64_t off, struct iobuf dst, size_t len)
{
	if (off >= ino->size)
		return 0;
	if (len > ino->size - off)
		len = ino->size - off;
	bool past_cache = read_past_cache(ino);
	size_t done = 0;
	while (done < len) {
		uint64_t at = off + done;
		size_t n = PAGE_SIZE - at % PAGE_SIZE < len - done ? PAGE_SIZE - at % PAGE_SIZE : len - done;
		uint8_t *page;
		int err = past_cache ? -ENOMEM : cached_page(ino, at / PAGE_SIZE, &page, false);
		long got = err == -ENOMEM
		               ? read_uncached(ino, at, (struct iobuf){dst.base + done, dst.user}, len - done)
		           : err                                            ? err
		           : iobuf_put(dst, done, page + at % PAGE_SIZE, n) ? -EFAULT
		                                                            : (long)n;
		if (got <= 0)
			return done ? (long)done : got;
		done += (size_t)got;
	}
	return (long)done;
}

/* Bytes just written to the host, copied into the pages cached over them:
 * -EFAULT when src went bad meanwhile (the cache is dropped then, unless
 * mapped, as it may be stale). */
static int update_cache(struct inode *ino, uint64_t off, struct iobuf src, size_t len)
{
	for (size_t done = 0; done < len;) {
		uint64_t at = off + done;
		size_t index = at / PAGE_SIZE;
		size_t n = PAGE_SIZE - at % PAGE_SIZE < len - done ? PAGE_SIZE - at % PAGE_SIZE : len - done;
		if (index < ino->file.npages && ino->file.pages[index] &&
		    iobuf_get(ino->file.pages[index] + at % PAGE_SIZE, src, done, n)) {
			if (!ino->shared_mappings)
				volume_cache_drop(ino);
			return -EFAULT;
		}
		done += n;
	}
	return 0;
}

long volume_write(struct inode *ino, uint64_t off, struct iobuf src, size_t len)
{
	uint32_t fid;
	int err = volume_io_fid(ino, true, &fid);
	if (err)
		return err;
	size_t done = 0;
	while (done < len) {
		struct iobuf from = {src.base + done, src.user};
		long n = ninep_write(channel_of(ino), fid, off + done, from, len - done);
		if (n > 0 && update_cache(ino, off + done, from, (size_t)n))
			n = -EFAULT;
		if (n <= 0) {
			if (done)
				break;
			return n ? n : -EIO;
		}
		done += (size_t)n;
		if (off + done > ino->size)
			ino->size = off + done;
	}
	inode_touch(ino, true);
	return (long)done;
}

int volume_truncate(struct inode *ino, uint64_t size)
{
	if (volume_read_only(ino))
		return -EROFS;
	struct ninep_setattr a = {.valid = NINEP_SETATTR_SIZE, .size = size};
	int err = ninep_setattr(channel_of(ino), ino->volume->fid, &a);
	if (err)
		return err;
	size_t keep = PAGE_ALIGN_UP(size) / PAGE_SIZE;
	for (size_t i = keep; i < ino->file.npages; i++) {
		if (!ino->file.pages[i])
			continue;
		if (ino->shared_mappings) {
			memset(ino->file.pages[i], 0, PAGE_SIZE); /* still mapped: keep it, empty */
			continue;
		}
		page_free(virt_to_phys(ino->file.pages[i]), 1);
		ino->file.pages[i] = NULL;
		cached_pages--;
	}
	if (size % PAGE_SIZE && keep && keep <= ino->file.npages && ino->file.pages[keep - 1])
		memset(ino->file.pages[keep - 1] + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
	ino->size = size;
	inode_touch(ino, true);
	return 0;
}

uint64_t volume_page_for_mapping(struct inode *ino, uint64_t off)
{
	uint8_t *page;
	if (cached_page(ino, off / PAGE_SIZE, &page, true))
		return 0;
	ino->volume->mapped_shared = true;
	return virt_to_phys(page);
}

int volume_write_back(struct inode *ino)
{
	struct volume_inode *vi = ino->volume;
	if (!vi->mapped_shared || volume_read_only(ino))
		return 0;
	uint32_t fid;
	int err = volume_io_fid(ino, true, &fid);
	size_t file_pages = PAGE_ALIGN_UP(ino->size) / PAGE_SIZE;
	for (size_t i = 0; !err && i < file_pages && i < ino->file.npages; i++) {
		if (!ino->file.pages[i])
			continue;
		size_t n = ino->size - i * PAGE_SIZE < PAGE_SIZE ? ino->size - i * PAGE_SIZE : PAGE_SIZE;
		long put = ninep_write(channel_of(ino), fid, i * PAGE_SIZE, kernel_buf(ino->file.pages[i]), n);
		err = put < 0 ? (int)put : (size_t)put < n ? -EIO : 0;
	}
	if (!err && !ino->shared_mappings)
		vi->mapped_shared = false;
	return err;
}

int volume_sync(struct inode *ino, bool data_only)
{
	struct ninep_channel *c = channel_of(ino);
	if (!S_ISREG(ino->mode)) {
		uint32_t fid;
		int err = ninep_walk(c, ino->volume->fid, NULL, 0, &fid);
		if (err)
			return err;
		err = ninep_lopen(c, fid, 0);
		if (!err)
			err = ninep_fsync(c, fid, data_only);
		ninep_clunk(c, fid);
		return err;
	}
	uint32_t fid;
	int err = volume_write_back(ino);
	if (!err)
		err = volume_io_fid(ino, false, &fid);
	return err ? err : ninep_fsync(c, fid, data_only);
}
