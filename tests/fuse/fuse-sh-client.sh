#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# fuse-sh-client.sh - a plain POSIX sh script, as an administrator would write
# it against the real /sys/devices/system/cpu: echo and cat only.  Run by
# fuse-sh.sh with the simulated machine (4 CPUs, 2 threads per core) mounted
# there.  Prints "ok - ..." or "not ok - ..." per check.
#
# Each write uses /bin/echo: dash's builtin echo reports every write error as
# "I/O error", coreutils' echo prints strerror(errno), which is what we check.
# Errors at open(2) (read-only files, missing files) come from the shell.
# Expected errno values: oracle linux-6.1-x86 scenario-b02 (fail at
# workqueue:prepare going up: EAGAIN), b08 (fail at sched:active going down:
# EAGAIN), scenario-c (target writes; online file out of step), scenario-d
# (smt/control=off; sibling online: EPERM) and spec 6.3, 6.4, 7.4.

cd /sys/devices/system/cpu || exit 1
err=$TMP/sh-err

# The state numbers of this model, by name, from hotplug/states.
state_of() {
	sed -n "s/^ *\([0-9]*\): $1\$/\1/p" hotplug/states
}

# w FILE VALUE EXPECTED: EXPECTED is "ok" or the strerror text.
w() {
	if /bin/echo "$2" 2>"$err" >"$1"; then
		got=ok
	else
		got=$(sed 's/.*: //' "$err")
	fi
	if [ "$got" = "$3" ]; then
		echo "ok - echo $2 > $1: $3"
	else
		echo "not ok - echo $2 > $1: expected '$3', got '$got'"
	fi
}

# r FILE EXPECTED: the file's text (without its newline).
r() {
	got=$(cat "$1" 2>&1)
	if [ "$got" = "$2" ]; then
		echo "ok - cat $1: $2"
	else
		echo "not ok - cat $1: expected '$2', got '$got'"
	fi
}

ONLINE=$(state_of online)
PREPARE=$(state_of workqueue:prepare)
ACTIVE=$(state_of sched:active)
STARTING=$(state_of sched:starting)
THREADS=$(state_of threads:prepare)
[ -n "$ONLINE" ] && [ -n "$PREPARE" ] && [ -n "$ACTIVE" ] && [ -n "$STARTING" ] &&
	[ -n "$THREADS" ] || echo "not ok - hotplug/states names the states used here"

# Plain offline and online (scenario-a).
w cpu1/online 0 ok
r cpu1/online 0
r cpu1/hotplug/state 0
r online 0,2-3
r offline 1

# Injected failure going up (scenario-b02): EAGAIN, rolled back, disarmed.
w cpu1/hotplug/fail "$PREPARE" ok
r cpu1/hotplug/fail "$PREPARE"
w cpu1/online 1 "Resource temporarily unavailable"
r cpu1/online 0
r cpu1/hotplug/state 0
r cpu1/hotplug/fail -1
r online 0,2-3

# The same CPU comes up once the injection is spent.
w cpu1/online 1 ok
r cpu1/hotplug/state "$ONLINE"
r online 0-3

# Injected failure going down (scenario-b08): EAGAIN, back online.
w cpu1/hotplug/fail "$ACTIVE" ok
w cpu1/online 0 "Resource temporarily unavailable"
r cpu1/online 1
r cpu1/hotplug/state "$ONLINE"
r cpu1/hotplug/fail -1

# Values the fail file refuses (spec 6.4).
w cpu1/hotplug/fail $((ONLINE + 1)) "Invalid argument"
w cpu1/hotplug/fail -2 "Invalid argument"
w cpu1/hotplug/fail "$STARTING" "Invalid argument"
w cpu1/hotplug/fail "$THREADS" "Invalid argument"
w cpu1/hotplug/fail abc "Invalid argument"
w cpu1/hotplug/fail 99999999999999999999 "Numerical result out of range"
r cpu1/hotplug/fail -1
w cpu1/hotplug/fail -1 ok

# Target writes (scenario-c): only 0 and online without state control.
w cpu1/hotplug/target "$ACTIVE" "Invalid argument"
w cpu1/hotplug/target 0 ok
r cpu1/hotplug/state 0
r cpu1/online 1
w cpu1/online 1 ok
r cpu1/hotplug/state 0
w cpu1/hotplug/target "$ONLINE" ok
r cpu1/hotplug/state "$ONLINE"
r online 0-3

# Read-only files are refused at open, like kernfs (EACCES even for root);
# files that do not exist cannot be created.
w online 1 "Permission denied"
w kernel_max 1 "Permission denied"
w cpu1/hotplug/state 0 "Permission denied"
w cpu1/topology/core_id 0 "Permission denied"
w cpu0/online 0 "Permission denied"
[ -e cpu0/online ] && echo "not ok - cpu0/online does not exist" ||
	echo "ok - cpu0/online does not exist"
w cpu4/online 0 "Directory nonexistent"

# SMT control (scenario-d, spec 7.4).
w smt/control bogus "Invalid argument"
r smt/control on
r smt/active 1
w smt/control off ok
r smt/control off
r smt/active 0
r online 0,2
r offline 1,3
w cpu1/online 1 "Operation not permitted"
r cpu1/online 0
w smt/control on ok
r online 0-3
r smt/active 1

# The masks and constants tools read.
r possible 0-3
r present 0-3
r kernel_max 8191
r isolated ""
r cpu0/topology/thread_siblings_list 0-1
r cpu3/topology/thread_siblings_list 2-3
r cpu3/topology/core_siblings_list 0-3
r cpu3/topology/thread_siblings c
r cpu3/topology/core_id 1
r cpu3/topology/physical_package_id 0
