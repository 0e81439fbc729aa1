# Herald — two commands on a fresh machine:
#   make run    install what is missing, build, launch Herald
#   make test   install test needs, run every test and linter
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

UNAME   := $(shell uname -s)
BIN     := $(CURDIR)/bin
WAILS   := $(BIN)/wails
LINT    := $(BIN)/golangci-lint
# The version people see is the product version in wails.json; the commit
# it was built from is passed separately, for bug reports.
VERSION ?= $(shell sed -n 's/.*"productVersion"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' wails.json | head -n1)
COMMIT  ?= $(shell git describe --always --dirty --abbrev=12 --exclude='*' 2>/dev/null || echo unknown)
LDFLAGS := -X main.version=$(or $(VERSION),dev) -X main.commit=$(COMMIT)
ifeq ($(UNAME),Linux)
TAGS := webkit2_41
endif
APP     := build/bin/herald
DEVAPP  := build/bin/herald-dev
ARTIFACTS := $(CURDIR)/artifacts
export GOFLAGS := -buildvcs=false

FRONTEND_SRC := $(shell find frontend/src frontend/index.html frontend/public -type f 2>/dev/null | grep -v /wailsjs/)
GO_SRC       := $(shell find . -name '*.go' -not -path './frontend/*' -not -path './tools/*' 2>/dev/null) go.mod go.sum

.PHONY: run build test deps deps-test tools npm bindings frontend dev bench lint lint-go lint-frontend \
        test-go test-frontend test-peers test-desktop clean

## run: build Herald and launch it
run: build
	./$(APP)

## build: the production binary in build/bin/herald
build: deps $(WAILS) npm bindings frontend
	$(WAILS) build -tags "$(TAGS)" -m -nosyncgomod -skipbindings -s -ldflags "$(LDFLAGS)" -o herald

deps:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

tools: $(WAILS) $(LINT)

# GoToSocial, the real Mastodon-API server the end-to-end tests run
# against, pinned in its own module (its replace directive and large
# dependency graph stay out of Herald's go.mod). Built once, then cached.
GTS := $(BIN)/gotosocial
$(GTS): test/peers/gotosocial/go.mod test/peers/gotosocial/go.sum
	cd test/peers/gotosocial && GONOSUMDB=github.com/superseriousbusiness/gotosocial,gitlab.com/NyaaaWhatsUpDoc \
	  GOFLAGS=-mod=mod go build -o $(GTS) github.com/superseriousbusiness/gotosocial/cmd/gotosocial

# The Wails CLI and golangci-lint are pinned in their own modules under
# tools/ so their dependencies stay out of Herald's go.mod.
$(WAILS): tools/wails/go.mod tools/wails/go.sum
	cd tools/wails && go build -o $(WAILS) github.com/wailsapp/wails/v2/cmd/wails

$(LINT): tools/golangci-lint/go.mod tools/golangci-lint/go.sum
	cd tools/golangci-lint && go build -o $(LINT) github.com/golangci/golangci-lint/v2/cmd/golangci-lint

npm: frontend/node_modules/.installed

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

## bindings: regenerate the TypeScript bindings for the Go services
bindings: frontend/src/wailsjs/go/models.ts

# main.go embeds frontend/dist, which does not exist before the first
# front-end build; a placeholder lets the Go side compile to make bindings.
frontend/src/wailsjs/go/models.ts: $(GO_SRC) $(WAILS)
	mkdir -p frontend/dist && [ -n "$$(ls -A frontend/dist)" ] || touch frontend/dist/.placeholder
	$(WAILS) generate module -tags "$(TAGS)"
	touch $@

frontend: frontend/dist/index.html

frontend/dist/index.html: $(FRONTEND_SRC) frontend/node_modules/.installed frontend/src/wailsjs/go/models.ts
	cd frontend && npm run build

## dev: live-reloading development window (Go and front end)
dev: deps $(WAILS) npm bindings
	$(WAILS) dev -tags "$(TAGS)" -m

$(DEVAPP): $(GO_SRC) frontend/dist/index.html
	go build -tags "dev $(TAGS)" -ldflags "$(LDFLAGS)" -o $(DEVAPP) .

## test: install test needs, then run every linter and test
test: deps-test tools npm bindings lint test-frontend test-go test-peers build $(DEVAPP) test-desktop
	@echo "make test: all checks passed"

lint: lint-go lint-frontend

lint-go: frontend/dist/index.html
	go vet ./...
	$(LINT) run ./...
	$(LINT) run --build-tags gotosocial,keyring,dbus,e2e,chaos ./...

lint-frontend: npm bindings
	cd frontend && npm run typecheck && npm run lint

test-frontend: npm bindings
	cd frontend && npm test

test-go: frontend/dist/index.html
	go test -race -count=1 ./...
	go test -tags chaos -count=1 -v -run TestKilled ./test/chaos/ 2>&1 | grep -E '^(---|ok|FAIL|PASS)|targets:|failed:|exists|ended as|seed '
	# The exactly-once model test again without the race detector, longer:
	# random user actions, faults, kills and clock jumps (seed printed on failure).
	go test -count=1 -run TestExactlyOnce ./test/exactlyonce/ -rapid.checks=300 -rapid.steps=100
	# The inbox model tests at full length (under the race detector they take fewer steps).
	go test -count=1 -run 'TestInboxModel|TestInboxRulesModel' ./backend/store/

## test-peers: network clients against real servers (GoToSocial)
test-peers: $(GTS) frontend/dist/index.html
	HERALD_GOTOSOCIAL_BIN=$(GTS) go test -tags gotosocial -count=1 ./backend/network/mastodon/ ./test/gts/

## test-desktop: real keyring, the window under Xvfb, Playwright against the real bindings
test-desktop: build $(DEVAPP) $(GTS)
ifeq ($(UNAME),Linux)
	mkdir -p $(ARTIFACTS)
	HERALD_BIN=$(CURDIR)/$(APP) HERALD_DEV_BIN=$(CURDIR)/$(DEVAPP) HERALD_ARTIFACTS=$(ARTIFACTS) HERALD_GOTOSOCIAL_BIN=$(GTS) \
	  timeout 1200 xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- scripts/desktop-tests.sh
else
	@echo "test-desktop: skipped on $(UNAME) (needs Xvfb and D-Bus)"
endif

## bench: benchmarks, results in docs/benchmarks.md
bench: build $(DEVAPP)
	go test -run '^$$' -bench . -benchmem ./backend/...
	go test -run '^$$' -bench ThousandDue -benchtime 5x ./test/bench/
	HERALD_BIN=$(CURDIR)/$(APP) go test -run '^$$' -bench HeadlessMemory -benchtime 1x ./test/bench/
	HERALD_DEV_BIN=$(CURDIR)/$(DEVAPP) xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
	  go test -run '^$$' -bench ViewsAtVolume -benchtime 1x ./test/bench/
	cd frontend && node bench/calendar-month.mjs

clean:
	rm -rf build/bin frontend/dist $(ARTIFACTS) bin
