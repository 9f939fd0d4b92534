/* sole-oci's messages: errors on stderr and, with --log, in the log file
 * the engines read (--log-format json: {"level":"error","msg":...,"time":...}
 * lines, as runc writes them; text: "time level msg"). */
#ifndef SOLE_OCI_LOG_H
#define SOLE_OCI_LOG_H

#include <stdbool.h>

/* path NULL: stderr only. json picks the format. */
void oci_log_open(const char *path, bool json);
void oci_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
void oci_debug(const char *format, ...) __attribute__((format(printf, 1, 2)));
void oci_log_set_debug(bool on);

#endif
