/* Interned strings: one kernel copy per distinct text, never freed. For
 * names that many objects share and that must outlive their first owner
 * (the file names of memory mappings). */
#ifndef SOLE_INTERN_H
#define SOLE_INTERN_H

/* The interned copy of s, or NULL when out of memory. */
const char *intern(const char *s);

#endif
