/* Stands in for kernel/mm/addrspace.h when kernel/fs/ninep.c is built for
 * the fuzzer: the 9P client asks an address space only about the app's
 * pages, and the fuzzer hands it kernel buffers, so none is ever asked. */
#ifndef SOLE_FUZZ_ADDRSPACE_H
#define SOLE_FUZZ_ADDRSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addrspace {
	int refs;
};

static inline uint64_t as_page(struct addrspace *as, uintptr_t addr, bool write)
{
	(void)as, (void)addr, (void)write;
	return 0;
}

static inline bool as_present_pages(struct addrspace *as, uintptr_t addr, size_t count, bool write, uint64_t *phys)
{
	(void)as, (void)addr, (void)count, (void)write, (void)phys;
	return false;
}

#endif
