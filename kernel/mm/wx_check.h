/* W^X in the kernel: its text is read-only, everything else it maps (data,
 * heap, stacks, the direct map, devices) is never executable. A boot-time
 * self-check walks the kernel half of the page tables to prove it
 * (README.md, "W^X in the kernel"). */
#ifndef SOLE_MM_WX_CHECK_H
#define SOLE_MM_WX_CHECK_H

/* Walks every kernel-half mapping made so far and panics if a page is both
 * writable and executable, or if the text can be written through any
 * alias. Run once at boot, after the last boot-time mapping. */
void wx_check(void);

/* For the test of the check (boot key test-wx-violation): makes the first
 * page of the kernel's data executable as well. */
void wx_check_break_on_purpose(void);

#endif
