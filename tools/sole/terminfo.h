/* The terminal description a program in the VM needs under `sole run -t`:
 * TERM in its environment and that entry of the host's terminfo database
 * in the initrd, so that less, vim and top can draw. */
#ifndef SOLE_TERMINFO_H
#define SOLE_TERMINFO_H

#include "cpio_writer.h"
#include "string_list.h"

/* Sets TERM, unless -e already did: the host's own, else xterm (docker's). */
void terminfo_set_term(struct string_list *env);

/* Adds the compiled terminfo entry for env's TERM at the path where ncurses
 * looks for it, if the host has one. */
void terminfo_add_entry(struct cpio_archive *archive, const struct string_list *env);

#endif
