// Package pgtest runs a throwaway PostgreSQL 15 + PostGIS 3 cluster for
// tests: initdb in a temporary directory, pg_ctl on a free loopback port,
// a template database with the postgis extension, and a fresh database
// cloned from it for each test. Only tests import it.
//
// A package's tests share one cluster started in TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
//	func TestX(t *testing.T) {
//		url := pgtest.Database(t) // a new empty database with postgis
//		...
//	}
//
// When the server binaries are missing, Database skips the test saying
// why, unless GRIDWATCH_REQUIRE_POSTGIS=1 (set by make test, which
// installs them), where it fails instead.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// RequireEnv names the environment variable that turns a missing
// PostgreSQL into a test failure instead of a skip.
const RequireEnv = "GRIDWATCH_REQUIRE_POSTGIS"

// BinDirEnv names the environment variable that points at a directory of
// PostgreSQL server binaries (initdb, pg_ctl), tried before the default
// Debian location.
const BinDirEnv = "GRIDWATCH_PG_BIN"

// ErrMissing marks the errors of a machine without the PostgreSQL server
// binaries or the PostGIS extension.
var ErrMissing = errors.New("pgtest: PostgreSQL 15 with PostGIS 3 is not installed")

// binDirs are where the server binaries are looked for, in order.
var binDirs = []string{"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"}

// templateDB is the database with postgis that every test database is
// cloned from.
const templateDB = "gridwatch_template"

// Options tune Start.
type Options struct {
	// Durable keeps fsync on (as in production), for benchmarks that time
	// commits; tests leave it off, which only matters if the machine
	// itself crashes.
	Durable bool
	// Settings are extra server settings (name → value), passed as -c.
	Settings map[string]string
}

// Cluster is one running PostgreSQL server in a temporary directory.
type Cluster struct {
	dir   string // parent temp directory (data in dir/data)
	bin   string
	port  int
	runAs *user.User // nil: run as the current user
	opt   Options

	mu     sync.Mutex
	n      int // databases handed out
	closed bool
}

// FindBinaries returns the directory holding initdb and pg_ctl, or an
// error saying where it looked.
func FindBinaries() (string, error) {
	dirs := binDirs
	if d := os.Getenv(BinDirEnv); d != "" {
		dirs = append([]string{d}, dirs...)
	}
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	return "", fmt.Errorf("%w: no server binaries (initdb, pg_ctl) in %s; install postgresql-15-postgis-3 (make test-deps does)", ErrMissing, strings.Join(dirs, ", "))
}

func isExec(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// Start creates and starts a cluster with a template database holding the
// postgis extension. Stop removes it.
func Start(ctx context.Context, opt Options) (*Cluster, error) {
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "gridwatch-pg-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	c := &Cluster{dir: dir, bin: bin, opt: opt}
	if os.Geteuid() == 0 {
		// initdb and postgres refuse to run as root.
		if c.runAs, err = user.Lookup("postgres"); err != nil {
			_ = os.RemoveAll(dir)
			return nil, fmt.Errorf("pgtest: running as root needs a postgres user to run the server as: %w", err)
		}
		if err := chown(dir, c.runAs); err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
	}
	src, err := pristineData(ctx, c)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	// cp -a keeps the owner and the 0700 mode the server insists on.
	if out, err := exec.CommandContext(ctx, "cp", "-a", src, c.DataDir()).CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: copy the cluster: %w\n%s", err, out)
	}
	if err := c.startOnFreePort(ctx); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return c, nil
}

// pristine is a stopped cluster with the template database, made once per
// test process (initdb and CREATE EXTENSION postgis take seconds) and
// copied for every cluster started (a fraction of a second).
var pristine struct {
	sync.Mutex
	c *Cluster
}

// pristineData returns the data directory of the pristine cluster,
// making it on first use with c's binaries and user.
func pristineData(ctx context.Context, c *Cluster) (string, error) {
	pristine.Lock()
	defer pristine.Unlock()
	if pristine.c != nil {
		return pristine.c.DataDir(), nil
	}
	dir, err := os.MkdirTemp("", "gridwatch-pg-pristine-")
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	p := &Cluster{dir: dir, bin: c.bin, runAs: c.runAs}
	if c.runAs != nil {
		if err := chown(dir, c.runAs); err != nil {
			_ = os.RemoveAll(dir)
			return "", err
		}
	}
	err = p.initdb(ctx)
	if err == nil {
		err = p.startOnFreePort(ctx)
	}
	if err == nil {
		err = p.makeTemplate(ctx)
		if herr := p.Halt(ctx); err == nil {
			err = herr
		}
	}
	if err != nil {
		p.Stop()
		return "", err
	}
	pristine.c = p
	return p.DataDir(), nil
}

// RemovePristine removes the pristine cluster copied by Start (Main does
// it at the end of a package's tests).
func RemovePristine() {
	pristine.Lock()
	defer pristine.Unlock()
	if pristine.c != nil {
		pristine.c.Stop()
		pristine.c = nil
	}
}

func chown(path string, u *user.User) error {
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(path, uid, gid); err != nil {
		return fmt.Errorf("pgtest: chown %s to %s: %w", path, u.Username, err)
	}
	return nil
}

// command runs a server binary, as the postgres user when this process is
// root.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
	if c.runAs != nil {
		uid, _ := strconv.ParseUint(c.runAs.Uid, 10, 32)
		gid, _ := strconv.ParseUint(c.runAs.Gid, 10, 32)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		cmd.Env = append(cmd.Env, "HOME="+c.dir, "USER=postgres")
	}
	return cmd
}

func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	out, err := c.command(ctx, name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgtest: %s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// DataDir returns the cluster's data directory.
func (c *Cluster) DataDir() string { return filepath.Join(c.dir, "data") }

func (c *Cluster) initdb(ctx context.Context) error {
	return c.run(ctx, "initdb", "-D", c.DataDir(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
		"--locale=C", "--no-sync", "--no-instructions")
}

// startOnFreePort picks a free loopback port and starts the server on it,
// trying again with another port if someone else took it in between.
func (c *Cluster) startOnFreePort(ctx context.Context) error {
	var err error
	for range 5 {
		if c.port, err = freePort(); err != nil {
			return err
		}
		if err = c.Resume(ctx); err == nil {
			return nil
		}
	}
	return err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// serverOptions are the postgres settings given through pg_ctl -o.
func (c *Cluster) serverOptions() string {
	set := map[string]string{
		"listen_addresses":        "127.0.0.1",
		"unix_socket_directories": c.dir,
		"max_connections":         "200",
		"shared_buffers":          "64MB",
		"log_min_messages":        "warning",
	}
	if !c.opt.Durable {
		set["fsync"] = "off"
		set["full_page_writes"] = "off"
		set["synchronous_commit"] = "off"
	}
	for k, v := range c.opt.Settings {
		set[k] = v
	}
	opts := []string{"-p " + strconv.Itoa(c.port)}
	for k, v := range set {
		opts = append(opts, fmt.Sprintf("-c %s=%s", k, v))
	}
	return strings.Join(opts, " ")
}

// Resume starts the server (again) on its port, waiting until it accepts
// connections.
func (c *Cluster) Resume(ctx context.Context) error {
	return c.run(ctx, "pg_ctl", "-D", c.DataDir(), "-o", c.serverOptions(),
		"-l", filepath.Join(c.dir, "server.log"), "-w", "-t", "60", "start")
}

// Halt stops the server (a fast shutdown: open sessions are ended,
// committed transactions are kept), leaving the cluster to Resume.
func (c *Cluster) Halt(ctx context.Context) error {
	return c.run(ctx, "pg_ctl", "-D", c.DataDir(), "-m", "fast", "-w", "-t", "60", "stop")
}

// Stop stops the server and removes the cluster's directory. It is safe
// to call more than once.
func (c *Cluster) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := os.Stat(filepath.Join(c.DataDir(), "postmaster.pid")); err == nil {
		_ = c.run(ctx, "pg_ctl", "-D", c.DataDir(), "-m", "immediate", "-w", "-t", "60", "stop")
	}
	_ = os.RemoveAll(c.dir)
}

// Port returns the server's TCP port on 127.0.0.1.
func (c *Cluster) Port() int { return c.port }

// URL returns the connection URL of database db.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Log returns the server's log so far (for a failing test's message).
func (c *Cluster) Log() string {
	b, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
	return string(b)
}

func (c *Cluster) makeTemplate(ctx context.Context) error {
	if err := c.exec(ctx, "postgres", "CREATE DATABASE "+templateDB); err != nil {
		return err
	}
	if err := c.exec(ctx, templateDB, "CREATE EXTENSION postgis"); err != nil {
		if strings.Contains(err.Error(), "extension control file") {
			return fmt.Errorf("%w: %v", ErrMissing, err)
		}
		return err
	}
	return c.exec(ctx, "postgres", "ALTER DATABASE "+templateDB+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")
}

// exec runs SQL statements in database db.
func (c *Cluster) exec(ctx context.Context, db string, stmts ...string) error {
	conn, err := pgx.Connect(ctx, c.URL(db))
	if err != nil {
		return fmt.Errorf("pgtest: connect to %s: %w", db, err)
	}
	defer conn.Close(context.Background())
	for _, q := range stmts {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("pgtest: %s: %w", q, err)
		}
	}
	return nil
}

// NewDatabase creates an empty database with the postgis extension and
// returns its name.
func (c *Cluster) NewDatabase(ctx context.Context) (string, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return "", errors.New("pgtest: cluster stopped")
	}
	c.n++
	name := fmt.Sprintf("test_%d", c.n)
	c.mu.Unlock()
	if err := c.exec(ctx, "postgres", "CREATE DATABASE "+name+" TEMPLATE "+templateDB+" STRATEGY FILE_COPY"); err != nil {
		return "", err
	}
	return name, nil
}

// DropDatabase drops database name, ending its open sessions.
func (c *Cluster) DropDatabase(ctx context.Context, name string) error {
	return c.exec(ctx, "postgres", "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}
