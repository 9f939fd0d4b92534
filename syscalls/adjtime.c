/* adjtimex and clock_adjtime: the state of the realtime clock as an NTP
 * daemon reads it (never synchronised: TIME_ERROR with STA_UNSYNC, as a
 * fresh Linux reports), and ADJ_SETOFFSET, which steps it. Steering the
 * clock's rate (offset, frequency, the PLL) is not done: EPERM, as in a
 * container without CAP_SYS_TIME. */
#include <linux/time.h>
#include <linux/timex.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/time.h"

#define NSEC_PER_SEC 1000000000ll
#define NSEC_PER_USEC 1000ll
#define USER_TICK_USEC 10000 /* USER_HZ 100 */
#define MAX_TOLERANCE_PPM (500ll << 16)

/* ADJ_SETOFFSET: time is a signed offset, in ns with ADJ_NANO, else us. */
static long step_clock(const struct __kernel_timex *tx)
{
	long long unit = (tx->modes & ADJ_NANO) ? 1 : NSEC_PER_USEC;
	if (tx->time.tv_usec < 0 || tx->time.tv_usec >= NSEC_PER_SEC / unit)
		return -EINVAL;
	long long offset = tx->time.tv_sec * NSEC_PER_SEC + tx->time.tv_usec * unit;
	long long now = (long long)time_realtime_ns();
	if (now + offset < 0)
		return -EINVAL;
	time_set_realtime_ns((uint64_t)(now + offset));
	return 0;
}

static long adjust(struct __kernel_timex *user)
{
	struct __kernel_timex tx;
	if (copy_from_user(&tx, user, sizeof tx))
		return -EFAULT;
	unsigned modes = tx.modes & ~(unsigned)(ADJ_NANO | ADJ_MICRO);
	if (modes & ~(unsigned)ADJ_SETOFFSET)
		return -EPERM;
	if (modes & ADJ_SETOFFSET) {
		long err = step_clock(&tx);
		if (err)
			return err;
	}
	bool nano = tx.modes & ADJ_NANO;
	uint64_t now = time_realtime_ns();
	memset(&tx, 0, sizeof tx);
	tx.status = STA_UNSYNC | (nano ? STA_NANO : 0);
	tx.maxerror = 16000000; /* NTP_PHASE_LIMIT: nothing disciplines the clock */
	tx.esterror = 16000000;
	tx.constant = 2;
	tx.precision = 1;
	tx.tolerance = MAX_TOLERANCE_PPM;
	tx.tick = USER_TICK_USEC;
	tx.time.tv_sec = (long long)(now / NSEC_PER_SEC);
	tx.time.tv_usec = (long long)(now % NSEC_PER_SEC) / (nano ? 1 : NSEC_PER_USEC);
	if (copy_to_user(user, &tx, sizeof tx))
		return -EFAULT;
	return TIME_ERROR;
}

long sys_adjtimex(struct __kernel_timex *tx) { return adjust(tx); }

long sys_clock_adjtime(int clock, struct __kernel_timex *tx)
{
	if (clock != CLOCK_REALTIME)
		return clock >= 0 && clock <= CLOCK_TAI ? -EOPNOTSUPP : -EINVAL;
	return adjust(tx);
}
