/* The CMOS real-time clock: the wall-clock time at boot, in seconds. */
#include "platforms/platform.h"

#include "kernel/arch/x86_64/cpu.h"

static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned bcd(uint8_t v, int binary) { return binary ? v : (v & 0x0f) + (v >> 4) * 10; }

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Days since 1970-01-01 of a proleptic Gregorian date. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t rtc_read_epoch_seconds(void)
{
	for (int tries = 0; tries < 1000000 && (cmos_read(0x0a) & 0x80); tries++)
		cpu_relax(); /* an update is in progress */
	uint8_t status_b = cmos_read(0x0b);
	int binary = status_b & 0x04;
	unsigned sec = bcd(cmos_read(0x00), binary);
	unsigned min = bcd(cmos_read(0x02), binary);
	uint8_t hour_raw = cmos_read(0x04);
	unsigned hour = bcd(hour_raw & 0x7f, binary);
	if (!(status_b & 0x02) && (hour_raw & 0x80))
		hour = (hour % 12) + 12; /* 12-hour clock, PM */
	unsigned day = bcd(cmos_read(0x07), binary);
	unsigned month = bcd(cmos_read(0x08), binary);
	unsigned year = bcd(cmos_read(0x09), binary) + 2000;
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return 0;
	return days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
}
