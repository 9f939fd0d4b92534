/* The 9P2000.L client, see ninep.h: messages are built in a slot's
 * request buffer (size[4] type[1] tag[2] then the fields, little-endian,
 * strings as len[2] bytes) and read back from the slot's reply buffer. The data
 * of Tread and Twrite travels as pieces beside them: the message's size
 * counts it, as if it followed the fields. */
#include "kernel/fs/ninep.h"

#include <string.h>

#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/proc/process.h"

#define HEADER_SIZE 7
#define NOFID 0xffffffffu
#define VERSION "9P2000.L"
#define GETATTR_BASIC 0x7ffull

enum ninep_type {
	RLERROR = 7,
	TSTATFS = 8,
	TLOPEN = 12,
	TLCREATE = 14,
	TSYMLINK = 16,
	TMKNOD = 18,
	TREADLINK = 22,
	TGETATTR = 24,
	TSETATTR = 26,
	TREADDIR = 40,
	TFSYNC = 50,
	TLINK = 70,
	TMKDIR = 72,
	TRENAMEAT = 74,
	TUNLINKAT = 76,
	TVERSION = 100,
	TATTACH = 104,
	TWALK = 110,
	TREAD = 116,
	TWRITE = 118,
	TCLUNK = 120,
};

static struct ninep_channel *channels;

void ninep_channel_register(struct ninep_channel *c)
{
	c->msize = c->max_message;
	c->next_fid = 1;
	c->next = channels;
	channels = c;
}

struct ninep_channel *ninep_channel_find(const char *tag)
{
	for (struct ninep_channel *c = channels; c; c = c->next)
		if (!strcmp(c->tag, tag))
			return c;
	return NULL;
}

/* A request being written, or a reply being read: overflow sets bad. */
struct cursor {
	uint8_t *at, *end;
	bool bad;
};

static uint8_t *take(struct cursor *k, size_t n)
{
	if (k->bad || (size_t)(k->end - k->at) < n) {
		k->bad = true;
		return NULL;
	}
	uint8_t *p = k->at;
	k->at += n;
	return p;
}

static void put(struct cursor *k, uint64_t v, size_t n)
{
	uint8_t *p = take(k, n);
	for (size_t i = 0; p && i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put8(struct cursor *k, uint8_t v) { put(k, v, 1); }
static void put16(struct cursor *k, uint16_t v) { put(k, v, 2); }
static void put32(struct cursor *k, uint32_t v) { put(k, v, 4); }
static void put64(struct cursor *k, uint64_t v) { put(k, v, 8); }

static void put_bytes(struct cursor *k, const void *data, size_t n)
{
	uint8_t *p = take(k, n);
	if (p)
		memcpy(p, data, n);
}

static void put_str(struct cursor *k, const char *s, size_t n)
{
	put16(k, (uint16_t)n);
	put_bytes(k, s, n);
}

static uint64_t get(struct cursor *k, size_t n)
{
	uint8_t *p = take(k, n);
	uint64_t v = 0;
	for (size_t i = 0; p && i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint8_t get8(struct cursor *k) { return (uint8_t)get(k, 1); }
static uint16_t get16(struct cursor *k) { return (uint16_t)get(k, 2); }
static uint32_t get32(struct cursor *k) { return (uint32_t)get(k, 4); }
static uint64_t get64(struct cursor *k) { return get(k, 8); }

static void get_qid(struct cursor *k, struct ninep_qid *q)
{
	q->type = get8(k);
	q->version = get32(k);
	q->path = get64(k);
}

/* A request being written in its slot. */
struct request {
	struct ninep_channel *c;
	struct ninep_slot *slot;
	struct cursor k;
};

/* Starts a request of the given type in a slot taken from the channel's
 * pool (large for a reply of up to msize); finish gives it back. */
static struct request begin_slot(struct ninep_channel *c, enum ninep_type type, bool large)
{
	struct ninep_slot *s = c->slot_take(c, large);
	uint32_t room = c->max_request < c->msize ? c->max_request : c->msize;
	struct request r = {c, s, {s->request, s->request + room, false}};
	put32(&r.k, 0); /* the size, set by exchange */
	put8(&r.k, (uint8_t)type);
	put16(&r.k, s->tag);
	return r;
}

static struct request begin(struct ninep_channel *c, enum ninep_type type) { return begin_slot(c, type, false); }

static void finish(struct request *r) { r->c->slot_give(r->c, r->slot); }

/* The data beside a message: count pieces in the slot's pieces, bytes in
 * all, sent after the request's fields, or (in) received after the
 * reply's; may_sleep as transact takes it. */
struct beside {
	unsigned count;
	uint32_t bytes;
	bool in, may_sleep;
};

/* Sends the request (and the data beside it) and checks the reply's
 * header, of which room bytes land in the slot's reply buffer: 0 with
 * *reply at its fields there, the host's -errno for Rlerror, or -EIO for
 * anything malformed (a reply to another tag too). */
static int exchange(struct request *r, enum ninep_type type, const struct beside *data, uint32_t room,
                    struct cursor *reply)
{
	struct ninep_channel *c = r->c;
	struct ninep_slot *s = r->slot;
	*reply = (struct cursor){NULL, NULL, true}; /* read as zeros on failure */
	if (r->k.bad)
		return -ENAMETOOLONG; /* only names can outgrow the request buffer */
	uint32_t len = (uint32_t)(r->k.at - s->request);
	struct cursor size = {s->request, s->request + 4, false};
	put32(&size, len + (data && !data->in ? data->bytes : 0));
	room = room < s->reply_room ? room : s->reply_room;
	uint32_t got;
	if (c->transact(c, s, len, room, data ? data->count : 0, data && data->in, data && data->may_sleep, &got))
		return -EIO;
	uint32_t in_buffer = got < room ? got : room;
	*reply = (struct cursor){s->reply, s->reply + in_buffer, false};
	uint32_t reply_len = get32(reply);
	uint8_t reply_type = get8(reply);
	uint16_t tag = get16(reply);
	if (reply->bad || reply_len < HEADER_SIZE || reply_len > got || tag != s->tag)
		return -EIO;
	reply->end = s->reply + (reply_len < in_buffer ? reply_len : in_buffer);
	if (reply_type == RLERROR) {
		uint32_t err = get32(reply);
		return err && err < 4096 ? -(int)err : -EIO;
	}
	if (reply_type != type + 1) {
		klog("9p: %s: reply type %u to request %u", c->tag, reply_type, type);
		return -EIO;
	}
	return 0;
}

/* A request without data beside it; the reply stays in the slot until
 * finish. */
static int transact(struct request *r, enum ninep_type type, struct cursor *reply)
{
	return exchange(r, type, NULL, r->c->msize, reply);
}

/* A request whose reply has no fields we use; its slot goes back. */
static int simple(struct request *r, enum ninep_type type)
{
	struct cursor reply;
	int err = transact(r, type, &reply);
	finish(r);
	return err;
}

uint32_t ninep_fid_new(struct ninep_channel *c)
{
	if (c->free_fid_count)
		return c->free_fids[--c->free_fid_count];
	return c->next_fid++;
}

/* A number for reuse; out of memory, it is merely never used again. */
static void fid_free(struct ninep_channel *c, uint32_t fid)
{
	if (c->free_fid_count == c->free_fid_room) {
		size_t room = c->free_fid_room ? 2 * c->free_fid_room : 64;
		uint32_t *grown = kmalloc(room * sizeof *grown);
		if (!grown)
			return;
		if (c->free_fid_count)
			memcpy(grown, c->free_fids, c->free_fid_count * sizeof *grown);
		kfree(c->free_fids);
		c->free_fids = grown;
		c->free_fid_room = room;
	}
	c->free_fids[c->free_fid_count++] = fid;
}

/* The fid is free again whatever the host said: it forgets it either way. */
int ninep_clunk(struct ninep_channel *c, uint32_t fid)
{
	struct request r = begin(c, TCLUNK);
	put32(&r.k, fid);
	int err = simple(&r, TCLUNK);
	fid_free(c, fid);
	return err;
}

int ninep_attach(struct ninep_channel *c, uint32_t *root_fid)
{
	struct request r = begin(c, TVERSION);
	struct cursor reply;
	put32(&r.k, c->max_message);
	put_str(&r.k, VERSION, strlen(VERSION));
	int err = transact(&r, TVERSION, &reply);
	uint32_t msize = get32(&reply);
	uint16_t vlen = get16(&reply);
	const uint8_t *version = take(&reply, vlen);
	if (!err && (reply.bad || vlen != strlen(VERSION) || memcmp(version, VERSION, vlen) || msize < 4096))
		err = -EPROTONOSUPPORT;
	finish(&r);
	if (err)
		return err;
	c->msize = msize < c->max_message ? msize : c->max_message;
	*root_fid = ninep_fid_new(c);
	r = begin(c, TATTACH);
	put32(&r.k, *root_fid);
	put32(&r.k, NOFID);
	put_str(&r.k, "root", 4);
	put_str(&r.k, "", 0);
	put32(&r.k, 0); /* n_uname: root, as the app is */
	return simple(&r, TATTACH);
}

int ninep_walk(struct ninep_channel *c, uint32_t fid, const char *name, size_t len, uint32_t *new_fid)
{
	uint32_t nf = ninep_fid_new(c);
	struct request r = begin(c, TWALK);
	struct cursor reply;
	put32(&r.k, fid);
	put32(&r.k, nf);
	put16(&r.k, len ? 1 : 0);
	if (len)
		put_str(&r.k, name, len);
	int err = transact(&r, TWALK, &reply);
	/* A walk of one name that fails answers Rwalk with no qid: the new
	 * fid was not made. */
	if (!err && len && get16(&reply) != 1)
		err = -ENOENT;
	finish(&r);
	if (err) {
		fid_free(c, nf);
		return err;
	}
	*new_fid = nf;
	return 0;
}

int ninep_getattr(struct ninep_channel *c, uint32_t fid, struct ninep_attr *a)
{
	struct request r = begin(c, TGETATTR);
	struct cursor reply;
	put32(&r.k, fid);
	put64(&r.k, GETATTR_BASIC);
	int err = transact(&r, TGETATTR, &reply);
	get64(&reply); /* valid */
	get_qid(&reply, &a->qid);
	a->mode = get32(&reply);
	a->uid = get32(&reply);
	a->gid = get32(&reply);
	a->nlink = get64(&reply);
	a->rdev = get64(&reply);
	a->size = get64(&reply);
	get64(&reply); /* blksize */
	a->blocks = get64(&reply);
	a->atime_sec = (int64_t)get64(&reply);
	a->atime_nsec = (long)get64(&reply);
	a->mtime_sec = (int64_t)get64(&reply);
	a->mtime_nsec = (long)get64(&reply);
	a->ctime_sec = (int64_t)get64(&reply);
	a->ctime_nsec = (long)get64(&reply);
	finish(&r);
	return err ? err : reply.bad ? -EIO : 0;
}

int ninep_setattr(struct ninep_channel *c, uint32_t fid, const struct ninep_setattr *a)
{
	struct request r = begin(c, TSETATTR);
	put32(&r.k, fid);
	put32(&r.k, a->valid);
	put32(&r.k, a->mode);
	put32(&r.k, a->uid);
	put32(&r.k, a->gid);
	put64(&r.k, a->size);
	put64(&r.k, (uint64_t)a->atime_sec);
	put64(&r.k, (uint64_t)a->atime_nsec);
	put64(&r.k, (uint64_t)a->mtime_sec);
	put64(&r.k, (uint64_t)a->mtime_nsec);
	return simple(&r, TSETATTR);
}

int ninep_lopen(struct ninep_channel *c, uint32_t fid, uint32_t flags)
{
	struct request r = begin(c, TLOPEN);
	put32(&r.k, fid);
	put32(&r.k, flags);
	return simple(&r, TLOPEN);
}

int ninep_lcreate(struct ninep_channel *c, uint32_t fid, const char *name, size_t len, uint32_t flags, uint32_t mode)
{
	struct request r = begin(c, TLCREATE);
	put32(&r.k, fid);
	put_str(&r.k, name, len);
	put32(&r.k, flags);
	put32(&r.k, mode);
	put32(&r.k, 0); /* gid */
	return simple(&r, TLCREATE);
}

int ninep_mkdir(struct ninep_channel *c, uint32_t dfid, const char *name, size_t len, uint32_t mode)
{
	struct request r = begin(c, TMKDIR);
	put32(&r.k, dfid);
	put_str(&r.k, name, len);
	put32(&r.k, mode);
	put32(&r.k, 0);
	return simple(&r, TMKDIR);
}

int ninep_symlink(struct ninep_channel *c, uint32_t dfid, const char *name, size_t len, const char *target)
{
	struct request r = begin(c, TSYMLINK);
	put32(&r.k, dfid);
	put_str(&r.k, name, len);
	put_str(&r.k, target, strlen(target));
	put32(&r.k, 0);
	return simple(&r, TSYMLINK);
}

int ninep_mknod(struct ninep_channel *c, uint32_t dfid, const char *name, size_t len, uint32_t mode)
{
	struct request r = begin(c, TMKNOD);
	put32(&r.k, dfid);
	put_str(&r.k, name, len);
	put32(&r.k, mode);
	put32(&r.k, 0); /* major */
	put32(&r.k, 0); /* minor */
	put32(&r.k, 0);
	return simple(&r, TMKNOD);
}

int ninep_link(struct ninep_channel *c, uint32_t dfid, uint32_t fid, const char *name, size_t len)
{
	struct request r = begin(c, TLINK);
	put32(&r.k, dfid);
	put32(&r.k, fid);
	put_str(&r.k, name, len);
	return simple(&r, TLINK);
}

int ninep_unlinkat(struct ninep_channel *c, uint32_t dfid, const char *name, size_t len, bool directory)
{
	struct request r = begin(c, TUNLINKAT);
	put32(&r.k, dfid);
	put_str(&r.k, name, len);
	put32(&r.k, directory ? 0x200 : 0); /* AT_REMOVEDIR */
	return simple(&r, TUNLINKAT);
}

int ninep_renameat(struct ninep_channel *c, uint32_t old_dfid, const char *old_name, size_t old_len, uint32_t new_dfid,
                   const char *new_name, size_t new_len)
{
	struct request r = begin(c, TRENAMEAT);
	put32(&r.k, old_dfid);
	put_str(&r.k, old_name, old_len);
	put32(&r.k, new_dfid);
	put_str(&r.k, new_name, new_len);
	return simple(&r, TRENAMEAT);
}

int ninep_readlink(struct ninep_channel *c, uint32_t fid, char **target)
{
	struct request r = begin(c, TREADLINK);
	struct cursor reply;
	put32(&r.k, fid);
	int err = transact(&r, TREADLINK, &reply);
	uint16_t len = get16(&reply);
	const uint8_t *text = take(&reply, len);
	if (!err && !text)
		err = -EIO;
	if (!err && !(*target = kmalloc(len + 1u)))
		err = -ENOMEM;
	if (!err) {
		memcpy(*target, text, len);
		(*target)[len] = 0;
	}
	finish(&r);
	return err;
}

uint32_t ninep_io_max(const struct ninep_channel *c)
{
	uint32_t room = c->msize - 24; /* Twrite's header */
	uint32_t pieces = (c->max_pieces - 1) * PAGE_SIZE; /* from anywhere in a page */
	return room < pieces ? room : pieces;
}

/* Adds len bytes at phys to the n pieces of s so far, merged into the last
 * one when they follow it in memory. */
static void add_piece(struct ninep_slot *s, unsigned *n, uint64_t phys, uint32_t len)
{
	struct ninep_piece *last = *n ? &s->pieces[*n - 1] : NULL;
	if (last && last->phys + last->len == phys)
		last->len += len;
	else
		s->pieces[(*n)++] = (struct ninep_piece){phys, len};
}

/* The physical pages under buf's count pages from first into s->pages:
 * false when an app's page is not there (or, for write, not its own and
 * writable) yet. */
static bool pages_of(struct ninep_slot *s, struct iobuf buf, uintptr_t first, size_t count, bool write)
{
	for (size_t i = 0; !buf.user && i < count; i++)
		s->pages[i] = virt_to_phys((const void *)(first + i * PAGE_SIZE));
	return !buf.user || as_present_pages(current_process()->as, first, count, write, s->pages);
}

/* Brings the app's count pages from first in, as its access would. */
static int fault_in(uintptr_t first, size_t count, bool write)
{
	struct addrspace *as = current_process()->as;
	for (size_t i = 0; i < count; i++)
		if (!as_page(as, first + i * PAGE_SIZE, write))
			return -EFAULT;
	return 0;
}

/* Starts a Tread or Twrite of len bytes (at most ninep_io_max) at buf: a
 * slot whose pieces hold them, a page at a time (write when the device
 * writes them). -EFAULT for a bad address. Missing pages are brought in
 * with no slot held, since bringing one in may read a volume (a mapping
 * of its file), which takes a slot. */
static int begin_io(struct ninep_channel *c, enum ninep_type type, struct iobuf buf, size_t len, bool write,
                    struct request *r, unsigned *count)
{
	uintptr_t start = (uintptr_t)buf.base, first = PAGE_ALIGN_DOWN(start);
	size_t pages = len ? (PAGE_ALIGN_UP(start + len) - first) / PAGE_SIZE : 0;
	if (buf.user && !user_range_ok(buf.base, len))
		return -EFAULT;
	*r = begin(c, type);
	if (!pages_of(r->slot, buf, first, pages, write)) {
		finish(r);
		int err = fault_in(first, pages, write);
		if (err)
			return err;
		*r = begin(c, type);
		if (!pages_of(r->slot, buf, first, pages, write)) {
			finish(r); /* another thread took them away meanwhile */
			return -EFAULT;
		}
	}
	unsigned n = 0;
	for (size_t i = 0, done = 0; i < pages; i++) {
		size_t skip = i ? 0 : start % PAGE_SIZE;
		size_t part = PAGE_SIZE - skip < len - done ? PAGE_SIZE - skip : len - done;
		add_piece(r->slot, &n, r->slot->pages[i] + skip, (uint32_t)part);
		done += part;
	}
	*count = n;
	return 0;
}

/* Whether the app is alone in its address space: then no other thread
 * can unmap or remap its pages while it sleeps. */
static bool app_alone(void)
{
	struct process *p = current_process();
	return p->as->refs == 1 && p->live_threads == 1;
}

/* Tread of the bytes the pieces of r's slot hold, which the host writes;
 * the slot goes back. */
static long read_pieces(struct request *r, uint32_t fid, uint64_t off, unsigned pieces, uint32_t len, bool may_sleep)
{
	put32(&r->k, fid);
	put64(&r->k, off);
	put32(&r->k, len);
	struct beside data = {pieces, len, true, may_sleep};
	struct cursor reply;
	int err = exchange(r, TREAD, &data, HEADER_SIZE + 4, &reply);
	struct cursor size = {r->slot->reply, r->slot->reply + 4, false};
	uint32_t count = get32(&reply);
	bool bad = reply.bad || count > len || get32(&size) != HEADER_SIZE + 4 + count;
	finish(r);
	return err ? err : bad ? -EIO : (long)count;
}

long ninep_read(struct ninep_channel *c, uint32_t fid, uint64_t off, struct iobuf dst, size_t len)
{
	if (len > ninep_io_max(c))
		len = ninep_io_max(c);
	struct request r;
	unsigned pieces;
	int err = begin_io(c, TREAD, dst, len, true, &r, &pieces);
	return err ? err : read_pieces(&r, fid, off, pieces, (uint32_t)len, !dst.user || app_alone());
}

long ninep_read_pages(struct ninep_channel *c, uint32_t fid, uint64_t off, uint8_t *const *pages, size_t count,
                      bool for_mapping)
{
	struct request r = begin(c, TREAD);
	unsigned pieces = 0;
	for (size_t i = 0; i < count; i++)
		add_piece(r.slot, &pieces, virt_to_phys(pages[i]), PAGE_SIZE);
	return read_pieces(&r, fid, off, pieces, (uint32_t)(count * PAGE_SIZE), !for_mapping || app_alone());
}

/* Twrite polls (ninep.h says why). */
long ninep_write(struct ninep_channel *c, uint32_t fid, uint64_t off, struct iobuf src, size_t len)
{
	if (len > ninep_io_max(c))
		len = ninep_io_max(c);
	struct request r;
	unsigned pieces;
	int err = begin_io(c, TWRITE, src, len, false, &r, &pieces);
	if (err)
		return err;
	put32(&r.k, fid);
	put64(&r.k, off);
	put32(&r.k, (uint32_t)len);
	struct beside data = {pieces, (uint32_t)len, false, false};
	struct cursor reply;
	err = exchange(&r, TWRITE, &data, c->msize, &reply);
	uint32_t count = get32(&reply);
	finish(&r);
	return err ? err : reply.bad || count > len ? -EIO : (long)count;
}

int ninep_fsync(struct ninep_channel *c, uint32_t fid, bool data_only)
{
	struct request r = begin(c, TFSYNC);
	put32(&r.k, fid);
	put32(&r.k, data_only);
	/* The host's fsync is the slowest request, and nothing of the volume's
	 * state hangs on it: its caller may sleep while others go on. */
	struct beside nothing = {0, 0, false, true};
	struct cursor reply;
	int err = exchange(&r, TFSYNC, &nothing, c->msize, &reply);
	finish(&r);
	return err;
}

int ninep_statfs(struct ninep_channel *c, uint32_t fid, struct ninep_statfs *st)
{
	struct request r = begin(c, TSTATFS);
	struct cursor reply;
	put32(&r.k, fid);
	int err = transact(&r, TSTATFS, &reply);
	st->type = get32(&reply);
	st->bsize = get32(&reply);
	st->blocks = get64(&reply);
	st->bfree = get64(&reply);
	st->bavail = get64(&reply);
	st->files = get64(&reply);
	st->ffree = get64(&reply);
	st->fsid = get64(&reply);
	st->namelen = get32(&reply);
	finish(&r);
	return err ? err : reply.bad ? -EIO : 0;
}

/* The entries of one Rreaddir, each qid[13] offset[8] type[1] name[s]:
 * hands them to each and returns the offset to continue from. */
static int walk_entries(struct cursor *reply, ninep_dirent_fn each, void *ctx, uint64_t *offset)
{
	while (reply->at < reply->end) {
		struct ninep_qid qid;
		get_qid(reply, &qid);
		*offset = get64(reply);
		uint8_t type = get8(reply);
		uint16_t len = get16(reply);
		const char *name = (const char *)take(reply, len);
		if (!name)
			return -EIO;
		bool dot = (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
		int stop = dot ? 0 : each(ctx, &qid, type, name, len);
		if (stop)
			return stop;
	}
	return 0;
}

int ninep_readdir(struct ninep_channel *c, uint32_t fid, ninep_dirent_fn each, void *ctx)
{
	uint64_t offset = 0;
	for (;;) {
		struct request r = begin_slot(c, TREADDIR, true);
		struct cursor reply;
		put32(&r.k, fid);
		put64(&r.k, offset);
		put32(&r.k, ninep_io_max(c));
		int err = transact(&r, TREADDIR, &reply);
		uint32_t count = get32(&reply);
		if (!err && count > (size_t)(reply.end - reply.at))
			err = -EIO;
		if (!err && count) {
			reply.end = reply.at + count;
			err = walk_entries(&reply, each, ctx, &offset);
		}
		finish(&r);
		if (err || !count)
			return err;
	}
}
