/* Reading a small text file (a config.json, a state file) whole. */
#ifndef SOLE_TEXT_FILE_H
#define SOLE_TEXT_FILE_H

/* The file's bytes followed by a NUL, to free(); NULL (errno set) when it
 * cannot be opened. */
char *text_file_read(const char *path);

#endif
