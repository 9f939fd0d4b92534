/* The exit statuses of `sole run` that are not the app's own; they follow
 * docker's conventions so scripts can tell sole's failures from the app's. */
#ifndef SOLE_EXIT_CODES_H
#define SOLE_EXIT_CODES_H

enum {
	EXIT_SOLE_ERROR = 125,   /* sole itself failed: bad flag, QEMU did not start */
	EXIT_NOT_RUNNABLE = 126, /* the binary exists but cannot run */
	EXIT_NOT_FOUND = 127,    /* the binary does not exist */
	EXIT_SIGNAL_BASE = 128,  /* killed by signal N: 128 + N, as a shell shows it */
};

#endif
