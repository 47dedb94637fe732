/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * watchdog.h - turn a hang into a failing TAP line: watchdog_arm(S) makes
 * SIGALRM print "not ok - ... (watchdog)" and exit 1 after S seconds,
 * instead of leaving the test to CTest's timeout kill.  Uses write(2) only
 * (async-signal-safe).
 */
#ifndef CPUHP_TESTS_WATCHDOG_H
#define CPUHP_TESTS_WATCHDOG_H

#include <signal.h>
#include <unistd.h>

static inline void watchdog_fire(int sig)
{
	static const char msg[] = "not ok - hang: no progress in time (watchdog)\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

/* (Re)arm for @seconds from now; 0 disarms. */
static inline void watchdog_arm(unsigned int seconds)
{
	signal(SIGALRM, watchdog_fire);
	alarm(seconds);
}

#endif /* CPUHP_TESTS_WATCHDOG_H */
