#include "tests/lib/samples.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

int for_each_sample(void (*fn)(model *m, const char *name, void *ctx), void *ctx)
{
    DIR *d = opendir("samples/traces");
    if (!d)
        return -1;
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 7 || strcmp(de->d_name + l - 6, ".trace"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "samples/traces/%s", de->d_name);
        model *m = NULL;
        tt_err err;
        tt_load_result res;
        if (model_open(path, NULL, &m, &res, &err) != TT_OK)
            continue;
        fn(m, de->d_name, ctx);
        model_free(m);
        n++;
    }
    closedir(d);
    return n;
}
