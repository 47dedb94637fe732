/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* models.h - the models compiled into the library (generated models.c). */
#ifndef CPUHP_MODELS_H
#define CPUHP_MODELS_H

struct cpuhp_builtin_model {
	const char *name;
	const char *text;
};

extern const struct cpuhp_builtin_model cpuhp__builtin_models[];

#endif /* CPUHP_MODELS_H */
