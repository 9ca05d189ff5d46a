# gridwatch: make run serves the embedded default dataset; make test passes every test.
GO      ?= go
ADDR    ?= 127.0.0.1:8080
BIN     := bin/gridwatch
# Debian packages the tests need beyond Go: GDAL's ogr2ogr/ogrinfo (a real
# OGC API - Features client) and Chromium (the map page's browser test).
TEST_DEBS := gdal-bin chromium
TEST_TOOLS := ogr2ogr chromium

.PHONY: build run test test-deps bench lint fmt vet clean dataset

build:
	$(GO) build -o $(BIN) ./cmd/gridwatch

run: build
	./$(BIN) serve --addr $(ADDR)

test: test-deps
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) test -race -timeout 20m ./...

# Installs what the tests need when it is missing (as root, or with sudo);
# fails naming the package when it cannot.
test-deps:
	@missing=""; for t in $(TEST_TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages $(TEST_DEBS) (missing:$$missing)"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo -n"; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(TEST_DEBS) >/dev/null; } || \
	    { echo "make test: could not install the Debian package(s) $(TEST_DEBS), which the tests need; install them and run make test again" >&2; exit 1; }; \
	  for t in $(TEST_TOOLS); do command -v $$t >/dev/null 2>&1 || { echo "make test: $$t still missing after installing $(TEST_DEBS)" >&2; exit 1; }; done; \
	fi

bench: build
	./$(BIN) bench
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint:
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# Regenerates the embedded default dataset (deterministic: same bytes).
dataset: build
	rm -rf data/default.new && ./$(BIN) gen --out data/default.new --gzip && rm -rf data/default && mv data/default.new data/default

clean:
	rm -rf bin
