/* libunwind's binary-search tables for an ELF file's call frame information
 * (.eh_frame and .debug_frame). Built on the host because static binaries
 * carry no .eh_frame_hdr and libunwind reads .debug_frame only in-process. */
#ifndef SOLE_CFI_TABLES_H
#define SOLE_CFI_TABLES_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

#include "crash_memory.h"

/* One section's table, in the form of UNW_INFO_FORMAT_IP_OFFSET: entries
 * hold (FDE start - start_ip, FDE address - frame_data) as int32 pairs. */
struct cfi_table {
	uint64_t start_ip; /* runtime addresses the FDEs cover */
	uint64_t end_ip;
	uint64_t frame_data;    /* runtime address of the CIEs and FDEs */
	uint64_t table_address; /* where the entries sit in the crash memory */
	size_t entry_count;     /* 0: the section is absent or holds no FDE */
	int32_t *entries;
	uint8_t *converted; /* .debug_frame rewritten in .eh_frame's form */
};

struct cfi_tables {
	struct cfi_table eh_frame;
	struct cfi_table debug_frame;
};

/* Indexes the sections of elf, loaded at bias, and adds what libunwind must
 * read to memory. image is the file's bytes; it must outlive memory. */
void cfi_tables_build(struct cfi_tables *tables, Elf *elf, const uint8_t *image, size_t image_size,
		      uint64_t bias, struct crash_memory *memory);
void cfi_tables_free(struct cfi_tables *tables);

#endif
