# gotv: a terminal UI for Go execution traces.
# Plain GNU make, no recursion. Sources are found by wildcard:
#   loader/*.c model/*.c   -> libgotv.a     (no curses here, ever)
#   tui/*.c except main.c  -> libgotvui.a
#   tui/main.c             -> ./gotv
#   tests/test_*.c         -> one cmocka binary each (+ tests/lib/*.c)
# Switches: V=1 (verbose), DEBUG=1 (-O0 -g3), SAN=address,undefined.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= gcc
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

ifeq ($(origin CC),default)
CC := gcc
endif

ifdef SAN
BUILD ?= build-san
SAN_FLAGS := -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD ?= build
SAN_FLAGS :=
endif

ifdef DEBUG
OPT := -O0 -g3
else
OPT := -O2 -g
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 -Wundef \
        -Wnull-dereference -Wimplicit-fallthrough -Wold-style-definition \
        -Wvla -Wno-unused-parameter

PKGS_UI   := ncursesw termkey
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS_UI) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS_UI) 2>/dev/null)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null)

CPPFLAGS_ALL := -I. -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
                -DGOTV_VERSION='"$(VERSION)"' -DGOTV_REV='"$(GIT_REV)"'
CFLAGS_ALL   := -std=c11 $(OPT) $(WARN) $(SAN_FLAGS) -MMD -MP $(CFLAGS)
LDFLAGS_ALL  := $(SAN_FLAGS) $(LDFLAGS) -lm -lpthread

ifeq ($(V),1)
Q :=
else
Q := @
endif

LIB_SRC  := $(wildcard loader/*.c model/*.c)
UI_SRC   := $(filter-out tui/main.c,$(wildcard tui/*.c))
TLIB_SRC := $(wildcard tests/lib/*.c)
TEST_SRC := $(wildcard tests/test_*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
UI_OBJ   := $(UI_SRC:%.c=$(BUILD)/%.o)
TLIB_OBJ := $(TLIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/tui/main.o
# `gotv --version` prints the commit: main.o is rebuilt when HEAD moves (the
# stamp is rewritten only when the commit differs from the one it holds).
REV_STAMP := $(BUILD)/rev.stamp
ifeq ($(filter clean,$(MAKECMDGOALS)),)
$(shell mkdir -p $(BUILD) && [ "$$(cat $(REV_STAMP) 2>/dev/null)" = '$(GIT_REV)' ] || echo '$(GIT_REV)' > $(REV_STAMP))
endif
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

LIB    := $(BUILD)/libgotv.a
UILIB  := $(BUILD)/libgotvui.a
ifdef SAN
BIN := $(BUILD)/gotv
else
BIN := gotv
endif

# Keep test objects: they are not throwaway intermediates.
.SECONDARY:

.PHONY: all deps run test check unit test-san samples bench install uninstall clean fuzz layering help
all: $(BIN)

help:
	@echo "make [all|run|test|samples|bench|fuzz|install|uninstall|clean] [V=1] [DEBUG=1] [SAN=address,undefined]"

# loader/v2.c without gcc's SLP vectorizer: it packs the root loop's M state
# (g, p) into one vector register and takes it apart again for every event
# (bench/profile-v2-s12.md). clang spells it the same way.
$(BUILD)/loader/v2.o: CFLAGS_ALL += -fno-tree-slp-vectorize

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CPPFLAGS) $(CFLAGS_ALL) $(if $(filter tui/%,$<),$(PKG_CFLAGS)) $(if $(filter tests/%,$<),$(CMOCKA_CFLAGS) $(PKG_CFLAGS)) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(UILIB): $(UI_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $(if $^,$^,)

$(MAIN_OBJ): $(REV_STAMP)

$(BIN): $(MAIN_OBJ) $(UILIB) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -o $@ $(MAIN_OBJ) $(UILIB) $(LIB) $(PKG_LIBS) $(LDFLAGS_ALL)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TLIB_OBJ) $(UILIB) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -o $@ $< $(TLIB_OBJ) $(UILIB) $(LIB) $(CMOCKA_LIBS) $(PKG_LIBS) $(LDFLAGS_ALL)

# loader/ and model/ must never include curses or termkey.
layering:
	@if grep -lE '#include *[<"](n?curses|ncursesw/|termkey)' loader/*.c loader/*.h model/*.c model/*.h 2>/dev/null; then \
	  echo "layering: loader/ and model/ must not include curses or termkey"; exit 1; fi

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./gotv samples/traces/annotated.trace

unit: $(TEST_BIN)

# The tests of code that runs on two threads, also under ThreadSanitizer
# (make test passes the list to tests/run.sh).
TSAN_TESTS := build-tsan/tests/test_model_threads build-tsan/tests/test_syms build-tsan/tests/test_tui_load build-tsan/tests/test_v1

# Every suite; the last line printed is "N passed, N failed" over all of them.
# (clang too: suite_fuzzreplay runs a short libFuzzer campaign)
test check:
	@scripts/deps.sh --fuzz
	@$(MAKE) --no-print-directory layering all unit
	@$(MAKE) --no-print-directory SAN=address,undefined all unit
	@$(MAKE) --no-print-directory SAN=thread BUILD=build-tsan $(TSAN_TESTS)
	@TSAN_TESTS="$(TSAN_TESTS)" tests/run.sh

samples:
	@scripts/deps.sh --go119
	@scripts/make_samples.sh

bench:
	@scripts/deps.sh --go119
	@$(MAKE) --no-print-directory all
	@bench/run.sh

fuzz:
	@fuzz/run.sh $(FUZZ_SECONDS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 gotv $(DESTDIR)$(PREFIX)/bin/gotv
	install -m 644 docs/gotv.1 $(DESTDIR)$(PREFIX)/share/man/man1/gotv.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/gotv $(DESTDIR)$(PREFIX)/share/man/man1/gotv.1

clean:
	rm -rf build build-san build-tsan build-fuzz gotv

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
