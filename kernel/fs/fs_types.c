/* The file system types (see fs_types.h). */
#include "kernel/fs/fs_types.h"

const char *const fs_type_names[] = {"tmpfs", "proc", "9p"};
const int fs_type_count = sizeof fs_type_names / sizeof fs_type_names[0];
