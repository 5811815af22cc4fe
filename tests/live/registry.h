/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: every scenario, in the order they run and are listed. */
#ifndef ST_LIVE_REGISTRY_H
#define ST_LIVE_REGISTRY_H

#include "scenario.h"

extern const struct scenario *const scenarios[];
extern const int n_scenarios;

#endif
