/* A full TLB flush every TLB_REFRESH_MS of a busy app, so that QEMU's TCG
 * sizes its software TLB to the app's working set (see tlb_refresh.c). */
#ifndef SOLE_TLB_REFRESH_H
#define SOLE_TLB_REFRESH_H

#define TLB_REFRESH_MS 50
#define TLB_REFRESH_CHECK_EVERY 64 /* entries from user mode */

extern unsigned tlb_refresh_entries;

/* Reloads CR3 if the last reload is TLB_REFRESH_MS old. */
void tlb_refresh_check(void);

/* Called on each entry from user mode; inline, as under TCG a call and
 * its return cost as much as the check: only every
 * TLB_REFRESH_CHECK_EVERY-th entry looks at the clock. */
static inline void tlb_refresh(void)
{
	if (++tlb_refresh_entries % TLB_REFRESH_CHECK_EVERY == 0)
		tlb_refresh_check();
}

#endif
