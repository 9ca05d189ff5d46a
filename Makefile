# gridwatch: make run serves the embedded default dataset; make test passes every test.
GO      ?= go
ADDR    ?= 127.0.0.1:8080
BIN     := bin/gridwatch
# Debian packages the tests need beyond Go: GDAL's ogr2ogr/ogrinfo (a real
# OGC API - Features client), Chromium (the map page's browser test) and
# PostgreSQL 15 with PostGIS 3 (the store tests start a throwaway cluster
# of their own; see data/pgtest).
TEST_DEBS := gdal-bin chromium curl postgresql-15-postgis-3
TEST_TOOLS := ogr2ogr chromium curl
TEST_FILES := /usr/lib/postgresql/15/bin/initdb /usr/lib/postgresql/15/bin/pg_ctl \
	/usr/share/postgresql/15/extension/postgis.control
# make test fails (instead of skipping) a store test that cannot start PostgreSQL.
export GRIDWATCH_REQUIRE_POSTGIS := 1

.PHONY: build run test test-deps accuracy accuracy-20 dataset-check fuzz-short fuzz bench bench-peers peer-deps load load-durable load-writes lint clean dataset web

build:
	$(GO) build -o $(BIN) ./cmd/gridwatch

run: build
	./$(BIN) serve --addr $(ADDR)

test: test-deps
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) test -race -timeout 20m ./...
	$(MAKE) --no-print-directory accuracy dataset-check fuzz-short

# Video coverage against a brute-force point-sampling reference on the
# default dataset (too slow under -race, so outside it), then every grid's
# coverage_area against the exact PostGIS shares (ST_Union of the
# viewsheds, ST_Intersection with the grid, geography areas) in a
# throwaway cluster at scale 1; it fails when a grid is 1 point or more
# off. accuracy-20 does the same at scale 20 (about two minutes more; .ci/run runs it).
PEERS := $(GO) run ./cmd/gridwatch-peers --bin $(BIN)
accuracy: build
	$(GO) test -tags accuracy -run TestVideoAccuracy -count=1 -timeout 30m ./coverage
	$(PEERS) --scales 1 --nearest=false --store=false

accuracy-20: build test-deps
	$(PEERS) --scales 20 --nearest=false --store=false

# The staffing of the embedded default dataset and its default reallocation
# plan (docs/load.md), outside the race detector.
dataset-check:
	$(GO) test -tags dataset -run 'DefaultDataset' -count=1 ./coverage

# FUZZTIME per target: a few targets briefly in make test, all of them longer in make fuzz.
FUZZTIME ?= 10s
FUZZ_SHORT := data:FuzzDecodeGeoJSON data:FuzzDecodeCSV api:FuzzWriteBody api:FuzzEveryRouteQuery
FUZZ_ALL := $(FUZZ_SHORT) data:FuzzGeoPackageGeometry api:FuzzMergePatch api:FuzzItemsQuery \
	api:FuzzParseBBox api:FuzzParseInterval api:FuzzTokenFile

fuzz-short:
	@for t in $(FUZZ_SHORT); do pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "fuzz $$pkg $$fn for $(FUZZTIME)"; \
	  out=$$($(GO) test ./$$pkg -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) 2>&1) || { echo "$$out"; exit 1; }; \
	  echo "$$out" | tail -n 1; done

fuzz:
	@for t in $(FUZZ_ALL); do pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "fuzz $$pkg $$fn for $(or $(FUZZLONG),2m)"; \
	  $(GO) test ./$$pkg -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(or $(FUZZLONG),2m) || exit 1; done

# Installs what the tests need when it is missing (as root, or with sudo);
# fails naming the package when it cannot.
test-deps:
	@missing=""; for t in $(TEST_TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	for f in $(TEST_FILES); do [ -e $$f ] || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages $(TEST_DEBS) (missing:$$missing)"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo -n"; \
	  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then \
	    $$SUDO mkdir -p /etc/postgresql-common && \
	    echo "create_main_cluster = false" | $$SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null; fi; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends $(TEST_DEBS) >/dev/null; } || \
	    { echo "make test: could not install the Debian package(s) $(TEST_DEBS), which the tests need; install them and run make test again" >&2; exit 1; }; \
	  for t in $(TEST_TOOLS); do command -v $$t >/dev/null 2>&1 || { echo "make test: $$t still missing after installing $(TEST_DEBS)" >&2; exit 1; }; done; \
	  for f in $(TEST_FILES); do [ -e $$f ] || { echo "make test: $$f still missing after installing $(TEST_DEBS)" >&2; exit 1; }; done; \
	fi

# gridwatch side by side with PostgreSQL + PostGIS on the same scale-1 and
# scale-20 data in one run (a throwaway cluster; wrk for the HTTP rates):
# prints each figure and ratio with both sides' commands (docs/performance.md).
bench-peers: build test-deps peer-deps
	$(PEERS) --scales 1,20

# wrk, which bench-peers drives both servers with.
peer-deps:
	@command -v wrk >/dev/null 2>&1 || { echo "installing wrk"; SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo -n"; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends wrk >/dev/null; } || \
	  { echo "make bench-peers: could not install wrk; install it and run again" >&2; exit 1; }; }

bench: build
	./$(BIN) bench
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

# Loopback load: nearest queries at a fixed rate with 1,000 position updates
# a second at scale 20: three 30-s phases (about two minutes).
load:
	$(GO) run ./cmd/gridwatch-load --scale 20 --duration 30s

# The same on a durable store with tokens (the production mode): the store
# is made in a temporary directory, seeded with the generated district.
load-durable:
	@dir=$$(mktemp -d); trap 'rm -rf '"$$dir" EXIT; \
	$(GO) run ./cmd/gridwatch-load --scale 20 --duration 30s --data "$$dir/store"

# Loopback load: reads and durable writes for 60 s, then a restart that must
# find every acknowledged write.
load-writes:
	GRIDWATCH_LOAD_SECONDS=$(or $(SECONDS),60) $(GO) test -tags loadtest ./api -run '^TestLoad_LoopbackReadsAndWrites$$' -count=1 -v -timeout 15m

# Rebuilds the map page's assets in web/dist (committed; needs Node and npm).
web:
	cd web && npm ci && npm run build

lint:
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# Regenerates the embedded default dataset (deterministic: same bytes).
dataset: build
	rm -rf data/default.new && ./$(BIN) gen --out data/default.new --gzip && rm -rf data/default && mv data/default.new data/default

clean:
	rm -rf bin
