/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tests/api/test-headers.cpp - the public headers are usable from C++.
 *
 * Built twice by tests/CMakeLists.txt:
 *  - test-headers-cxx: compile only, with one generated C++ file per header
 *    that includes it alone, so each header is self-contained C++;
 *  - test-headers-cxx-link (CPUHP_TEST_LINK): linked with libcpuhp, taking
 *    the address of every function declared CPUHP_EXPORT (the list,
 *    exports.inc, is generated from the headers).  A declaration outside
 *    extern "C", or a symbol the shared library does not export, fails the
 *    link.
 */
#include <cstddef>
#include <cstring>

#include <cpuhp/control.h>
#include <cpuhp/cpuhp.h>
#include <cpuhp/export.h>
#include <cpuhp/fault.h>
#include <cpuhp/ledger.h>
#include <cpuhp/sched.h>
#include <cpuhp/state.h>
#include <cpuhp/trace.h>

#include "tap.h"

static_assert(CPUHP_OFFLINE < CPUHP_BRINGUP_CPU && CPUHP_BRINGUP_CPU < CPUHP_ONLINE,
	      "state order");
static_assert(CPUHP_MAX_CPUS > 0, "CPUHP_MAX_CPUS");

namespace
{

struct obj {
	int before;
	struct cpuhp_node node;
};

int startup(struct cpuhp *, unsigned int, void *)
{
	return 0;
}

int multi_startup(struct cpuhp *, unsigned int, struct cpuhp_node *)
{
	return 0;
}

#ifdef CPUHP_TEST_LINK
typedef void (*any_fn)(void);
#define X(fn) { #fn, reinterpret_cast<any_fn>(&fn) },
const struct {
	const char *name;
	any_fn fn;
} exports[] = {
#include "exports.inc"
};
#undef X
#endif

} // namespace

int main()
{
	struct obj o;
	struct cpuhp_config cfg = {};
	cpuhp_cb_fn cb = startup;
	cpuhp_multi_cb_fn mcb = multi_startup;

	plan_no_plan();
	ok(cpuhp_container_of(&o.node, struct obj, node) == &o, "cpuhp_container_of");
	ok(cb != nullptr && mcb != nullptr, "callback typedefs take C++ functions");
	ok1(cfg.model == nullptr && cfg.nr_possible == 0);
#ifdef CPUHP_TEST_LINK
	ok(sizeof(exports) / sizeof(exports[0]) > 0, "exports.inc lists the API");
	for (const auto &e : exports)
		ok(e.fn != nullptr, "%s is exported", e.name);
	std::memset(&cfg, 0xff, sizeof(cfg));
	cpuhp_config_init(&cfg);
	ok(cfg.log_fn == nullptr, "cpuhp_config_init() runs from C++");
#endif
	return done_testing();
}
