/* The memory of a crashed program as the host can rebuild it, see
 * crash_memory.h. */
#include "crash_memory.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Non-canonical on x86_64: neither user space (below 0x800000000000) nor the
 * kernel (from 0xffff800000000000) can have anything here. */
#define SYNTHETIC_BASE UINT64_C(0x5000000000000000)
#define SYNTHETIC_ALIGN 16

void crash_memory_init(struct crash_memory *memory)
{
	*memory = (struct crash_memory){.next_synthetic = SYNTHETIC_BASE};
}

void crash_memory_add(struct crash_memory *memory, uint64_t address, const void *bytes, size_t size)
{
	if (size == 0)
		return;
	memory->regions = xrealloc(memory->regions, (memory->count + 1) * sizeof(*memory->regions));
	memory->regions[memory->count++] = (struct memory_region){address, size, bytes};
}

uint64_t crash_memory_add_synthetic(struct crash_memory *memory, const void *bytes, size_t size)
{
	uint64_t address = memory->next_synthetic;

	crash_memory_add(memory, address, bytes, size);
	memory->next_synthetic += (size + SYNTHETIC_ALIGN) & ~(uint64_t)(SYNTHETIC_ALIGN - 1);
	return address;
}

/* Reads what one region holds of the range; regions may sit side by side,
 * so a read can span several. */
bool crash_memory_read(const struct crash_memory *memory, uint64_t address, void *out, size_t size)
{
	uint8_t *to = out;

	while (size > 0) {
		const struct memory_region *found = NULL;
		for (size_t i = 0; i < memory->count && !found; i++)
			if (address >= memory->regions[i].address &&
			    address - memory->regions[i].address < memory->regions[i].size)
				found = &memory->regions[i];
		if (!found)
			return false;
		size_t offset = address - found->address;
		size_t part = found->size - offset < size ? found->size - offset : size;
		memcpy(to, found->bytes + offset, part);
		to += part;
		address += part;
		size -= part;
	}
	return true;
}

void crash_memory_free(struct crash_memory *memory)
{
	free(memory->regions);
	*memory = (struct crash_memory){0};
}
