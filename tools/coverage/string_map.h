/* A hash map from borrowed strings to 32-bit values (open addressing): import
 * names to their index, exported symbols to their function. */
#ifndef SOLE_COVERAGE_STRING_MAP_H
#define SOLE_COVERAGE_STRING_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct string_map {
	const char **keys; /* borrowed: they must outlive the map */
	uint32_t *values;
	size_t count;
	size_t capacity; /* a power of two, or 0 */
};

/* Adds key with value unless present; returns the value now stored. */
uint32_t string_map_add(struct string_map *map, const char *key, uint32_t value);
bool string_map_get(const struct string_map *map, const char *key, uint32_t *value);
void string_map_free(struct string_map *map);

#endif
