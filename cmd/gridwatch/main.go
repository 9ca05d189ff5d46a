// Command gridwatch serves and analyses a district's grids, police beats,
// cameras, responders and incidents as GeoJSON.
//
// Usage:
//
//	gridwatch serve [--addr 127.0.0.1:8080] [--dataset DIR]
//	gridwatch gen --out DIR [--seed N] [--scale S] [--as-of YYYY-MM-DD]
//	gridwatch validate DIR
//	gridwatch bench [--dataset DIR]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"gridwatch/geo"
)

const usage = `gridwatch: grids, police and cameras of a district, as GeoJSON.

Usage:
  gridwatch serve [--addr 127.0.0.1:8080] [--dataset DIR]
      Serve the embedded default dataset (or the dataset folder DIR) over
      OGC API - Features.
  gridwatch gen --out DIR [--seed N] [--scale S] [--as-of YYYY-MM-DD] [--gzip]
      Generate a synthetic district dataset folder.
  gridwatch validate DIR
      Check a dataset folder and report every problem.
  gridwatch bench [--dataset DIR]
      Measure loading, point-in-grid lookups and page encoding against
      baselines measured in the same run.
  gridwatch analyze coverage|placement|load|reallocate|nearest [flags]
      Run an analysis from the command line; --out writes its GeoJSON.
  gridwatch serve --store postgres://user@host:port/db
      Serve from a PostgreSQL + PostGIS store; any number of replicas may
      share it (or set GRIDWATCH_STORE).
  gridwatch import --data DIR|--store URL [--dry-run] PATH...
      Load dataset folders or layer files into the durable store.
  gridwatch backup --data DIR|--store URL FILE
      Write a consistent copy of the store (a GeoPackage), while servers run.
  gridwatch check --data DIR
      Run the full integrity check of a GeoPackage store (serve runs the
      quick one at every start and refuses a damaged store).
  gridwatch migrate --store URL
      Bring a PostgreSQL store's tables to this version (serve does it too).

Run "gridwatch COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one subcommand and returns the process exit code: 0 on
// success, 2 for bad input (flags or data), 1 otherwise.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stderr)
	case "gen":
		err = gen(ctx, args[1:], stdout, stderr)
	case "validate":
		err = validate(args[1:], stdout, stderr)
	case "bench":
		err = bench(args[1:], stdout, stderr)
	case "analyze":
		err = analyze(ctx, args[1:], stdout, stderr)
	case "import":
		err = importLayers(ctx, args[1:], stdout, stderr)
	case "backup":
		err = backup(ctx, args[1:], stdout, stderr)
	case "check":
		err = check(ctx, args[1:], stdout, stderr)
	case "migrate":
		err = migrateStore(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "gridwatch: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	return exitCode(err, stderr)
}

// errUsage marks a flag error already reported by the flag package.
var errUsage = errors.New("usage")

func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	var ge *geo.Error
	if errors.As(err, &ge) && len(ge.Problems) > 0 {
		fmt.Fprintf(stderr, "gridwatch: %s (%s)\n", ge.Message, problems(len(ge.Problems)))
	} else {
		fmt.Fprintf(stderr, "gridwatch: %v\n", err)
	}
	if ge != nil {
		for _, p := range ge.Problems {
			fmt.Fprintf(stderr, "  %s\n", p)
		}
		if ge.Code == geo.Invalid {
			return 2
		}
	}
	return 1
}
