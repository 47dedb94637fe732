/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * backend.h - what the rest of the library needs of the linux backend
 * (host.c): a machine whose CPUs follow the host's, and its stop.
 */
#ifndef CPUHP_HOST_BACKEND_H
#define CPUHP_HOST_BACKEND_H

#include <cpuhp/cpuhp.h>

int cpuhp__host_new(const struct cpuhp_config *cfg, struct cpuhp **out);
void cpuhp__host_stop(struct cpuhp *hp);

#endif /* CPUHP_HOST_BACKEND_H */
