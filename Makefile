# casetrack — every target is one line of shell; .ci/run calls `make test`.
PREFIX ?= /usr/local
SWIFT ?= swift
RELEASE_FLAGS = -c release --static-swift-stdlib
BIN = .build/release/casetrack
DEMO_DB ?= .build/demo/casetrack.db
DB ?=
DB_ARG = $(if $(DB),--db $(DB),)
MANUAL = .build/casetrack.1
SHARE = $(DESTDIR)$(PREFIX)/share
COMPLETIONS = $(SHARE)/bash-completion/completions/casetrack $(SHARE)/zsh/site-functions/_casetrack $(SHARE)/fish/vendor_completions.d/casetrack.fish

.PHONY: all build test check demo seed man install uninstall clean deps fuzz bench bench-postgres

all: build

# libsqlite3-dev provides the headers GRDB links against, and the tests use the sqlite3 shell to
# write behind casetrack's back: installed when we are root, else named.
deps:
	@for need in /usr/include/sqlite3.h:libsqlite3-dev sqlite3:sqlite3; do path=$${need%%:*}; pkg=$${need##*:}; { test -e "$$path" || command -v "$$path" >/dev/null; } || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkg >/dev/null; else echo "casetrack needs $$pkg: run 'sudo apt-get install $$pkg' and try again" >&2; exit 1; fi; }; done

# Stripped: the symbols take the static binary from about 92 MB to 64 MB (run-time backtraces then
# show addresses rather than names).
build: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product casetrack && strip $(BIN)

# The tests run beside a throw-away PostgreSQL server (Scripts/with-postgres.sh), named to them in
# CASETRACK_TEST_POSTGRES; without one, CASETRACK_TEST_POSTGRES_SKIP says why.
test: deps
	$(SWIFT) build --build-tests
	Scripts/with-postgres.sh $(SWIFT) test --skip-build

check: test

demo: build
	$(BIN) import seed/hubei-2023.jsonl --db $(DEMO_DB)
	@echo "Seed cases in $(DEMO_DB):"
	@$(BIN) case list --db $(DEMO_DB)
	@echo
	@$(BIN) report --by city,year --db $(DEMO_DB)

seed: build
	$(BIN) import seed/hubei-2023.jsonl $(DB_ARG)

# casetrack beside the sqlite3 shell on the same generated data (bench/bench.py); SCALE=1000000 for the million.
SCALE ?= 10000 100000
bench: deps
	@command -v sqlite-utils >/dev/null || pip install -q sqlite-utils >/dev/null 2>&1 || echo "sqlite-utils is not installed (pip install sqlite-utils): the peer figure is left out" >&2
	@for tool in sqlite3:sqlite3 /usr/bin/time:time; do command -v $${tool%%:*} >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq $${tool##*:} >/dev/null; else echo "make bench needs $${tool##*:}: run 'sudo apt-get install $${tool##*:}'" >&2; exit 1; fi; }; done
	CASETRACK_BENCH=1 $(SWIFT) build $(RELEASE_FLAGS) --scratch-path .build-bench --product casetrack
	CASETRACK_BENCH=1 $(SWIFT) build $(RELEASE_FLAGS) --scratch-path .build-bench --product casetrack-empty
	python3 bench/bench.py .build-bench/release/casetrack .build-bench/release/casetrack-empty $(SCALE)

# casetrack on a PostgreSQL server beside psql on the same data (bench/bench_postgres.py): a
# throw-away server with default settings (fsync on), unless CASETRACK_BENCH_POSTGRES names one.
bench-postgres: deps
	@for tool in psql:postgresql-client /usr/bin/time:time; do command -v $${tool%%:*} >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq $${tool##*:} >/dev/null; else echo "make bench-postgres needs $${tool##*:}: run 'sudo apt-get install $${tool##*:}'" >&2; exit 1; fi; }; done
	CASETRACK_BENCH=1 $(SWIFT) build $(RELEASE_FLAGS) --scratch-path .build-bench --product casetrack
	python3 bench/bench_postgres.py .build-bench/release/casetrack $(SCALE)

# libFuzzer over the parsers of untrusted text (references, dates, counts, codes, JSON/JSONL/CSV
# imports, GB18030); FUZZ_TIME seconds, starting from Fuzz/corpus. Not part of `make test`.
FUZZ_TIME ?= 300
fuzz: deps
	CASETRACK_FUZZ=1 $(SWIFT) build --scratch-path .build-fuzz --product casetrack-fuzz -Xswiftc -sanitize=fuzzer,address
	mkdir -p .build-fuzz/corpus .build-fuzz/crashes && cp Fuzz/corpus/* .build-fuzz/corpus/
	ASAN_OPTIONS=detect_leaks=0 .build-fuzz/debug/casetrack-fuzz .build-fuzz/corpus -max_total_time=$(FUZZ_TIME) -max_len=4096 -rss_limit_mb=4096 -artifact_prefix=.build-fuzz/crashes/ -print_final_stats=1 -detect_leaks=0

# The manual page from the commands' own help, by swift-argument-parser's generate-manual tool run on
# the built binary (its package plugin would rebuild every product without --static-swift-stdlib, over
# this one). The tool drops non-ASCII text; Scripts/help-for-manual.sh carries it across as @U+XXXX@.
man: build
	$(SWIFT) build $(RELEASE_FLAGS) --product generate-manual
	CASETRACK_BIN=$(CURDIR)/$(BIN) .build/release/generate-manual Scripts/help-for-manual.sh -o .build && perl -pi -e 's/\@U\+([0-9A-F]+)\@/\\[u$$1]/g' $(MANUAL)

# The binary, bash/zsh/fish completions (written by the binary itself) and the manual page.
install: build man
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/bash-completion/completions $(SHARE)/zsh/site-functions $(SHARE)/fish/vendor_completions.d $(SHARE)/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/casetrack
	$(BIN) --generate-completion-script bash > $(SHARE)/bash-completion/completions/casetrack
	$(BIN) --generate-completion-script zsh > $(SHARE)/zsh/site-functions/_casetrack
	$(BIN) --generate-completion-script fish > $(SHARE)/fish/vendor_completions.d/casetrack.fish
	install -m 0644 $(MANUAL) $(SHARE)/man/man1/casetrack.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/casetrack $(COMPLETIONS) $(SHARE)/man/man1/casetrack.1

clean:
	rm -rf .build
