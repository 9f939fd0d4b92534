/* Fuzz target: the kernel's 9P2000.L client (kernel/fs/ninep.c) decoding
 * the replies of a hostile host. A fake channel answers each request with
 * the next reply from the input, which is a series of
 *     got[4] length[2] bytes[length]
 * (got: how many bytes the device claims to have written, which a virtio
 * device reports itself). The requests are the volume layer's: an attach,
 * then one operation per input byte that follows the replies' series
 * marker "OPS:" (or the first 8 operations when the input has none). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fs/ninep.h"
#include "kernel/mm/layout.h"

#define MAX_REQUEST 8192
#define MAX_MESSAGE 65536

/* Replies not yet taken. */
static const uint8_t *replies, *replies_end;

static struct ninep_slot small_slot, large_slot;

static uint32_t read_le(const uint8_t *p, size_t n)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static struct ninep_slot *slot_take(struct ninep_channel *c, bool large)
{
	(void)c;
	return large ? &large_slot : &small_slot;
}

static void slot_give(struct ninep_channel *c, struct ninep_slot *s) { (void)c, (void)s; }

/* The next reply lands in the reply buffer, cut to room as the device's
 * would be; the pieces beside it are left alone. */
static int transact(struct ninep_channel *c, struct ninep_slot *s, uint32_t len, uint32_t room, unsigned count,
                    bool pieces_in, bool may_sleep, uint32_t *got)
{
	(void)c, (void)count, (void)pieces_in, (void)may_sleep;
	if (len > MAX_REQUEST || room > s->reply_room)
		abort(); /* the client overflowed its own buffers */
	if (replies_end - replies < 6)
		return -1;
	*got = read_le(replies, 4);
	uint32_t length = read_le(replies + 4, 2);
	replies += 6;
	if (length > (size_t)(replies_end - replies))
		length = (uint32_t)(replies_end - replies);
	uint32_t written = length < room ? length : room;
	memcpy(s->reply, replies, written);
	/* the rest of the buffer is as an earlier reply left it: zeros here,
	 * so that every input replays alone as it ran */
	memset(s->reply + written, 0, s->reply_room - written);
	replies += length;
	return 0;
}

static struct ninep_channel channel = {
    .tag = "fuzz",
    .max_request = MAX_REQUEST,
    .max_message = MAX_MESSAGE,
    .max_pieces = NINEP_PIECES_MAX,
    .slot_take = slot_take,
    .slot_give = slot_give,
    .transact = transact,
};

static int each_entry(void *ctx, const struct ninep_qid *qid, uint8_t type, const char *name, size_t len)
{
	volatile uint8_t *sink = ctx;
	for (size_t i = 0; i < len; i++)
		*sink ^= (uint8_t)name[i];
	*sink ^= (uint8_t)(qid->type ^ type);
	return 0;
}

/* One request of the volume layer's, chosen by op. */
static void run_operation(uint8_t op, uint32_t fid)
{
	static uint8_t buffer[3 * PAGE_SIZE];
	volatile uint8_t sink = 0;
	uint32_t new_fid;
	struct ninep_attr attr;
	struct ninep_statfs st;
	char *target;
	switch (op % 10) {
	case 0:
		if (ninep_walk(&channel, fid, "name", 4, &new_fid) == 0)
			ninep_clunk(&channel, new_fid);
		break;
	case 1:
		ninep_getattr(&channel, fid, &attr);
		break;
	case 2:
		if (ninep_readlink(&channel, fid, &target) == 0)
			free(target);
		break;
	case 3:
		ninep_readdir(&channel, fid, each_entry, (void *)&sink);
		break;
	case 4:
		ninep_read(&channel, fid, 0, kernel_buf(buffer + op / 10), sizeof buffer - op / 10);
		break;
	case 5:
		ninep_write(&channel, fid, 0, kernel_buf(buffer), sizeof buffer);
		break;
	case 6:
		ninep_statfs(&channel, fid, &st);
		break;
	case 7: {
		uint8_t *pages[2] = {buffer, buffer + PAGE_SIZE};
		ninep_read_pages(&channel, fid, 0, pages, 2, op & 0x80);
		break;
	}
	case 8:
		ninep_lopen(&channel, fid, 0);
		break;
	case 9:
		ninep_fsync(&channel, fid, false);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t default_ops[] = {0, 1, 2, 3, 4, 5, 6, 7};
	if (!small_slot.reply) {
		small_slot = (struct ninep_slot){.request = malloc(MAX_REQUEST),
		                                 .reply = malloc(NINEP_SMALL_REPLY),
		                                 .reply_room = NINEP_SMALL_REPLY,
		                                 .tag = 1};
		large_slot = (struct ninep_slot){
		    .request = malloc(MAX_REQUEST), .reply = malloc(MAX_MESSAGE), .reply_room = MAX_MESSAGE, .tag = 0};
		ninep_channel_register(&channel);
	}
	const uint8_t *ops = default_ops, *ops_end = default_ops + sizeof default_ops;
	const uint8_t *marker = memmem(data, size, "OPS:", 4);
	if (marker) {
		ops = marker + 4;
		ops_end = data + size;
		size = (size_t)(marker - data);
	}
	replies = data;
	replies_end = data + size;
	channel.msize = channel.max_message;
	channel.next_fid = 1;
	uint32_t root;
	if (ninep_attach(&channel, &root) == 0)
		for (const uint8_t *op = ops; op < ops_end; op++)
			run_operation(*op, root);
	free(channel.free_fids);
	channel.free_fids = NULL;
	channel.free_fid_count = channel.free_fid_room = 0;
	return 0;
}
