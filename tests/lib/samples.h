/* Helpers for model tests: every sample trace the model can open. */
#ifndef GOTV_TESTS_SAMPLES_H
#define GOTV_TESTS_SAMPLES_H

#include "model/model.h"

/* Open each sample trace (samples/traces, *.trace) that loads (bad-input samples are covered
 * elsewhere) and call fn(m, file name, ctx), then free the model. Returns the
 * number of models, or -1 if the directory cannot be read. */
int for_each_sample(void (*fn)(model *m, const char *name, void *ctx), void *ctx);

#endif
