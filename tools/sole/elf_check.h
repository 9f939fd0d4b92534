/* Checks, before booting, that a file is an ELF that sole can run: x86_64,
 * 64-bit, little endian, static, with sane program headers and entry point. */
#ifndef SOLE_ELF_CHECK_H
#define SOLE_ELF_CHECK_H

#include <stddef.h>

/* Returns 0 when runnable; otherwise writes one line saying what is wrong
 * (without the file name) to problem and returns the exit status (126). */
int elf_check_runnable(const char *path, char *problem, size_t problem_size);

#endif
