/* Sorted doubly linked list of VMAs, see vma.h. */
#include "kernel/mm/vma.h"

/* How far a lookup walks from the last one's area before it starts over
 * from the head: a fault's neighbour a few areas away (guard pages, areas
 * of other protections between) is still near. */
#define NEAR_STEPS 8

/* Whether v is the first area that ends above addr. */
static bool first_ending_above(const struct vma *v, uintptr_t addr)
{
	return v->end > addr && (!v->prev || v->prev->end <= addr);
}

/* The first area that ends above addr, or NULL: a few steps from the last
 * lookup's area when it is that close, else by a walk from the head. */
static struct vma *first_ending_above_addr(const struct vma_list *const_list, uintptr_t addr)
{
	struct vma_list *list = (struct vma_list *)const_list; /* only last_found changes */
	struct vma *near = list->last_found;
	for (int steps = 0; near && steps < NEAR_STEPS; steps++) {
		if (first_ending_above(near, addr))
			return list->last_found = near;
		if (near->end <= addr && !near->next)
			return NULL; /* above the last area */
		near = near->end <= addr ? near->next : near->prev;
	}
	struct vma *v = list->head;
	while (v && v->end <= addr)
		v = v->next;
	if (v)
		list->last_found = v;
	return v;
}

struct vma *vma_find(const struct vma_list *list, uintptr_t addr)
{
	struct vma *v = first_ending_above_addr(list, addr);
	return v && v->start <= addr ? v : NULL;
}

struct vma *vma_first_overlap(const struct vma_list *list, uintptr_t start, uintptr_t end)
{
	struct vma *v = first_ending_above_addr(list, start);
	return v && v->start < end ? v : NULL;
}

void vma_insert(struct vma_list *list, struct vma *vma)
{
	struct vma *prev = NULL, *next = list->head;
	while (next && next->start < vma->start) {
		prev = next;
		next = next->next;
	}
	vma->prev = prev;
	vma->next = next;
	if (prev)
		prev->next = vma;
	else
		list->head = vma;
	if (next)
		next->prev = vma;
	list->count++;
}

void vma_unlink(struct vma_list *list, struct vma *vma)
{
	if (list->last_found == vma)
		list->last_found = vma->prev ? vma->prev : vma->next;
	if (vma->prev)
		vma->prev->next = vma->next;
	else
		list->head = vma->next;
	if (vma->next)
		vma->next->prev = vma->prev;
	vma->prev = vma->next = NULL;
	list->count--;
}

struct vma *vma_split(struct vma_list *list, struct vma *vma, uintptr_t addr, struct vma *spare)
{
	uint64_t cut = addr - vma->start;
	*spare = *vma;
	spare->start = addr;
	vma->end = addr;
	if (vma->file) {
		spare->file_offset = vma->file_offset + cut;
		spare->file_bytes = vma->file_bytes > cut ? vma->file_bytes - cut : 0;
		if (vma->file_bytes > cut)
			vma->file_bytes = cut;
	}
	spare->prev = vma;
	spare->next = vma->next;
	if (vma->next)
		vma->next->prev = spare;
	vma->next = spare;
	list->count++;
	return spare;
}

static bool continues(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags || a->file != b->file ||
	    a->name != b->name)
		return false;
	uint64_t size = a->end - a->start;
	return !a->file || (a->file_bytes >= size && b->file_offset == a->file_offset + size);
}

struct vma *vma_merge_next(struct vma_list *list, struct vma *vma)
{
	struct vma *next = vma->next;
	if (!next || !continues(vma, next))
		return NULL;
	if (vma->file)
		vma->file_bytes = (vma->end - vma->start) + next->file_bytes;
	vma->end = next->end;
	vma_unlink(list, next);
	return next;
}

bool vma_find_gap_below(const struct vma_list *list, size_t size, uintptr_t floor, uintptr_t ceiling,
			uintptr_t *start)
{
	if (size == 0 || ceiling < floor || ceiling - floor < size)
		return false;
	/* Walk to the last area below the ceiling, then scan downwards. */
	struct vma *v = list->head, *last = NULL;
	for (; v && v->start < ceiling; v = v->next)
		last = v;
	uintptr_t top = ceiling;
	for (v = last; v; v = v->prev) {
		uintptr_t gap_bottom = v->end > floor ? v->end : floor;
		if (top > gap_bottom && top - gap_bottom >= size) {
			*start = top - size;
			return true;
		}
		if (v->start < top)
			top = v->start;
		if (top <= floor || top - floor < size)
			return false;
	}
	*start = top - size;
	return true;
}
