/* One ELF object read for the coverage analysis: its code sections, symbols,
 * GOT slots, the code addresses its data holds, and the function starts that
 * .eh_frame_hdr lists. Only libelf; no disassembly here. */
#ifndef SOLE_COVERAGE_BINARY_IMAGE_H
#define SOLE_COVERAGE_BINARY_IMAGE_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct image_section {
	const char *name;
	uint64_t address;
	uint64_t size;
	const uint8_t *bytes; /* NULL for SHT_NOBITS */
	bool executable;
};

struct image_symbol {
	const char *name;
	uint64_t address;
	bool function; /* STT_FUNC or STT_GNU_IFUNC (the resolver's address) */
	bool object;   /* STT_OBJECT with initialised bytes: data that may hold pointers */
	bool defined;
	bool exported; /* in .dynsym, global or weak: other objects can bind to it */
};

/* An address held in data at location: relocated, or (in a non-PIE
 * executable) an absolute value that falls in a section. */
struct image_pointer {
	uint64_t location;
	uint64_t target;
};

/* A symbol's address held in data at location (R_X86_64_64). */
struct image_symbol_pointer {
	uint64_t location;
	const char *symbol;
};

/* A GOT slot that the dynamic loader fills with a symbol's address. */
struct image_got_slot {
	uint64_t address;
	const char *symbol;
};

struct binary_image {
	char *path;
	int fd;
	Elf *elf;
	uint16_t type; /* ET_EXEC or ET_DYN */
	bool dynamic;  /* has a dynamic section */
	bool has_interpreter;
	uint64_t entry;
	struct image_section *sections;
	size_t section_count;
	struct image_symbol *symbols; /* .symtab (when not stripped) and .dynsym */
	size_t symbol_count;
	struct image_got_slot *got_slots; /* sorted by address */
	size_t got_slot_count;
	struct image_pointer *code_pointers; /* code addresses held in data */
	size_t code_pointer_count;
	struct image_pointer *data_pointers; /* data addresses held in data */
	size_t data_pointer_count;
	struct image_symbol_pointer *symbol_pointers;
	size_t symbol_pointer_count;
	uint64_t *start_code; /* code that runs at load: init and fini arrays, IFUNC resolvers */
	size_t start_code_count;
	uint64_t *unwind_starts; /* function starts from .eh_frame_hdr */
	size_t unwind_start_count;
	uint64_t code_low, code_high; /* the span of the executable sections */
};

/* Reads path. Returns 0, or -1 with one line in problem. */
int binary_image_open(const char *path, struct binary_image *image, char *problem, size_t problem_size);
void binary_image_close(struct binary_image *image);

bool binary_image_is_code(const struct binary_image *image, uint64_t address);
/* In a section whose bytes are in the file (not bss). */
bool binary_image_has_bytes(const struct binary_image *image, uint64_t address);
/* In an allocated section that is not code (bss included). */
bool binary_image_is_data(const struct binary_image *image, uint64_t address);
/* The symbol a GOT slot at address is filled with, or NULL. */
const char *binary_image_got_symbol(const struct binary_image *image, uint64_t address);

#endif
