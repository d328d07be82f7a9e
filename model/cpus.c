/* The CPUs this process may run on (model_builder_finish's second thread). */
#define _GNU_SOURCE
#include "model/model_int.h"

#include <sched.h>
#include <unistd.h>

int model_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < INT32_MAX ? (int)n : 1;
}
