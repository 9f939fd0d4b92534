/* The ELF files of a crash, found on the host, see crash_objects.h. */
#include "crash_objects.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

#define PAGE_MASK (~UINT64_C(0xfff))

static bool open_elf(struct crash_object *object, const char *host_path)
{
	GElf_Ehdr header;

	object->fd = open(host_path, O_RDONLY | O_CLOEXEC);
	if (object->fd < 0)
		return false;
	elf_version(EV_CURRENT);
	object->elf = elf_begin(object->fd, ELF_C_READ_MMAP, NULL);
	if (!object->elf || !gelf_getehdr(object->elf, &header)) {
		elf_end(object->elf);
		close(object->fd);
		object->elf = NULL;
		object->fd = -1;
		return false;
	}
	object->host_path = xstrdup(host_path);
	return true;
}

/* The bias from the lowest mapping of the file: the segment its file offset
 * names was linked at p_vaddr and landed at the mapping's start. */
static uint64_t load_bias(Elf *elf, const struct crash_map *lowest)
{
	GElf_Ehdr header;
	GElf_Phdr segment;
	size_t count = 0;

	if (!gelf_getehdr(elf, &header) || header.e_type == ET_EXEC || elf_getphdrnum(elf, &count) != 0)
		return 0;
	for (size_t i = 0; i < count; i++)
		if (gelf_getphdr(elf, (int)i, &segment) && segment.p_type == PT_LOAD &&
		    (segment.p_offset & PAGE_MASK) == lowest->offset)
			return lowest->start - (segment.p_vaddr & PAGE_MASK);
	return 0;
}

/* Makes the file's loaded bytes readable at their runtime addresses. */
static void add_segments(struct crash_objects *objects, const struct crash_object *object)
{
	size_t image_size, count = 0;
	const uint8_t *image = (const uint8_t *)elf_rawfile(object->elf, &image_size);
	GElf_Phdr segment;

	/* on failure count may still be set, to PN_XNUM's count of up to 2^32 */
	if (elf_getphdrnum(object->elf, &count) != 0)
		return;
	for (size_t i = 0; image && i < count; i++) {
		if (!gelf_getphdr(object->elf, (int)i, &segment) || segment.p_type != PT_LOAD ||
		    segment.p_offset > image_size || segment.p_filesz > image_size - segment.p_offset)
			continue;
		crash_memory_add(&objects->memory, segment.p_vaddr + object->bias, image + segment.p_offset,
				 segment.p_filesz);
	}
}

static void index_object(struct crash_objects *objects, struct crash_object *object)
{
	size_t image_size;
	const uint8_t *image = (const uint8_t *)elf_rawfile(object->elf, &image_size);

	object->symbols = elf_symbols_read(object->elf);
	object->lines = source_lines_open(object->elf);
	add_segments(objects, object);
	if (image)
		cfi_tables_build(&object->cfi, object->elf, image, image_size, object->bias, &objects->memory);
	if (object->kernel && object->symbols) {
		object->start = object->symbols->lowest_address;
		object->end = object->symbols->highest_address;
	}
}

static struct crash_object *add_object(struct crash_objects *objects, const char *guest_path)
{
	objects->items = xrealloc(objects->items, (objects->count + 1) * sizeof(*objects->items));
	struct crash_object *object = &objects->items[objects->count++];
	*object = (struct crash_object){.guest_path = guest_path, .fd = -1, .start = UINT64_MAX};
	return object;
}

static const char *host_path_of(const char *guest_path, const struct crash_context *context)
{
	if (context->app_guest_path && strcmp(guest_path, context->app_guest_path) == 0)
		return context->app_host_path;
	return access(guest_path, R_OK) == 0 ? guest_path : NULL;
}

/* One object per distinct file path among the map lines. */
static void add_mapped_files(struct crash_objects *objects, const struct crash_context *context)
{
	const struct crash_record *record = objects->record;

	for (size_t i = 0; i < record->map_count; i++) {
		const struct crash_map *map = &record->maps[i];
		if (!map->path[0] || map->path[0] == '[' || crash_objects_find(objects, map->start))
			continue;
		struct crash_object *object = add_object(objects, map->path);
		const struct crash_map *lowest = map;
		for (size_t j = i; j < record->map_count; j++) {
			const struct crash_map *other = &record->maps[j];
			if (strcmp(other->path, map->path) != 0)
				continue;
			if (other->start < object->start)
				object->start = other->start;
			if (other->end > object->end)
				object->end = other->end;
			if (other->start < lowest->start)
				lowest = other;
		}
		const char *host_path = host_path_of(map->path, context);
		if (!host_path || !open_elf(object, host_path))
			continue;
		object->bias = load_bias(object->elf, lowest);
		index_object(objects, object);
	}
}

void crash_objects_load(struct crash_objects *objects, const struct crash_record *record,
			const struct crash_context *context)
{
	*objects = (struct crash_objects){.record = record};
	crash_memory_init(&objects->memory);
	crash_memory_add(&objects->memory, record->stack_start, record->stack, record->stack_end - record->stack_start);
	if (context->kernel_elf) {
		struct crash_object *kernel = add_object(objects, "the kernel");
		kernel->kernel = true;
		kernel->start = KERNEL_SPACE_START;
		kernel->end = UINT64_MAX;
		if (open_elf(kernel, context->kernel_elf))
			index_object(objects, kernel);
	}
	add_mapped_files(objects, context);
}

const struct crash_object *crash_objects_find(const struct crash_objects *objects, uint64_t address)
{
	for (size_t i = 0; i < objects->count; i++)
		if (address >= objects->items[i].start && address < objects->items[i].end)
			return &objects->items[i];
	return NULL;
}

bool crash_objects_is_code(const struct crash_objects *objects, uint64_t address)
{
	if (address >= KERNEL_SPACE_START) {
		const struct crash_object *kernel = crash_objects_find(objects, address);
		return kernel && kernel->symbols && elf_symbols_find(kernel->symbols, address);
	}
	const struct crash_map *map = crash_record_map_at(objects->record, address);
	return map && map->prot[2] == 'x';
}

void crash_objects_free(struct crash_objects *objects)
{
	for (size_t i = 0; i < objects->count; i++) {
		struct crash_object *object = &objects->items[i];
		cfi_tables_free(&object->cfi);
		source_lines_close(object->lines);
		elf_symbols_free(object->symbols);
		elf_end(object->elf);
		if (object->fd >= 0)
			close(object->fd);
		free(object->host_path);
	}
	free(objects->items);
	crash_memory_free(&objects->memory);
	*objects = (struct crash_objects){0};
}
