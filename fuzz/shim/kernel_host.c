/* The few kernel services that the parsers fuzzed on the host call: the log
 * (quiet: a fuzzer runs millions of inputs) and the heap (the host's, so
 * that ASan sees every allocation). */
#include <stdlib.h>

#include "kernel/log.h"
#include "kernel/mm/heap.h"

void klog(const char *fmt, ...) { (void)fmt; }
void kwarn(const char *fmt, ...) { (void)fmt; }
void *kmalloc(size_t size) { return malloc(size); }
void kfree(void *ptr) { free(ptr); }
