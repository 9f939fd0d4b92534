/* Size-class heap on top of the page allocator, see heap.h. Each block
 * carries a 16-byte header naming its class (or its page count), so kfree
 * needs no size. */
#include "kernel/mm/heap.h"

#include <stdint.h>
#include <string.h>

#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"

#define MIN_CLASS_SHIFT 5 /* 32 bytes, header included */
#define MAX_CLASS_SHIFT 11
#define NCLASSES (MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1)
#define HEADER 16
#define LARGE_MAGIC 0x4c41524745ul /* "LARGE" */

struct free_block {
	struct free_block *next;
};

struct header {
	uint64_t class_or_pages;
	uint64_t magic; /* LARGE_MAGIC for page runs */
};

static struct free_block *free_lists[NCLASSES];

static int class_for(size_t total)
{
	for (int c = 0; c < NCLASSES; c++)
		if (total <= (1ul << (MIN_CLASS_SHIFT + c)))
			return c;
	return -1;
}

static int refill(int c)
{
	uint64_t page = page_alloc(1);
	if (!page)
		return -1;
	size_t block = 1ul << (MIN_CLASS_SHIFT + c);
	uint8_t *base = phys_to_virt(page);
	for (size_t off = 0; off + block <= PAGE_SIZE; off += block) {
		struct free_block *b = (struct free_block *)(base + off);
		b->next = free_lists[c];
		free_lists[c] = b;
	}
	return 0;
}

void *kmalloc(size_t size)
{
	if (size > (1ul << 40))
		return NULL;
	size_t total = size + HEADER;
	int c = class_for(total);
	struct header *h;
	if (c < 0) {
		size_t pages = PAGE_ALIGN_UP(total) / PAGE_SIZE;
		uint64_t phys = page_alloc(pages);
		if (!phys)
			return NULL;
		h = phys_to_virt(phys);
		h->class_or_pages = pages;
		h->magic = LARGE_MAGIC;
	} else {
		if (!free_lists[c] && refill(c))
			return NULL;
		h = (struct header *)free_lists[c];
		free_lists[c] = free_lists[c]->next;
		h->class_or_pages = (uint64_t)c;
		h->magic = 0;
	}
	return (uint8_t *)h + HEADER;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *ptr)
{
	if (!ptr)
		return;
	struct header *h = (struct header *)((uint8_t *)ptr - HEADER);
	if (h->magic == LARGE_MAGIC) {
		h->magic = 0;
		page_free(virt_to_phys(h), h->class_or_pages);
		return;
	}
	struct free_block *b = (struct free_block *)h;
	int c = (int)h->class_or_pages;
	b->next = free_lists[c];
	free_lists[c] = b;
}

char *kstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = kmalloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}
