/* The CPUs this process may run on (model_builder_finish's second thread). */
#define _GNU_SOURCE
#include "model/model_int.h"

#include <sched.h>
#include <stdlib.h>
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

int model_cpu_free(void)
{
    /* two or more CPUs in the affinity mask, and the load of the last
     * minute (this process counts about 1) leaves one free; on a machine
     * whose cores are busy a second thread only adds work (bench/
     * profile-build-s8.md, bench/profile-pipe-s9.md) */
    int cpus = model_cpus();
    double load;
    if (cpus < 2)
        return 0;
    return getloadavg(&load, 1) != 1 || load <= (double)cpus - 0.5;
}
