#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gen-cpuhpctl.sh CPUHPCTL VERSION > cpuhpctl.1.md
#
# Writes the markdown source of cpuhpctl(1) from the built tool's own help
# texts (in the manner of help2man), so the page lists exactly the commands
# and options the tool has; go-md2man renders it.  Help text goes into
# indented blocks, so no character of it is taken as markup.
set -eu
ctl=$1
version=$2

block() {
	# An indented (code) block: every line, blank ones included.
	# Two more spaces: a line of help that starts with ' or . must not
	# begin a roff line (go-md2man copies code blocks as they are).
	sed 's/^/      /'
}

cat <<HDR
% CPUHPCTL 1 "" "cpuhp $version" "User Commands"

# NAME

cpuhpctl - drive a model of the Linux CPU-hotplug state machine

# SYNOPSIS

**cpuhpctl** [*OPTIONS*] *COMMAND* [*ARGS*]

# DESCRIPTION

cpuhpctl boots a fresh simulated machine (libcpuhp) for every invocation and
drives it through the files of /sys/devices/system/cpu: reading and writing
control files, running scripts, replaying recordings of real kernels,
exploring every failure path, serving the machine as a FUSE file system,
running programs on it, and testing real kernel images under QEMU.

# OPTIONS AND COMMANDS

HDR
"$ctl" --help | block
echo
echo "# COMMANDS"
echo
# The command names: the first word of each line of the "Commands:" list.
for c in $("$ctl" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
	echo "## cpuhpctl $c"
	echo
	"$ctl" "$c" --help 2>&1 | block
	echo
done
cat <<'TAIL'
# EXIT STATUS

0 on success; 1 when an operation failed, a check found a difference or a
violation; 2 for a usage error.  Commands that run another program (exec) or
a kernel (kernel run) document their own codes above.

# SEE ALSO

**cpuhp_new**(3), **cpuhp_cpu_up**(3), **cpuhp_cpus_read_lock**(3),
**cpuhp_setup_state**(3), **cpuhp_ctl_read**(3), **lscpu**(1), **chcpu**(8)

The project's docs/ folder: cli.md (the script language), explore.md,
mount.md, exec.md, kernel.md, conform.md.
TAIL
