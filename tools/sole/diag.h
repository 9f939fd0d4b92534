/* Messages from sole to the user on stderr, each one line prefixed "sole: ". */
#ifndef SOLE_DIAG_H
#define SOLE_DIAG_H

void sole_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
void sole_warning(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
