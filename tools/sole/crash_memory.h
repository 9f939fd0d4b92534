/* The memory of a crashed program as the host can rebuild it: the stack
 * bytes of the crash record, the file contents of the ELF segments it had
 * mapped, and tables the unwinder builds for itself at addresses no real
 * program uses. libunwind reads it all through one function. */
#ifndef SOLE_CRASH_MEMORY_H
#define SOLE_CRASH_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct memory_region {
	uint64_t address;
	size_t size;
	const uint8_t *bytes; /* not owned */
};

struct crash_memory {
	struct memory_region *regions;
	size_t count;
	uint64_t next_synthetic; /* where the next synthetic region goes */
};

void crash_memory_init(struct crash_memory *memory);
void crash_memory_add(struct crash_memory *memory, uint64_t address, const void *bytes, size_t size);
/* Places bytes at a new address outside every canonical x86_64 address and
 * returns that address. */
uint64_t crash_memory_add_synthetic(struct crash_memory *memory, const void *bytes, size_t size);
/* False when any byte of [address, address+size) is unknown. */
bool crash_memory_read(const struct crash_memory *memory, uint64_t address, void *out, size_t size);
void crash_memory_free(struct crash_memory *memory);

#endif
