/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * model.h - what a machine is made of: the model file (model.c), the
 * kernel command line and configuration (config.c) and the step table
 * (steps.c).
 */
#ifndef CPUHP_MODEL_H
#define CPUHP_MODEL_H

#include "machine/machine.h"

/* -------- model loading (model.c) -------- */

int cpuhp__model_load(struct cpuhp *hp, const char *name_or_path);
int cpuhp__set_switch(struct cpuhp *hp, bool quirk, const char *assign);
const char *cpuhp__builtin_model_text(const char *name);

/* -------- configuration parsing (config.c) -------- */

int cpuhp__parse_cmdline(struct cpuhp *hp, const char *cmdline);
int cpuhp__parse_kconfig(struct cpuhp *hp, const char *kconfig);

/* -------- step table (steps.c) -------- */

bool cpuhp__is_atomic_state(const struct cpuhp *hp, int state);
bool cpuhp__is_ap_state(const struct cpuhp *hp, int state);
int cpuhp__store_callbacks(struct cpuhp *hp, int state,
			   const struct cpuhp_step_desc *desc);
void cpuhp__clear_step(struct cpuhp *hp, int state);

#endif /* CPUHP_MODEL_H */
