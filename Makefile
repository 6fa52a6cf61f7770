# Entry points: make build | test | bench | bench-<area> | deps | demo | clean
SHELL := /bin/bash
OUT ?= out
CONFIGURATION ?= Release
# Native libraries (SQLite's) go inside each single file: a shared copy in out/ is deleted when the other
# executable is published again, and users copy the two executables alone.
PUBLISH := dotnet publish -c $(CONFIGURATION) -o $(OUT) -p:PublishSingleFile=true -p:SelfContained=false -p:DebugType=embedded \
	-p:IncludeNativeLibrariesForSelfExtract=true

.PHONY: build test deps demo bench clean

build:
	$(PUBLISH) src/Soci.Host/Soci.Cli/Soci.Cli.csproj
	$(PUBLISH) src/Soci.Host/Soci.Snapshotter.Grpc/Soci.Snapshotter.Grpc.csproj

deps:
	scripts/install-deps.sh

test:
	scripts/test.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

bench-%:
	scripts/bench.sh $*

clean:
	rm -rf $(OUT)
	dotnet clean Soci.Actors.sln >/dev/null
