/* libunwind's binary-search tables for an ELF file's call frame information,
 * see cfi_tables.h. The entry formats are DWARF 5 section 6.4 (.debug_frame)
 * and the LSB's .eh_frame, which differ in the CIE id, the FDE's CIE pointer
 * and the pointer encodings. */
#include "cfi_tables.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "byte_buffer.h"
#include "xalloc.h"

#define DW_EH_PE_omit 0xff
#define DW_EH_PE_absptr 0x00
#define DW_EH_PE_pcrel 0x10
#define DEBUG_FRAME_CIE_ID 0xffffffffu

/* Reads a section; address is the runtime address of at, for pc-relative
 * pointers. ok turns false on any read past the end. */
struct reader {
	const uint8_t *at, *end;
	uint64_t address;
	bool ok;
};

static void skip(struct reader *r, size_t n)
{
	if ((size_t)(r->end - r->at) < n) {
		r->ok = false;
		r->at = r->end;
		return;
	}
	r->at += n;
	r->address += n;
}

static uint64_t read_unsigned(struct reader *r, size_t n)
{
	uint64_t value = 0;

	if ((size_t)(r->end - r->at) < n) {
		skip(r, n);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		value |= (uint64_t)r->at[i] << (8 * i);
	skip(r, n);
	return value;
}

/* LEB128: seven bits a byte, low bits first; *shift and *last tell the
 * signed reader where the value ended and its sign bit. */
static uint64_t read_leb(struct reader *r, unsigned *shift, uint8_t *last)
{
	uint64_t value = 0;
	uint8_t byte;

	*shift = 0;
	do {
		byte = (uint8_t)read_unsigned(r, 1);
		if (*shift < 64)
			value |= (uint64_t)(byte & 0x7f) << *shift;
		*shift += 7;
	} while (r->ok && (byte & 0x80));
	*last = byte;
	return value;
}

static uint64_t read_uleb(struct reader *r)
{
	unsigned shift;
	uint8_t last;
	return read_leb(r, &shift, &last);
}

static int64_t read_sleb(struct reader *r)
{
	unsigned shift;
	uint8_t byte;
	uint64_t value = read_leb(r, &shift, &byte);
	if (shift < 64 && (byte & 0x40))
		value |= ~UINT64_C(0) << shift;
	return (int64_t)value;
}

/* A pointer in one of the encodings .eh_frame uses; absolute values are
 * link-time addresses, which the caller relocates. */
static uint64_t read_encoded(struct reader *r, uint8_t encoding, bool *absolute)
{
	uint64_t field = r->address, value;

	switch (encoding & 0x0f) {
	case 0x00: case 0x04: case 0x0c: value = read_unsigned(r, 8); break;
	case 0x01: value = read_uleb(r); break;
	case 0x02: value = read_unsigned(r, 2); break;
	case 0x03: value = read_unsigned(r, 4); break;
	case 0x09: value = (uint64_t)read_sleb(r); break;
	case 0x0a: value = (uint64_t)(int64_t)(int16_t)read_unsigned(r, 2); break;
	case 0x0b: value = (uint64_t)(int64_t)(int32_t)read_unsigned(r, 4); break;
	default: r->ok = false; return 0;
	}
	*absolute = (encoding & 0x70) == DW_EH_PE_absptr;
	if ((encoding & 0x70) == DW_EH_PE_pcrel)
		return value + field;
	if (!*absolute)
		r->ok = false; /* datarel, textrel, funcrel: not used on x86_64 */
	return value;
}

/* One CIE or FDE: where it starts, its body after the length, its end. */
struct frame_entry {
	size_t offset;
	size_t id_offset; /* where the CIE id or the FDE's CIE pointer sits */
	uint32_t id;
	struct reader body; /* just after the id */
	size_t end;
};

/* The entry at *offset, moving *offset past it. False at the end or on an
 * entry sole does not read (64-bit DWARF, a zero terminator). */
static bool next_entry(const uint8_t *data, size_t size, uint64_t address, size_t *offset,
		       struct frame_entry *entry)
{
	struct reader r = {data + *offset, data + size, address + *offset, true};
	uint32_t length = (uint32_t)read_unsigned(&r, 4);

	if (!r.ok || length == 0 || length == 0xffffffffu || length > size - *offset - 4)
		return false;
	entry->offset = *offset;
	entry->id_offset = *offset + 4;
	entry->end = *offset + 4 + length;
	entry->id = (uint32_t)read_unsigned(&r, 4);
	r.end = data + entry->end;
	entry->body = r;
	*offset = entry->end;
	return true;
}

/* What the FDEs of one CIE need: the encoding of their pointers. */
struct cie_info {
	size_t offset;
	uint8_t fde_encoding;
	bool has_augmentation_size; /* 'z': FDEs carry augmentation data */
	bool usable;
};

struct cie_list {
	struct cie_info *items;
	size_t count;
};

static const struct cie_info *cie_at(const struct cie_list *cies, size_t offset)
{
	for (size_t i = 0; i < cies->count; i++)
		if (cies->items[i].offset == offset)
			return cies->items[i].usable ? &cies->items[i] : NULL;
	return NULL;
}

static void add_cie(struct cie_list *cies, struct cie_info info)
{
	cies->items = xrealloc(cies->items, (cies->count + 1) * sizeof(*cies->items));
	cies->items[cies->count++] = info;
}

/* Reads an .eh_frame CIE's augmentation for the FDE pointer encoding. */
static struct cie_info parse_eh_cie(const struct frame_entry *entry)
{
	struct reader r = entry->body;
	struct cie_info info = {.offset = entry->offset, .fde_encoding = DW_EH_PE_absptr};
	uint8_t version = (uint8_t)read_unsigned(&r, 1);
	const char *augmentation = (const char *)r.at;
	size_t augmentation_length = strnlen(augmentation, (size_t)(r.end - r.at));
	bool absolute;

	skip(&r, augmentation_length + 1);
	read_uleb(&r); /* code alignment */
	read_sleb(&r); /* data alignment */
	if (version == 1)
		read_unsigned(&r, 1);
	else
		read_uleb(&r); /* return address register */
	info.usable = r.ok && (augmentation_length == 0 || augmentation[0] == 'z');
	if (augmentation_length == 0 || !info.usable)
		return info;
	info.has_augmentation_size = true;
	read_uleb(&r);
	for (size_t i = 1; i < augmentation_length && r.ok; i++) {
		if (augmentation[i] == 'R')
			info.fde_encoding = (uint8_t)read_unsigned(&r, 1);
		else if (augmentation[i] == 'L')
			read_unsigned(&r, 1);
		else if (augmentation[i] == 'P')
			read_encoded(&r, (uint8_t)read_unsigned(&r, 1), &absolute);
		else if (augmentation[i] != 'S' && augmentation[i] != 'B')
			break; /* the FDEs still parse: the size skips what follows */
	}
	info.usable = r.ok && info.fde_encoding != DW_EH_PE_omit;
	return info;
}

/* Gathers (start, end, FDE offset) triples before they become a table. */
struct fde_span {
	uint64_t start, end;
	size_t fde_offset;
};

struct fde_spans {
	struct fde_span *items;
	size_t count;
};

static void add_span(struct fde_spans *spans, uint64_t start, uint64_t end, size_t fde_offset)
{
	if (end <= start)
		return; /* an FDE the linker discarded */
	spans->items = xrealloc(spans->items, (spans->count + 1) * sizeof(*spans->items));
	spans->items[spans->count++] = (struct fde_span){start, end, fde_offset};
}

static int compare_spans(const void *left, const void *right)
{
	const struct fde_span *a = left, *b = right;
	return a->start < b->start ? -1 : a->start > b->start;
}

/* Sorts the spans into table and places its entries in memory. */
static void make_table(struct cfi_table *table, struct fde_spans *spans, uint64_t frame_data,
		       struct crash_memory *memory)
{
	if (spans->count == 0)
		return;
	qsort(spans->items, spans->count, sizeof(*spans->items), compare_spans);
	table->start_ip = spans->items[0].start;
	for (size_t i = 0; i < spans->count; i++)
		if (spans->items[i].end > table->end_ip)
			table->end_ip = spans->items[i].end;
	if (table->end_ip - table->start_ip > INT32_MAX)
		return; /* not one object: the offsets would not fit */
	table->frame_data = frame_data;
	table->entries = xmalloc(spans->count * 2 * sizeof(int32_t));
	for (size_t i = 0; i < spans->count; i++) {
		table->entries[2 * i] = (int32_t)(spans->items[i].start - table->start_ip);
		table->entries[2 * i + 1] = (int32_t)spans->items[i].fde_offset;
	}
	table->entry_count = spans->count;
	table->table_address =
		crash_memory_add_synthetic(memory, table->entries, spans->count * 2 * sizeof(int32_t));
}

/* .eh_frame stays where the program had it; libunwind reads it in place. */
static void index_eh_frame(struct cfi_table *table, const uint8_t *data, size_t size, uint64_t address,
			   uint64_t bias, struct crash_memory *memory)
{
	struct cie_list cies = {0};
	struct fde_spans spans = {0};
	struct frame_entry entry;
	size_t offset = 0;

	while (next_entry(data, size, address, &offset, &entry)) {
		if (entry.id == 0) {
			add_cie(&cies, parse_eh_cie(&entry));
			continue;
		}
		const struct cie_info *cie = cie_at(&cies, entry.id_offset - entry.id);
		if (!cie)
			continue;
		bool absolute;
		uint64_t start = read_encoded(&entry.body, cie->fde_encoding, &absolute);
		uint64_t length = read_encoded(&entry.body, cie->fde_encoding & 0x0f, &(bool){0});
		if (entry.body.ok)
			add_span(&spans, start + (absolute ? bias : 0), start + (absolute ? bias : 0) + length,
				 entry.offset);
	}
	make_table(table, &spans, address, memory);
	free(cies.items);
	free(spans.items);
}

/* A .debug_frame CIE in .eh_frame's form: id 0, and version 4's address and
 * segment sizes dropped (libunwind reads versions 1 and 3). Returns false
 * for CIEs with an augmentation, which .debug_frame does not use on x86_64. */
static bool convert_cie(const struct frame_entry *entry, struct byte_buffer *out)
{
	struct reader r = entry->body;
	uint8_t version = (uint8_t)read_unsigned(&r, 1);
	const uint8_t *augmentation = r.at;

	if (!r.ok || r.at >= r.end || *augmentation != 0 || (version != 1 && version != 3 && version != 4))
		return false;
	skip(&r, 1);
	if (version == 4)
		skip(&r, 2); /* address_size, segment_selector_size */
	uint8_t new_version = version == 4 ? 3 : version;
	uint32_t length = (uint32_t)(4 + 1 + 1 + (size_t)(r.end - r.at));
	uint32_t id = 0;
	byte_buffer_append(out, &length, 4);
	byte_buffer_append(out, &id, 4);
	byte_buffer_append(out, &new_version, 1);
	byte_buffer_append(out, "", 1);
	byte_buffer_append(out, r.at, (size_t)(r.end - r.at));
	return true;
}

/* Where a converted CIE landed, by its offset in .debug_frame. */
struct moved_cie {
	size_t old_offset, new_offset;
};

/* .debug_frame in .eh_frame's form, at a synthetic address: libunwind's
 * remote interface reads only .eh_frame's form. The FDEs' absolute start
 * addresses are relocated by bias on the way. */
static void index_debug_frame(struct cfi_table *table, const uint8_t *data, size_t size, uint64_t bias,
			      struct crash_memory *memory)
{
	struct byte_buffer out = {0};
	struct moved_cie *moved = NULL;
	size_t moved_count = 0, offset = 0;
	struct fde_spans spans = {0};
	struct frame_entry entry;

	while (next_entry(data, size, 0, &offset, &entry)) {
		if (entry.id != DEBUG_FRAME_CIE_ID)
			continue;
		size_t new_offset = out.length;
		if (!convert_cie(&entry, &out))
			continue;
		moved = xrealloc(moved, (moved_count + 1) * sizeof(*moved));
		moved[moved_count++] = (struct moved_cie){entry.offset, new_offset};
	}
	offset = 0;
	while (next_entry(data, size, 0, &offset, &entry)) {
		const struct moved_cie *cie = NULL;
		for (size_t i = 0; i < moved_count && !cie && entry.id != DEBUG_FRAME_CIE_ID; i++)
			if (moved[i].old_offset == entry.id)
				cie = &moved[i];
		uint64_t start = read_unsigned(&entry.body, 8) + bias;
		uint64_t length = read_unsigned(&entry.body, 8);
		if (!cie || !entry.body.ok)
			continue;
		size_t new_offset = out.length;
		uint32_t entry_length = (uint32_t)(entry.end - entry.offset - 4);
		uint32_t cie_pointer = (uint32_t)(new_offset + 4 - cie->new_offset);
		byte_buffer_append(&out, &entry_length, 4);
		byte_buffer_append(&out, &cie_pointer, 4);
		byte_buffer_append(&out, &start, 8);
		byte_buffer_append(&out, &length, 8);
		byte_buffer_append(&out, entry.body.at, (size_t)(entry.body.end - entry.body.at));
		add_span(&spans, start, start + length, new_offset);
	}
	if (spans.count > 0) {
		table->converted = out.data;
		uint64_t address = crash_memory_add_synthetic(memory, out.data, out.length);
		make_table(table, &spans, address, memory);
	} else {
		byte_buffer_free(&out);
	}
	free(moved);
	free(spans.items);
}

void cfi_tables_build(struct cfi_tables *tables, Elf *elf, const uint8_t *image, size_t image_size,
		      uint64_t bias, struct crash_memory *memory)
{
	size_t names;
	GElf_Shdr header;

	*tables = (struct cfi_tables){0};
	if (elf_getshdrstrndx(elf, &names) != 0)
		return;
	for (Elf_Scn *section = elf_nextscn(elf, NULL); section; section = elf_nextscn(elf, section)) {
		if (!gelf_getshdr(section, &header) || header.sh_type != SHT_PROGBITS ||
		    header.sh_offset > image_size || header.sh_size > image_size - header.sh_offset)
			continue;
		const char *name = elf_strptr(elf, names, header.sh_name);
		const uint8_t *data = image + header.sh_offset;
		if (name && strcmp(name, ".eh_frame") == 0 && tables->eh_frame.entry_count == 0)
			index_eh_frame(&tables->eh_frame, data, header.sh_size, header.sh_addr + bias, bias, memory);
		else if (name && strcmp(name, ".debug_frame") == 0 && tables->debug_frame.entry_count == 0)
			index_debug_frame(&tables->debug_frame, data, header.sh_size, bias, memory);
	}
}

void cfi_tables_free(struct cfi_tables *tables)
{
	free(tables->eh_frame.entries);
	free(tables->debug_frame.entries);
	free(tables->debug_frame.converted);
	*tables = (struct cfi_tables){0};
}
