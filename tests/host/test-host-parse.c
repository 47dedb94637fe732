// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-host-parse.c - the linux backend's parsers: the kernel's CPU list
 * format (Documentation/admin-guide/cputopology.rst: "0-3,5", empty when no
 * CPU) and uevent datagrams ("ACTION@DEVPATH\0KEY=VALUE\0..."), strict.
 */
#include <stdio.h>
#include <string.h>

#include "exec/exec.h"
#include "tap.h"

#include "host/host.h"

static void list(const char *s, int want_err, unsigned int want_top, const char *want)
{
	struct host_set set;
	unsigned int top = 99, cpu;
	char got[256] = "";
	int err = cpuhp__cpulist_parse(s, &set, &top);

	is_int(err, want_err, "parse \"%s\"", s);
	if (err)
		return;
	is_int(top, want_top, "\"%s\": highest + 1", s);
	for (cpu = 0; cpu < 64; cpu++)
		if (hs_test(&set, cpu))
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%u,",
				 cpu);
	is_str(got, want, "\"%s\": members", s);
}

static int parse(const char *buf, size_t len, struct host_uevent *ev)
{
	return cpuhp__uevent_parse(buf, len, ev);
}

#define MSG(s) s, sizeof(s)

static void test_uevents(void)
{
	struct host_uevent ev;

	is_int(parse(MSG("offline@/devices/system/cpu/cpu3\0ACTION=offline\0"
			 "DEVPATH=/devices/system/cpu/cpu3\0SUBSYSTEM=cpu\0SEQNUM=1234"),
		     &ev),
	       0, "a cpu offline uevent");
	ok(ev.cpu_event && ev.cpu == 3 && ev.seqnum == 1234 &&
		   !strcmp(ev.action, "offline"),
	   "fields");
	is_int(parse(MSG("add@/devices/system/cpu/cpufreq\0ACTION=add\0"
			 "DEVPATH=/devices/system/cpu/cpufreq\0SUBSYSTEM=cpu\0SEQNUM=7"),
		     &ev),
	       0, "cpu subsystem, not a CPU device: well-formed");
	ok(!ev.cpu_event && ev.cpu == -1, "but not a CPU event");
	is_int(parse(MSG("online@/devices/system/cpu/cpu03\0ACTION=online\0"
			 "DEVPATH=/devices/system/cpu/cpu03\0SUBSYSTEM=cpu\0SEQNUM=8"),
		     &ev),
	       0, "leading zero");
	ok(!ev.cpu_event, "cpu03 is not a CPU device name");
	is_int(parse(MSG("online@/devices/system/cpu/cpu99999\0ACTION=online\0"
			 "DEVPATH=/devices/system/cpu/cpu99999\0SUBSYSTEM=cpu\0SEQNUM=8"),
		     &ev),
	       0, "CPU beyond CPUHP_MAX_CPUS: well-formed");
	ok(!ev.cpu_event, "but not one of ours");
	is_int(parse(MSG("libudev\0\xfe\xed\xca\xfe"), &ev), -EINVAL,
	       "udev's format refused");
	is_int(parse("x", 0, &ev), -EINVAL, "empty datagram");
	is_int(parse(MSG("@\0ACTION=\0DEVPATH=\0SUBSYSTEM=cpu\0SEQNUM=1"), &ev), -EINVAL,
	       "empty action");
	is_int(parse(MSG("online@/devices/system/cpu/cpu1\0ACTION=online\0"
			 "DEVPATH=/devices/system/cpu/cpu2\0SUBSYSTEM=cpu\0SEQNUM=1"),
		     &ev),
	       -EINVAL, "header and DEVPATH disagree");
	is_int(parse(MSG("online@/devices/system/cpu/cpu1\0ACTION=online\0"
			 "DEVPATH=/devices/system/cpu/cpu1\0SUBSYSTEM=cpu\0SEQNUM=-1"),
		     &ev),
	       -EINVAL, "negative SEQNUM");
	is_int(parse(MSG("online@/devices/system/cpu/cpu1\0ACTION=online\0"
			 "DEVPATH=/devices/system/cpu/cpu1\0SEQNUM=1"),
		     &ev),
	       -EINVAL, "no SUBSYSTEM");
}

int main(void)
{
	list("", 0, 0, "");
	list("\n", 0, 0, "");
	list("0\n", 0, 1, "0,");
	list("0-3,5\n", 0, 6, "0,1,2,3,5,");
	list("1,3-4,6-6", 0, 7, "1,3,4,6,");
	list("3-1", -EINVAL, 0, "");
	list("a", -EINVAL, 0, "");
	list("1,", -EINVAL, 0, "");
	list("1,,2", -EINVAL, 0, "");
	list("1-", -EINVAL, 0, "");
	list("0-3 ", -EINVAL, 0, "");
	list("0-3\n4", -EINVAL, 0, "");
	list("8192", -EINVAL, 0, "");
	list("8191", 0, 8192, "");
	test_uevents();
	return done_testing();
}
