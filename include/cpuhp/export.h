/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpuhp/export.h - symbol visibility for the public API. */
#ifndef CPUHP_EXPORT_H
#define CPUHP_EXPORT_H

#if defined(CPUHP_BUILDING_LIBRARY) && defined(__GNUC__)
#define CPUHP_EXPORT __attribute__((visibility("default")))
#else
#define CPUHP_EXPORT
#endif

#endif /* CPUHP_EXPORT_H */
