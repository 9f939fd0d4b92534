/* Host unit tests of the split virtqueue (platforms/virtio/virtqueue.c):
 * the test plays the device, taking chains from the available ring and
 * returning them through the used ring in any order, and checks that every
 * token comes back once and no descriptor is ever in two chains. */
#include <stdlib.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/tests/check.h"
#include "platforms/virtio/virtio.h"
#include "platforms/virtio/virtqueue.h"

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_USED_F_NO_NOTIFY 1

/* What virtqueue.c takes from the kernel: pages and the heap (reached, as
 * in the kernel, through virt_to_phys and phys_to_virt), and the log. */
uint64_t page_alloc(size_t count)
{
	void *pages = aligned_alloc(PAGE_SIZE, count * PAGE_SIZE);
	memset(pages, 0, count * PAGE_SIZE);
	return virt_to_phys(pages);
}
void page_free(uint64_t phys, size_t count)
{
	(void)count;
	free(phys_to_virt(phys));
}
void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(void *ptr) { free(ptr); }
void klog(const char *fmt, ...) { (void)fmt; }

/* A device with one queue of max_size entries that counts its kicks. */
static unsigned device_max_size, kicks;
static unsigned queue_max_size(struct virtio_device *dev, unsigned index)
{
	(void)dev;
	return index == 0 ? device_max_size : 0;
}
static int queue_start(struct virtio_device *dev, struct virtqueue *vq)
{
	(void)dev;
	(void)vq;
	return 0;
}
static void queue_notify(struct virtio_device *dev, struct virtqueue *vq)
{
	(void)dev;
	(void)vq;
	kicks++;
}
static const struct virtio_transport test_transport = {
    .queue_max_size = queue_max_size,
    .queue_start = queue_start,
    .queue_notify = queue_notify,
};
static struct virtio_device test_device = {.transport = &test_transport, .where = "test"};

/* The device's side. */
static uint16_t device_next_avail;

static bool device_take(struct virtqueue *vq, uint16_t *head)
{
	if (device_next_avail == vq->avail->idx)
		return false;
	*head = vq->avail->ring[device_next_avail++ & (vq->size - 1)];
	return true;
}

static void device_return(struct virtqueue *vq, uint16_t head, uint32_t len)
{
	vq->used->ring[vq->used->idx & (vq->size - 1)] = (struct virtq_used_elem){head, len};
	vq->used->idx++;
}

static unsigned chain_length(const struct virtqueue *vq, uint16_t head)
{
	unsigned n = 1;
	while (vq->desc[head].flags & VIRTQ_DESC_F_NEXT) {
		head = vq->desc[head].next;
		n++;
	}
	return n;
}

static struct virtqueue new_queue(unsigned max_size, unsigned limit)
{
	struct virtqueue vq;
	device_max_size = max_size;
	device_next_avail = 0;
	kicks = 0;
	CHECK_EQ(virtqueue_init(&vq, &test_device, 0, limit), 0);
	return vq;
}

static void test_sizes(void)
{
	struct virtqueue vq = new_queue(256, 256);
	CHECK_EQ(vq.size, 256);
	CHECK_EQ(vq.free_count, 256);
	CHECK_EQ((uintptr_t)vq.desc % 16, 0);
	CHECK_EQ((uintptr_t)vq.used % 4, 0);
	virtqueue_destroy(&vq);
	vq = new_queue(1024, 256);
	CHECK_EQ(vq.size, 256); /* the driver's limit */
	virtqueue_destroy(&vq);
	vq = new_queue(300, 1024);
	CHECK_EQ(vq.size, 256); /* a power of two */
	virtqueue_destroy(&vq);
	device_max_size = 0;
	CHECK_EQ(virtqueue_init(&vq, &test_device, 0, 256), -ENODEV);
	CHECK_EQ(virtqueue_init(&vq, &test_device, 1, 256), -ENODEV);
}

static void test_chain_layout(void)
{
	struct virtqueue vq = new_queue(8, 8);
	int token;
	struct virtq_buffer pieces[3] = {{0x1000, 12, false}, {0x2000, 100, false}, {0x3000, 2048, true}};
	CHECK_EQ(virtqueue_add(&vq, pieces, 3, &token), 0);
	CHECK_EQ(vq.free_count, 5);
	uint16_t head;
	CHECK(device_take(&vq, &head));
	CHECK_EQ(chain_length(&vq, head), 3);
	struct virtq_desc *d = &vq.desc[head];
	CHECK_EQ(d->addr, 0x1000);
	CHECK_EQ(d->len, 12);
	CHECK_EQ(d->flags, VIRTQ_DESC_F_NEXT);
	d = &vq.desc[d->next];
	CHECK_EQ(d->addr, 0x2000);
	CHECK_EQ(d->flags, VIRTQ_DESC_F_NEXT);
	d = &vq.desc[d->next];
	CHECK_EQ(d->addr, 0x3000);
	CHECK_EQ(d->flags, VIRTQ_DESC_F_WRITE);

	uint32_t len = 0;
	CHECK(virtqueue_next_used(&vq, &len) == NULL);
	device_return(&vq, head, 77);
	CHECK(virtqueue_next_used(&vq, &len) == &token);
	CHECK_EQ(len, 77);
	CHECK_EQ(vq.free_count, 8);
	CHECK(virtqueue_next_used(&vq, &len) == NULL);
	virtqueue_destroy(&vq);
}

static void test_full_and_empty_adds(void)
{
	struct virtqueue vq = new_queue(4, 4);
	int token;
	struct virtq_buffer pieces[5] = {{0}};
	CHECK_EQ(virtqueue_add(&vq, pieces, 0, &token), -ENOSPC);
	CHECK_EQ(virtqueue_add(&vq, pieces, 5, &token), -ENOSPC);
	CHECK_EQ(virtqueue_add(&vq, pieces, 3, &token), 0);
	CHECK_EQ(virtqueue_add(&vq, pieces, 2, &token), -ENOSPC);
	CHECK_EQ(virtqueue_add(&vq, pieces, 1, &token), 0);
	CHECK_EQ(vq.free_count, 0);
	virtqueue_destroy(&vq);
}

static void test_kick_suppression(void)
{
	struct virtqueue vq = new_queue(4, 4);
	virtqueue_kick(&vq);
	CHECK_EQ(kicks, 1);
	vq.used->flags = VIRTQ_USED_F_NO_NOTIFY;
	virtqueue_kick(&vq);
	CHECK_EQ(kicks, 1);
	virtqueue_destroy(&vq);
}

/* A device that returns a descriptor it does not hold is skipped over. */
static void test_bogus_used_entry(void)
{
	struct virtqueue vq = new_queue(4, 4);
	int token;
	struct virtq_buffer piece = {0x1000, 10, true};
	CHECK_EQ(virtqueue_add(&vq, &piece, 1, &token), 0);
	uint16_t head;
	CHECK(device_take(&vq, &head));
	device_return(&vq, 3, 1);   /* never handed out */
	device_return(&vq, 999, 1); /* out of range */
	device_return(&vq, head, 10);
	uint32_t len;
	CHECK(virtqueue_next_used(&vq, &len) == &token);
	CHECK(virtqueue_next_used(&vq, &len) == NULL);
	CHECK_EQ(vq.free_count, 4);
	virtqueue_destroy(&vq);
}

/* Random chains completed in random order, checked against a model: each
 * token returns once with its length, in-flight chains never share a
 * descriptor, and the queue ends with every descriptor free. */
static void test_random_model(void)
{
	enum { SIZE = 64, ROUNDS = 20000 };
	struct virtqueue vq = new_queue(SIZE, SIZE);
	int tokens[SIZE * 4];
	bool in_flight[SIZE * 4] = {false};
	uint16_t held[SIZE];
	unsigned held_count = 0, flying = 0, next_token = 0;
	int owner[SIZE];
	for (unsigned i = 0; i < SIZE; i++)
		owner[i] = -1;
	srand(12345);
	for (unsigned round = 0; round < ROUNDS; round++) {
		unsigned choice = rand() % 3;
		if (choice == 0) {
			unsigned count = 1 + rand() % 5;
			unsigned t = next_token++ % (SIZE * 4);
			if (in_flight[t])
				continue;
			struct virtq_buffer pieces[5];
			for (unsigned k = 0; k < count; k++)
				pieces[k] = (struct virtq_buffer){0x1000 * (t + 1) + k, t, k == count - 1};
			unsigned free_before = vq.free_count;
			int err = virtqueue_add(&vq, pieces, count, &tokens[t]);
			CHECK_EQ(err, count <= free_before ? 0 : -ENOSPC);
			if (!err) {
				in_flight[t] = true;
				flying++;
			}
		} else if (choice == 1) {
			uint16_t head;
			while (device_take(&vq, &head)) {
				/* Walk the chain: its descriptors belong to no other. */
				unsigned t = vq.desc[head].len;
				for (uint16_t i = head;; i = vq.desc[i].next) {
					CHECK_EQ(owner[i], -1);
					owner[i] = t;
					if (!(vq.desc[i].flags & VIRTQ_DESC_F_NEXT))
						break;
				}
				held[held_count++] = head;
			}
			if (held_count) {
				unsigned pick = rand() % held_count;
				head = held[pick];
				held[pick] = held[--held_count];
				for (uint16_t i = head;; i = vq.desc[i].next) {
					owner[i] = -1;
					if (!(vq.desc[i].flags & VIRTQ_DESC_F_NEXT))
						break;
				}
				device_return(&vq, head, vq.desc[head].len);
			}
		} else {
			uint32_t len;
			int *token;
			while ((token = virtqueue_next_used(&vq, &len))) {
				unsigned t = token - tokens;
				CHECK_EQ(len, t);
				CHECK(in_flight[t]);
				in_flight[t] = false;
				flying--;
			}
		}
	}
	/* Drain: the device returns all it holds, then the driver takes all. */
	uint16_t head;
	while (device_take(&vq, &head))
		held[held_count++] = head;
	while (held_count)
		device_return(&vq, held[--held_count], 0);
	uint32_t len;
	while (virtqueue_next_used(&vq, &len))
		flying--;
	CHECK_EQ(flying, 0);
	CHECK_EQ(vq.free_count, SIZE);
	virtqueue_destroy(&vq);
}

int main(void)
{
	test_sizes();
	test_chain_layout();
	test_full_and_empty_adds();
	test_kick_suppression();
	test_bogus_used_entry();
	test_random_model();
	return check_summary("test_virtqueue");
}
