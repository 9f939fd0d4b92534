/* A hash map from borrowed strings to 32-bit values (open addressing): import
 * names to their index, exported symbols to their function. */
#include "string_map.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static uint64_t hash_of(const char *key)
{
	uint64_t hash = 1469598103934665603u; /* FNV-1a */
	for (; *key; key++)
		hash = (hash ^ (unsigned char)*key) * 1099511628211u;
	return hash;
}

static size_t slot_of(const struct string_map *map, const char *key)
{
	size_t mask = map->capacity - 1;
	size_t slot = hash_of(key) & mask;
	while (map->keys[slot] && strcmp(map->keys[slot], key) != 0)
		slot = (slot + 1) & mask;
	return slot;
}

static void grow(struct string_map *map)
{
	struct string_map bigger = {.capacity = map->capacity ? map->capacity * 2 : 64};
	bigger.keys = xcalloc(bigger.capacity, sizeof(*bigger.keys));
	bigger.values = xcalloc(bigger.capacity, sizeof(*bigger.values));
	for (size_t i = 0; i < map->capacity; i++)
		if (map->keys[i])
			string_map_add(&bigger, map->keys[i], map->values[i]);
	string_map_free(map);
	*map = bigger;
}

uint32_t string_map_add(struct string_map *map, const char *key, uint32_t value)
{
	if ((map->count + 1) * 2 > map->capacity)
		grow(map);
	size_t slot = slot_of(map, key);
	if (!map->keys[slot]) {
		map->keys[slot] = key;
		map->values[slot] = value;
		map->count++;
	}
	return map->values[slot];
}

bool string_map_get(const struct string_map *map, const char *key, uint32_t *value)
{
	if (map->capacity == 0)
		return false;
	size_t slot = slot_of(map, key);
	if (!map->keys[slot])
		return false;
	*value = map->values[slot];
	return true;
}

void string_map_free(struct string_map *map)
{
	free(map->keys);
	free(map->values);
	*map = (struct string_map){0};
}
