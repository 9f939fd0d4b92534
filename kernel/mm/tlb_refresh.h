/* A full TLB flush every TLB_REFRESH_MS of a busy app, so that QEMU's TCG
 * sizes its software TLB to the app's working set (see tlb_refresh.c). */
#ifndef SOLE_TLB_REFRESH_H
#define SOLE_TLB_REFRESH_H

#define TLB_REFRESH_MS 50

/* Called on each entry from user mode: reloads CR3 once the last reload
 * is TLB_REFRESH_MS old. */
void tlb_refresh(void);

#endif
