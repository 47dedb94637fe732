// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * boot-states.c - built-in states a model registers while the machine boots.
 *
 * A real kernel does not have every state installed when its secondary CPUs
 * come up: some are set up early (before the boot CPU's hotplug thread
 * runs, so their startup runs in the boot task), some only by late
 * initcalls, after the secondary CPUs are online, through
 * cpuhp_setup_state() (startups run on every online CPU, traced) or its
 * _nocalls variant.  A model lists them with "boot early|late STATE
 * calls|nocalls" lines (docs/model-format.md); the machine hides those
 * states until their point of the boot and then sets them up through the
 * public registration API, in the model's order.  This is what makes a
 * model's boot trace comparable with a recorded one.
 */
#include <stdlib.h>
#include <string.h>

#include "machine/log.h"
#include "walk/walk.h"

/**
 * cpuhp__boot_hide - take the model's boot-registered states out of the table
 * @hp: the machine, with its core callbacks bound, before any CPU runs
 */
void cpuhp__boot_hide(struct cpuhp *hp)
{
	unsigned int i;

	for (i = 0; i < hp->nr_boot_regs; i++) {
		struct cpuhp_boot_reg *r = &hp->boot_regs[i];
		struct cpuhp_step *sp = cpuhp__step(hp, r->state);

		/* The saved copy owns the name until the state is set up. */
		r->saved = *sp;
		memset(sp, 0, sizeof(*sp));
		r->hidden = true;
	}
}

static void boot_setup(struct cpuhp *hp, struct cpuhp_boot_reg *r)
{
	struct cpuhp_step *s = &r->saved;
	struct cpuhp_step_desc d = {
		.name = s->name,
		.startup = s->startup.single,
		.teardown = s->teardown.single,
		.startup_sym = s->startup_sym[0] ? s->startup_sym : NULL,
		.teardown_sym = s->teardown_sym[0] ? s->teardown_sym : NULL,
		.data = s->data,
	};
	int ret =
		cpuhp_setup_state_desc(hp, r->state, &d, r->calls ? 0 : CPUHP_F_NOCALLS);

	if (ret < 0) {
		/* Built-in no-op callbacks cannot fail: only an injected failure. */
		cpuhp_err(hp, "boot: setting up state %d (%s) failed (%d)", r->state,
			  s->name, ret);
	} else {
		cpuhp__step(hp, r->state)->builtin = true;
		cpuhp__step(hp, r->state)->core = s->core;
	}
	free(s->name);
	s->name = NULL;
	r->hidden = false;
}

/**
 * cpuhp__boot_register - set up the boot-registered states of one phase
 * @hp:   the machine
 * @late: false: the early ones (boot CPU online, its thread not yet running);
 *        true: the late ones (after the secondary CPUs' bring-up)
 */
void cpuhp__boot_register(struct cpuhp *hp, bool late)
{
	unsigned int i;

	for (i = 0; i < hp->nr_boot_regs; i++)
		if (hp->boot_regs[i].hidden && hp->boot_regs[i].late == late)
			boot_setup(hp, &hp->boot_regs[i]);
}

/* Free what a machine that failed to boot still holds. */
void cpuhp__boot_free(struct cpuhp *hp)
{
	unsigned int i;

	for (i = 0; i < hp->nr_boot_regs; i++)
		if (hp->boot_regs[i].hidden)
			free(hp->boot_regs[i].saved.name);
	free(hp->boot_regs);
	hp->boot_regs = NULL;
	hp->nr_boot_regs = 0;
}
