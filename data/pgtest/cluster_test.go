package pgtest_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"gridwatch/data/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// Each database has PostGIS, computes with it, and is separate from the
// others.
func TestDatabase_FreshWithPostGIS(t *testing.T) {
	ctx := context.Background()
	a, b := connect(t, pgtest.Database(t)), connect(t, pgtest.Database(t))
	// A 1° × 1° square at the equator: its area on the WGS84 spheroid is
	// 111,319.49 m × 110,574.39 m ≈ 1.2309e10 m² (to 0.1%).
	var area float64
	if err := a.QueryRow(ctx, `SELECT ST_Area(ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 1,0 0))', 4326)::geography)`).Scan(&area); err != nil {
		t.Fatal(err)
	}
	if want := 111319.49 * 110574.39; area < want*0.999 || area > want*1.001 {
		t.Errorf("area of a 1° square = %.4g m², want %.4g", area, want)
	}
	if _, err := a.Exec(ctx, `CREATE TABLE only_in_a (id int)`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("a table made in one test database is visible in another")
	}
}

// A cluster of its own stops and resumes with its committed data.
func TestOwn_HaltResume(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Own(t, pgtest.Options{})
	name, err := c.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	conn := connect(t, c.URL(name))
	if _, err := conn.Exec(ctx, `CREATE TABLE kept AS SELECT generate_series(1, 10) AS n`); err != nil {
		t.Fatal(err)
	}
	if err := c.Halt(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := pgx.Connect(ctx, c.URL(name)); err == nil {
		t.Fatal("connected to a halted server")
	}
	if err := c.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	var sum int
	if err := connect(t, c.URL(name)).QueryRow(ctx, `SELECT sum(n) FROM kept`).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	if sum != 55 {
		t.Errorf("sum after restart = %d, want 55", sum)
	}
}
