/* Builds a cpio "newc" archive (the initrd format Linux uses too); see
 * cpio_writer.h for the rules on replacement, parents, alignment and the
 * side table of modification times. */
#include "cpio_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "byte_buffer.h"
#include "diag.h"
#include "xalloc.h"

struct cpio_entry {
	char *name;     /* relative: "etc/passwd" */
	uint32_t mode;  /* type and permission bits */
	int64_t mtime;
	long mtime_nsec;
	uint32_t uid, gid; /* 0 (root) unless cpio_set_owner says otherwise */
	uint8_t *data;  /* file contents or symlink target, when held in memory */
	size_t size;
	char *host_path; /* regular file read at write time, or NULL */
};

struct cpio_archive {
	struct cpio_entry *entries;
	size_t count;
	size_t capacity;
	size_t *slots; /* hash index: entry number + 1, 0 when empty */
	size_t slot_count;
};

/* The archive being written: a buffered fd that counts its offset. */
struct cpio_output {
	int fd;
	uint64_t offset;
	uint32_t next_inode;
	int write_error; /* errno of a failed write, or 0 */
	size_t used;
	uint8_t buffer[1 << 16];
};

static size_t hash_name(const char *name)
{
	size_t hash = 14695981039346656037u; /* FNV-1a */
	for (; *name; name++)
		hash = (hash ^ (uint8_t)*name) * 1099511628211u;
	return hash;
}

/* The slot of name in the index: either its entry's or the empty one to use. */
static size_t *find_slot(const struct cpio_archive *archive, const char *name)
{
	size_t mask = archive->slot_count - 1;
	size_t index = hash_name(name) & mask;

	while (archive->slots[index] &&
	       strcmp(archive->entries[archive->slots[index] - 1].name, name) != 0)
		index = (index + 1) & mask;
	return &archive->slots[index];
}

static void grow_index(struct cpio_archive *archive)
{
	free(archive->slots);
	archive->slot_count = archive->slot_count ? archive->slot_count * 2 : 256;
	archive->slots = xcalloc(archive->slot_count, sizeof(*archive->slots));
	for (size_t i = 0; i < archive->count; i++)
		*find_slot(archive, archive->entries[i].name) = i + 1;
}

struct cpio_archive *cpio_archive_new(void)
{
	struct cpio_archive *archive = xcalloc(1, sizeof(*archive));
	grow_index(archive);
	return archive;
}

static void free_entry_contents(struct cpio_entry *entry)
{
	free(entry->data);
	free(entry->host_path);
	entry->data = NULL;
	entry->host_path = NULL;
}

/* Stores an entry whose name is already relative; a replaced entry keeps its
 * place, so parents still come before their children. */
static struct cpio_entry *store_entry(struct cpio_archive *archive, const char *name, uint32_t mode,
				      int64_t mtime)
{
	size_t *slot = find_slot(archive, name);
	struct cpio_entry *entry;

	if (*slot) {
		entry = &archive->entries[*slot - 1];
		free_entry_contents(entry);
	} else {
		if (archive->count == archive->capacity) {
			archive->capacity = archive->capacity ? archive->capacity * 2 : 64;
			archive->entries = xrealloc(archive->entries,
						    archive->capacity * sizeof(*archive->entries));
		}
		*slot = archive->count + 1;
		entry = &archive->entries[archive->count++];
		*entry = (struct cpio_entry){.name = xstrdup(name)};
		if (2 * archive->count > archive->slot_count)
			grow_index(archive);
	}
	entry->mode = mode;
	entry->mtime = mtime;
	entry->mtime_nsec = 0;
	entry->size = 0;
	return entry;
}

/* Adds a 0755 directory for every missing parent of name ("a/b/c": a, a/b). */
static void add_missing_parents(struct cpio_archive *archive, const char *name, int64_t mtime)
{
	char *parent = xstrdup(name);

	for (char *slash = strchr(parent, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (!*find_slot(archive, parent))
			store_entry(archive, parent, S_IFDIR | 0755, mtime);
		*slash = '/';
	}
	free(parent);
}

/* Turns a guest path into an archive name and makes room for it; NULL for the root. */
static struct cpio_entry *add_entry(struct cpio_archive *archive, const char *path, uint32_t mode,
				    int64_t mtime)
{
	while (*path == '/')
		path++;
	if (*path == '\0')
		return NULL;
	add_missing_parents(archive, path, mtime);
	return store_entry(archive, path, mode, mtime);
}

void cpio_add_directory(struct cpio_archive *archive, const char *path, uint32_t mode, int64_t mtime)
{
	add_entry(archive, path, S_IFDIR | (mode & 07777), mtime);
}

static void hold_data(struct cpio_entry *entry, const void *data, size_t size)
{
	entry->data = xmalloc(size);
	memcpy(entry->data, data, size);
	entry->size = size;
}

void cpio_add_file(struct cpio_archive *archive, const char *path, uint32_t mode, int64_t mtime,
		   const void *data, size_t size)
{
	struct cpio_entry *entry = add_entry(archive, path, S_IFREG | (mode & 07777), mtime);
	if (entry)
		hold_data(entry, data, size);
}

void cpio_add_host_file(struct cpio_archive *archive, const char *path, uint32_t mode,
			int64_t mtime, const char *host_path)
{
	struct cpio_entry *entry = add_entry(archive, path, S_IFREG | (mode & 07777), mtime);
	if (entry)
		entry->host_path = xstrdup(host_path);
}

void cpio_add_symlink(struct cpio_archive *archive, const char *path, int64_t mtime,
		      const char *target)
{
	struct cpio_entry *entry = add_entry(archive, path, S_IFLNK | 0777, mtime);
	if (entry)
		hold_data(entry, target, strlen(target));
}

void cpio_set_mtime(struct cpio_archive *archive, const char *path, struct timespec mtime)
{
	while (*path == '/')
		path++;
	size_t slot = *find_slot(archive, path);
	if (!slot)
		return;
	archive->entries[slot - 1].mtime = mtime.tv_sec;
	archive->entries[slot - 1].mtime_nsec = mtime.tv_nsec;
}

void cpio_set_owner(struct cpio_archive *archive, const char *path, uint32_t uid, uint32_t gid)
{
	while (*path == '/')
		path++;
	size_t slot = *find_slot(archive, path);
	if (!slot)
		return;
	archive->entries[slot - 1].uid = uid;
	archive->entries[slot - 1].gid = gid;
}

void cpio_archive_free(struct cpio_archive *archive)
{
	if (!archive)
		return;
	for (size_t i = 0; i < archive->count; i++) {
		free_entry_contents(&archive->entries[i]);
		free(archive->entries[i].name);
	}
	free(archive->entries);
	free(archive->slots);
	free(archive);
}

static bool flush_output(struct cpio_output *out)
{
	size_t done = 0;

	while (done < out->used) {
		ssize_t written = write(out->fd, out->buffer + done, out->used - done);
		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0) {
			out->write_error = written < 0 ? errno : EIO;
			return false;
		}
		done += (size_t)written;
	}
	out->used = 0;
	return true;
}

static bool emit(struct cpio_output *out, const void *bytes, size_t count)
{
	const uint8_t *cursor = bytes;

	while (count > 0) {
		if (out->used == sizeof(out->buffer) && !flush_output(out))
			return false;
		size_t chunk = sizeof(out->buffer) - out->used;
		chunk = chunk < count ? chunk : count;
		memcpy(out->buffer + out->used, cursor, chunk);
		out->used += chunk;
		out->offset += chunk;
		cursor += chunk;
		count -= chunk;
	}
	return true;
}

static bool emit_padding(struct cpio_output *out, size_t count)
{
	static const uint8_t zeros[256];

	while (count > 0) {
		size_t chunk = count < sizeof(zeros) ? count : sizeof(zeros);
		if (!emit(out, zeros, chunk))
			return false;
		count -= chunk;
	}
	return true;
}

static uint64_t round_up_4(uint64_t value)
{
	return (value + 3) & ~(uint64_t)3;
}

/* The bytes from a header's start to its data: header, name, NUL, padding. */
static uint64_t header_and_name_size(const char *name)
{
	return round_up_4(CPIO_HEADER_SIZE + strlen(name) + 1);
}

/* A file's owner in the archive: root's, or the entry's own. */
struct cpio_owner {
	uint32_t uid, gid;
};
static const struct cpio_owner root_owner;

static bool emit_header(struct cpio_output *out, const char *name, uint32_t mode, struct cpio_owner owner,
			int64_t mtime, uint64_t size)
{
	char header[CPIO_HEADER_SIZE + 1];
	uint32_t links = S_ISDIR(mode) ? 2 : 1;
	uint32_t inode = strcmp(name, CPIO_TRAILER_NAME) != 0 ? ++out->next_inode : 0;

	snprintf(header, sizeof(header),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", inode, mode, owner.uid,
		 owner.gid, links, (uint32_t)(mtime > 0 ? mtime : 0), (uint32_t)size, 0, 0, 0, 0,
		 (uint32_t)(strlen(name) + 1), 0);
	uint64_t start = out->offset;
	return emit(out, header, CPIO_HEADER_SIZE) && emit(out, name, strlen(name) + 1) &&
	       emit_padding(out, start + header_and_name_size(name) - out->offset);
}

/* Puts a filler file before a large file so that its data starts on CPIO_ALIGN. */
static bool emit_alignment_pad(struct cpio_output *out, const char *next_name)
{
	uint64_t data_start = out->offset + header_and_name_size(next_name);
	if (data_start % CPIO_ALIGN == 0)
		return true;
	uint64_t after_pad_header = out->offset + header_and_name_size(CPIO_PAD_NAME) +
				    header_and_name_size(next_name);
	uint64_t filler = (CPIO_ALIGN - after_pad_header % CPIO_ALIGN) % CPIO_ALIGN;
	/* every part is a multiple of 4, so the filler needs no padding of its own */
	return emit_header(out, CPIO_PAD_NAME, S_IFREG | 0400, root_owner, 0, filler) && emit_padding(out, filler);
}

static bool emit_file_data(struct cpio_output *out, const char *name, uint32_t mode, struct cpio_owner owner,
			   int64_t mtime, const void *data, uint64_t size)
{
	if (S_ISREG(mode) && size >= CPIO_ALIGN_MIN_SIZE && !emit_alignment_pad(out, name))
		return false;
	return emit_header(out, name, mode, owner, mtime, size) && emit(out, data, size) &&
	       emit_padding(out, round_up_4(size) - size);
}

/* Copies exactly size bytes of fd into the archive. On failure errno says
 * why, or is 0 when the file shrank while being packed. */
static bool emit_from_fd(struct cpio_output *out, int fd, uint64_t size)
{
	static uint8_t chunk[1 << 16];

	while (size > 0) {
		ssize_t got = read(fd, chunk, size < sizeof(chunk) ? size : sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			errno = got == 0 ? 0 : errno;
			return false;
		}
		if (!emit(out, chunk, (size_t)got))
			return false;
		size -= (uint64_t)got;
	}
	return true;
}

static bool emit_host_file(struct cpio_output *out, const struct cpio_entry *entry)
{
	struct stat info;
	int fd = open(entry->host_path, O_RDONLY | O_CLOEXEC);
	bool done = false;

	if (fd >= 0 && fstat(fd, &info) == 0) {
		uint64_t size = (uint64_t)info.st_size;
		if (size > UINT32_MAX)
			errno = EFBIG;
		else
			done = (size < CPIO_ALIGN_MIN_SIZE || emit_alignment_pad(out, entry->name)) &&
			       emit_header(out, entry->name, entry->mode, (struct cpio_owner){entry->uid, entry->gid},
					   entry->mtime, size) &&
			       emit_from_fd(out, fd, size) && emit_padding(out, round_up_4(size) - size);
	}
	if (!done && !out->write_error)
		sole_error("%s: cannot pack it into the initrd: %s", entry->host_path,
			   errno ? strerror(errno) : "it changed while being packed");
	if (fd >= 0)
		close(fd);
	return done;
}

/* Whether the header's eight hex digits of seconds hold the entry's time. */
static bool header_holds_mtime(const struct cpio_entry *entry)
{
	return entry->mtime_nsec == 0 && entry->mtime >= 0 && entry->mtime <= UINT32_MAX;
}

/* The side table of the times the headers cannot hold, in entry order;
 * empty when every header holds its entry's time. */
static void mtime_table(const struct cpio_archive *archive, struct byte_buffer *table)
{
	for (size_t i = 0; i < archive->count; i++) {
		const struct cpio_entry *entry = &archive->entries[i];
		if (header_holds_mtime(entry))
			continue;
		char times[48];
		snprintf(times, sizeof(times), "%lld %ld ", (long long)entry->mtime, entry->mtime_nsec);
		byte_buffer_append_string(table, times);
		byte_buffer_append(table, entry->name, strlen(entry->name) + 1);
	}
}

static bool emit_mtime_table(struct cpio_output *out, const struct cpio_archive *archive)
{
	struct byte_buffer table = {0};
	mtime_table(archive, &table);
	bool done = !table.length || emit_file_data(out, CPIO_MTIMES_NAME, S_IFREG | 0400, root_owner, 0, table.data,
									 table.length);
	byte_buffer_free(&table);
	return done;
}

static bool emit_entry(struct cpio_output *out, const struct cpio_entry *entry)
{
	if (entry->host_path)
		return emit_host_file(out, entry);
	return emit_file_data(out, entry->name, entry->mode, (struct cpio_owner){entry->uid, entry->gid}, entry->mtime,
			      entry->data, entry->size);
}

int cpio_archive_write(const struct cpio_archive *archive, int fd)
{
	struct cpio_output *out = xcalloc(1, sizeof(*out));
	bool done = true;

	out->fd = fd;
	done = emit_mtime_table(out, archive);
	for (size_t i = 0; i < archive->count && done; i++)
		done = emit_entry(out, &archive->entries[i]);
	if (done)
		done = emit_header(out, CPIO_TRAILER_NAME, 0, root_owner, 0, 0) && flush_output(out);
	if (out->write_error)
		sole_error("cannot write the initrd: %s; free some space or point TMPDIR elsewhere",
			   strerror(out->write_error));
	free(out);
	return done ? 0 : -1;
}
